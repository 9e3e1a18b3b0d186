import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import {
  DomainError,
  ErrorCode,
  type FieldError,
  invalid,
  notFound,
} from '../common/domain-error.js';
import { translate } from '../common/messages.js';
import { isLanguage, type Language } from '../domain/language.js';
import { isUuid } from '../invitations/invitations.service.js';
import { MailComposer, type MailPreview } from '../invitations/mail-composer.service.js';
import {
  MailSettingsRepository,
  type MailTextRow,
} from '../invitations/mail-settings.repository.js';
import {
  BODY_MAX,
  BODY_PLACEHOLDERS,
  defaultMailText,
  MAIL_KINDS,
  type MailKind,
  type MailText,
  mailTextProblems,
  normaliseBody,
  SUBJECT_MAX,
  SUBJECT_PLACEHOLDERS,
} from '../invitations/mail-templates.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';

export interface MailTextItem extends MailText {
  language: Language;
  kind: MailKind;
  /** The campaign's own text (false: the built-in one). */
  custom: boolean;
}

export interface CampaignMailTexts {
  campaignId: string;
  campaignName: string;
  languages: Language[];
  editable: boolean;
  placeholders: { body: string[]; subject: string[] };
  texts: MailTextItem[];
}

export interface MailTextChange {
  language: string;
  kind: MailKind;
  subject?: string;
  body?: string;
  reset?: boolean;
}

export interface LanguagePreview {
  language: Language;
  mails: (MailPreview & { kind: MailKind })[];
}

/** The form field of one part of one text: subject_it_invitation, body_en_reminder… */
export const mailField = (part: 'subject' | 'body', language: string, kind: MailKind): string =>
  `${part}_${language}_${kind}`;

const campaignLanguages = (campaign: CampaignEntity): Language[] =>
  campaign.languages
    .split(',')
    .map((l) => l.trim())
    .filter(isLanguage);

const closed = (lang: Language) =>
  new DomainError(ErrorCode.CampaignClosed, translate(lang, 'mail.errors.closed'));

/**
 * A campaign's invitation and reminder texts per language: read (own or built-in), changed (drafts
 * and open campaigns; checked placeholders, the link required), and previewed through the composer
 * that writes the real mails.
 */
@Injectable()
export class CampaignMailService {
  constructor(
    private readonly repo: MailSettingsRepository,
    private readonly composer: MailComposer,
  ) {}

  async texts(campaignId: string): Promise<CampaignMailTexts> {
    const campaign = await this.campaign(campaignId);
    const own = await this.repo.campaignTexts(campaign.id);
    const languages = campaignLanguages(campaign);
    const texts = languages.flatMap((language) =>
      MAIL_KINDS.map((kind): MailTextItem => {
        const row = own.find((t) => t.language === language && t.kind === kind);
        const text = row ?? defaultMailText(language, kind);
        return { language, kind, subject: text.subject, body: text.body, custom: Boolean(row) };
      }),
    );
    return {
      campaignId: campaign.id,
      campaignName: campaign.name,
      languages,
      editable: campaign.status !== 'closed',
      placeholders: { body: [...BODY_PLACEHOLDERS], subject: [...SUBJECT_PLACEHOLDERS] },
      texts,
    };
  }

  /**
   * Applies `changes` all together or not at all. A text equal to the built-in one is stored as
   * "built-in", so it follows the product's wording. `lang` is the language of the error messages.
   */
  async save(
    campaignId: string,
    changes: MailTextChange[],
    lang: Language,
  ): Promise<CampaignMailTexts> {
    const campaign = await this.campaign(campaignId);
    if (campaign.status === 'closed') throw closed(lang);
    const languages = campaignLanguages(campaign);
    const errors: FieldError[] = [];
    const texts: MailTextRow[] = [];
    const reset: { language: string; kind: MailKind }[] = [];
    for (const change of changes) {
      const { language, kind } = change;
      if (!isLanguage(language) || !languages.includes(language)) {
        errors.push({
          field: mailField('body', language, kind),
          message: translate(lang, 'mail.errors.language', { language }),
        });
        continue;
      }
      if (change.reset) {
        reset.push({ language, kind });
        continue;
      }
      const text = {
        subject: (change.subject ?? '').trim(),
        body: normaliseBody(change.body ?? ''),
      };
      const problems = mailTextProblems(text);
      for (const p of problems) {
        const label = `${translate(lang, 'mail.legend', {
          kind: translate(lang, `mail.kind.${kind}`),
          language: translate(lang, `common.languageName.${language}`),
        })}, ${translate(lang, p.part === 'subject' ? 'mail.subject' : 'mail.body')}`;
        errors.push({
          field: mailField(p.part, language, kind),
          message: translate(lang, `mail.errors.${p.problem}`, {
            field: label,
            placeholder: `{${p.placeholder ?? ''}}`,
            max: p.part === 'subject' ? SUBJECT_MAX : BODY_MAX,
          }),
        });
      }
      if (problems.length) continue;
      const builtIn = defaultMailText(language, kind);
      if (text.subject === builtIn.subject && text.body === normaliseBody(builtIn.body))
        reset.push({ language, kind });
      else texts.push({ language, kind, ...text });
    }
    if (errors.length) throw invalid(errors[0].message, errors);
    if (!(await this.repo.saveCampaignTexts(campaign.id, texts, reset, iso()))) throw closed(lang);
    return this.texts(campaign.id);
  }

  /**
   * Each language's invitation and reminder as a recipient gets them: subject, From and body,
   * with a sample name and link, composed by the same MailComposer that queues the real mails.
   */
  async previews(campaignId: string): Promise<LanguagePreview[]> {
    const campaign = await this.campaign(campaignId);
    return Promise.all(
      campaignLanguages(campaign).map(async (language) => ({
        language,
        mails: await Promise.all(
          MAIL_KINDS.map(async (kind) => ({
            kind,
            ...(await this.composer.preview(
              campaign,
              kind,
              language,
              translate(language, 'mail.preview.sampleName'),
            )),
          })),
        ),
      })),
    );
  }

  private async campaign(id: string): Promise<CampaignEntity> {
    const campaign = isUuid(id) ? await this.repo.findCampaign(id) : null;
    if (!campaign) throw notFound('Campaign', ErrorCode.CampaignNotFound);
    return campaign;
  }
}
