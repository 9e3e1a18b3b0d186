import { Global, Module } from '@nestjs/common';
import { MailSettingsRepository } from './mail-settings.repository.js';

/**
 * The organisation settings and campaign mail texts, read by the mail composer and sender
 * (InvitationsModule) and edited by the settings pages (BrandingModule, which imports this).
 * Global so the invitations wiring needs no change to see the repository.
 */
@Global()
@Module({ providers: [MailSettingsRepository], exports: [MailSettingsRepository] })
export class MailSettingsModule {}
