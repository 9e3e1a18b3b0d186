import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MailComposer } from '../invitations/mail-composer.service.js';
import { MailSettingsModule } from '../invitations/mail-settings.module.js';
import { BrandingPagesController } from './branding-pages.controller.js';
import { CampaignMailController } from './campaign-mail.controller.js';
import { CampaignMailService } from './campaign-mail.service.js';
import { LogoUploadRoute } from './logo-upload.route.js';
import { RespondentBranding } from './respondent-branding.hook.js';
import { SettingsController } from './settings.controller.js';
import { SettingsService } from './settings.service.js';

/**
 * The organisation's name, sender name and logo (/admin/settings, /api/settings, /brand/logo),
 * shown on respondent pages and in mails, and each campaign's own mail texts
 * (/admin/campaigns/:id/mail, /api/campaigns/:id/mail-texts). The previews use a MailComposer of
 * their own (stateless: the same code and data as the one that queues the real mails).
 */
@Module({
  imports: [MailSettingsModule, AuthModule],
  controllers: [SettingsController, CampaignMailController, BrandingPagesController],
  providers: [
    SettingsService,
    CampaignMailService,
    MailComposer,
    LogoUploadRoute,
    RespondentBranding,
  ],
})
export class BrandingModule {}
