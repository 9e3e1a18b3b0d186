import { Module } from '@nestjs/common';
import { MailSettingsModule } from '../invitations/mail-settings.module.js';

/**
 * The organisation's name, sender name and logo (/admin/settings, /api/settings, /brand/logo),
 * shown on respondent pages and in mails, and each campaign's own mail texts
 * (/admin/campaigns/:id/mail, /api/campaigns/:id/mail-texts).
 */
@Module({
  imports: [MailSettingsModule],
})
export class BrandingModule {}
