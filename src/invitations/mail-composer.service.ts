import { Injectable } from '@nestjs/common';
import { newId } from '../common/crypto.js';
import { AppConfig } from '../config/app-config.js';
import {
  type ComposedMail,
  composeMail,
  mailAddress,
  mailLanguage,
  type MailKind,
} from './mail-templates.js';
import { MailSettingsRepository, type OrganisationSettings } from './mail-settings.repository.js';
import type { MailTokens } from './links.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { CampaignMailTextEntity } from '../database/schema/campaign-mail-text.entity.js';
import type { ContactEntity } from '../database/schema/contact.entity.js';
import type { OutboxEntity } from '../database/schema/outbox.entity.js';
import type { Language } from '../domain/language.js';

/** A campaign's mails for one batch: the settings and texts read once, then composed per contact. */
export interface CampaignMail {
  queued(kind: MailKind, contact: ContactEntity, tokens: MailTokens, now: string): OutboxEntity;
}

/** What one mail looks like to its recipient, for the preview page. */
export interface MailPreview extends ComposedMail {
  from: string;
}

/** The sample link a preview shows: never a real token. */
export const PREVIEW_TOKEN = 'preview-'.padEnd(43, 'x');
const PREVIEW_TOKENS: MailTokens = { token: PREVIEW_TOKEN, unsubscribeToken: PREVIEW_TOKEN };

/**
 * Turns an invitation's fresh tokens (survey link, opt-out link) into a queued outbox row (subject, both bodies, recipient),
 * with the campaign's own texts and the organisation's name and logo. The preview page renders
 * through the same composition.
 */
@Injectable()
export class MailComposer {
  constructor(
    private readonly config: AppConfig,
    private readonly settings: MailSettingsRepository,
  ) {}

  surveyUrl(token: string): string {
    return `${this.config.publicUrl}/s/${token}`;
  }

  unsubscribeUrl(token: string): string {
    return `${this.config.publicUrl}/unsubscribe/${token}`;
  }

  /** The public logo URL (versioned, so a new logo is not hidden by caches), or null. */
  logoUrl(settings: OrganisationSettings): string | null {
    if (!settings.logoUpdatedAt) return null;
    return `${this.config.publicUrl}/brand/logo?v=${encodeURIComponent(settings.logoUpdatedAt)}`;
  }

  /** The From header: the sender name (when set) with the configured address. */
  fromHeader(senderName: string | null): string {
    const address = mailAddress(this.config.env.MAIL_FROM);
    const name = senderName?.trim();
    return name ? `${quoteName(name)} <${address}>` : this.config.env.MAIL_FROM;
  }

  /** Reads the settings and the campaign's texts once; compose many mails with the result. */
  async forCampaign(campaign: CampaignEntity): Promise<CampaignMail> {
    const [settings, texts] = await Promise.all([
      this.settings.settings(),
      this.settings.campaignTexts(campaign.id),
    ]);
    return {
      queued: (kind, contact, tokens, now) =>
        this.row(kind, campaign, contact, tokens, now, settings, texts),
    };
  }

  async queued(
    kind: MailKind,
    campaign: CampaignEntity,
    contact: ContactEntity,
    tokens: MailTokens,
    now: string,
  ): Promise<OutboxEntity> {
    return (await this.forCampaign(campaign)).queued(kind, contact, tokens, now);
  }

  /** The mail a recipient of `language` would get, with a sample contact name and link. */
  async preview(
    campaign: CampaignEntity,
    kind: MailKind,
    language: Language,
    contactName: string,
  ): Promise<MailPreview> {
    const [settings, texts] = await Promise.all([
      this.settings.settings(),
      this.settings.campaignTexts(campaign.id),
    ]);
    const mail = composeMail(
      this.input(kind, campaign, language, contactName, PREVIEW_TOKENS, settings, texts),
    );
    return { ...mail, from: this.fromHeader(settings.senderName) };
  }

  private input(
    kind: MailKind,
    campaign: CampaignEntity,
    language: Language,
    contactName: string | null,
    tokens: MailTokens,
    settings: OrganisationSettings,
    texts: CampaignMailTextEntity[],
  ) {
    const own = texts.find((t) => t.language === language && t.kind === kind);
    return {
      kind,
      language,
      campaignName: campaign.name,
      anonymous: campaign.anonymous,
      closesAt: campaign.closesAt,
      contactName,
      surveyUrl: this.surveyUrl(tokens.token),
      unsubscribeUrl: this.unsubscribeUrl(tokens.unsubscribeToken),
      text: own ? { subject: own.subject, body: own.body } : null,
      organisationName: settings.organisationName,
      logoUrl: this.logoUrl(settings),
    };
  }

  private row(
    kind: MailKind,
    campaign: CampaignEntity,
    contact: ContactEntity,
    tokens: MailTokens,
    now: string,
    settings: OrganisationSettings,
    texts: CampaignMailTextEntity[],
  ): OutboxEntity {
    const language = mailLanguage(contact.language, campaign.languages);
    const mail = composeMail(
      this.input(kind, campaign, language, contact.name, tokens, settings, texts),
    );
    return {
      id: newId(),
      campaignId: campaign.id,
      contactId: contact.id,
      kind,
      toAddress: contact.email ?? '',
      subject: mail.subject,
      bodyText: mail.text,
      bodyHtml: mail.html,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      lastError: null,
      createdAt: now,
      sentAt: null,
    };
  }
}

/** A display name as an RFC 5322 quoted string (nodemailer encodes non-ASCII on the wire). */
function quoteName(name: string): string {
  const flat = name.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return `"${flat.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
