import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { replyLanguage } from '../auth/page-language.js';
import { ErrorCode } from '../common/domain-error.js';
import { CsrfFormDto } from '../common/form.dto.js';
import { formPost } from '../common/form-post.js';
import { LANGUAGES } from '../domain/language.js';
import { MAIL_KINDS } from '../invitations/mail-templates.js';
import { CampaignMailFormDto, SettingsFormDto } from './branding.dto.js';
import { campaignMailPage, mailNotice, settingsNotice, settingsPage } from './branding.view.js';
import { CampaignMailService, mailField, type MailTextChange } from './campaign-mail.service.js';
import { SettingsService } from './settings.service.js';

/** Refusals the mail texts form shows next to its fields or at its top. */
const MAIL_FORM_ERRORS = [ErrorCode.Validation, ErrorCode.CampaignClosed];

/**
 * /admin/settings (names, logo preview and removal; the upload is LogoUploadRoute's) and
 * /admin/campaigns/:id/mail (texts per language with previews). Posts redirect with the result
 * at the top, or re-render with the input kept and the errors beside their fields.
 */
@ApiExcludeController()
@Controller('admin')
export class BrandingPagesController {
  constructor(
    private readonly settings: SettingsService,
    private readonly mail: CampaignMailService,
  ) {}

  @Get('settings')
  async settingsPage(@Res() reply: FastifyReply, @Query('done') done?: string) {
    const lang = replyLanguage(reply);
    return reply.view(
      'admin/settings',
      settingsPage(lang, await this.settings.get(), { notice: settingsNotice(lang, done) }),
    );
  }

  @Post('settings')
  async saveSettings(@Body() body: SettingsFormDto, @Res() reply: FastifyReply) {
    const lang = replyLanguage(reply);
    const form = {
      organisationName: body.organisationName ?? '',
      senderName: body.senderName ?? '',
    };
    return formPost(
      async () => {
        await this.settings.saveNames(form, lang);
        return reply.redirect('/admin/settings?done=saved', 303);
      },
      [ErrorCode.Validation],
      async (err, status) =>
        reply
          .status(status)
          .view(
            'admin/settings',
            settingsPage(lang, await this.settings.get(), { form, errors: err.errors ?? [] }),
          ),
    );
  }

  @Post('settings/logo/remove')
  async removeLogo(@Body() _form: CsrfFormDto, @Res() reply: FastifyReply) {
    await this.settings.removeLogo();
    return reply.redirect('/admin/settings?done=logoRemoved', 303);
  }

  @Get('campaigns/:id/mail')
  async mailPage(
    @Param('id') id: string,
    @Res() reply: FastifyReply,
    @Query('done') done?: string,
  ) {
    const lang = replyLanguage(reply);
    return this.renderMail(reply, 200, id, { notice: mailNotice(lang, done) });
  }

  @Post('campaigns/:id/mail')
  async saveMail(
    @Param('id') id: string,
    @Body() body: CampaignMailFormDto,
    @Res() reply: FastifyReply,
  ) {
    const lang = replyLanguage(reply);
    const input = body as unknown as Record<string, string | undefined>;
    const changes: MailTextChange[] = [];
    for (const language of LANGUAGES)
      for (const kind of MAIL_KINDS) {
        if (body.reset) {
          if (body.reset === `${language}_${kind}`) changes.push({ language, kind, reset: true });
          continue;
        }
        const subject = input[mailField('subject', language, kind)];
        const text = input[mailField('body', language, kind)];
        if (subject !== undefined || text !== undefined)
          changes.push({ language, kind, subject, body: text });
      }
    return formPost(
      async () => {
        await this.mail.save(id, changes, lang);
        return reply.redirect(
          `/admin/campaigns/${encodeURIComponent(id)}/mail?done=${body.reset ? 'reset' : 'saved'}`,
          303,
        );
      },
      MAIL_FORM_ERRORS,
      (err, status) =>
        this.renderMail(reply, status, id, {
          input,
          errors: err.errors?.length ? err.errors : [{ field: 'form', message: err.message }],
        }),
    );
  }

  private async renderMail(
    reply: FastifyReply,
    status: number,
    id: string,
    o: Parameters<typeof campaignMailPage>[3],
  ) {
    const lang = replyLanguage(reply);
    const [texts, previews] = await Promise.all([this.mail.texts(id), this.mail.previews(id)]);
    return reply
      .status(status)
      .view('admin/campaign-mail', campaignMailPage(lang, texts, previews, o));
  }
}
