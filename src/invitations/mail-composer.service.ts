import { Injectable } from '@nestjs/common';
import { newId } from '../common/crypto.js';
import { AppConfig } from '../config/app-config.js';
import { composeMail, mailLanguage, type MailKind } from './mail-templates.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { ContactEntity } from '../database/schema/contact.entity.js';
import type { OutboxEntity } from '../database/schema/outbox.entity.js';

/** Turns an invitation's fresh token into a queued outbox row (subject, both bodies, recipient). */
@Injectable()
export class MailComposer {
  constructor(private readonly config: AppConfig) {}

  surveyUrl(token: string): string {
    return `${this.config.publicUrl}/s/${token}`;
  }

  unsubscribeUrl(token: string): string {
    return `${this.config.publicUrl}/unsubscribe/${token}`;
  }

  queued(
    kind: MailKind,
    campaign: CampaignEntity,
    contact: ContactEntity,
    token: string,
    now: string,
  ): OutboxEntity {
    const mail = composeMail({
      kind,
      language: mailLanguage(contact.language, campaign.languages),
      campaignName: campaign.name,
      anonymous: campaign.anonymous,
      closesAt: campaign.closesAt,
      contactName: contact.name,
      surveyUrl: this.surveyUrl(token),
      unsubscribeUrl: this.unsubscribeUrl(token),
    });
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
