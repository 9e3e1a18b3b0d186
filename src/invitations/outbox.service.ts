import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { conflict, notFound } from '../common/domain-error.js';
import { isUuid } from './invitations.service.js';
import { issueLink } from './links.js';
import { MailComposer } from './mail-composer.service.js';
import {
  type OutboxItemView,
  type OutboxListView,
  type ReminderRoundView,
  mapOutboxItem,
  mapReminderRounds,
} from './invitations.dto.js';
import { MailSender } from './mail-sender.service.js';
import { surveyLinkIn } from './mail-templates.js';
import { OutboxRepository } from './outbox.repository.js';
import type { OutboxStatus } from '../domain/delivery.js';

export interface OutboxQuery {
  campaignId?: string;
  status?: OutboxStatus;
  page?: number;
  pageSize?: number;
}

export interface OutboxPageItem extends OutboxItemView {
  /** Only for queued messages while no SMTP server is configured (offline demo). */
  message?: string;
  surveyUrl?: string;
}

export interface OutboxPage {
  items: OutboxPageItem[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  smtpConfigured: boolean;
  campaigns: Array<{ id: string; name: string }>;
  /** Reminder rounds of anonymous campaigns, as counts (their messages are not listed). */
  reminderRounds: Array<ReminderRoundView & { campaignName: string }>;
}

const DEFAULT_PAGE_SIZE = 50;

/** Why a retry is refused: the key travels in the page's redirect, the sentence in the API. */
export const RETRY_REFUSALS = {
  'not-failed': 'Only a failed message can be retried.',
  gone: 'The campaign or the contact of this message no longer exists.',
  closed: 'The campaign is no longer open, so the message would not be sent.',
  erased: 'The contact has been erased.',
  'opted-out': 'The contact has opted out of surveys.',
  answered: 'The contact has already answered.',
  changed: 'The message changed meanwhile; reload the page.',
} as const;
export type RetryRefusal = keyof typeof RETRY_REFUSALS;

/** The key of a refusal's sentence, if it is one. */
export const retryRefusalOf = (message: string): RetryRefusal | undefined =>
  (Object.keys(RETRY_REFUSALS) as RetryRefusal[]).find((k) => RETRY_REFUSALS[k] === message);

@Injectable()
export class OutboxService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly sender: MailSender,
    private readonly composer: MailComposer,
  ) {}

  /**
   * Queues a failed message again, composed afresh for the contact's current address with a new
   * personal link (the old body and its link were purged when it failed). Refused, with the
   * reason, when the mail could not be sent anyway. A reminder of an anonymous campaign is never
   * listed, so it cannot be retried by id either (SECURITY.md E9).
   */
  async retry(id: string): Promise<{ id: string; status: 'queued' }> {
    const target = isUuid(id) ? await this.outbox.retryTarget(id) : null;
    if (!target || (target.message.kind === 'reminder' && target.campaign?.anonymous))
      throw notFound('Message');
    const { message, campaign, contact, invitation } = target;
    const refuse = (reason: RetryRefusal) => conflict(RETRY_REFUSALS[reason]);
    if (message.status !== 'failed') throw refuse('not-failed');
    // A close digest has no contact and no link: it is not retried (the campaign page shows why).
    if (!campaign || !contact || !invitation || message.kind === 'digest') throw refuse('gone');
    if (campaign.status !== 'open') throw refuse('closed');
    if (contact.erasedAt !== null || contact.email === null) throw refuse('erased');
    if (contact.optedOut) throw refuse('opted-out');
    if (invitation.answered) throw refuse('answered');
    const now = iso();
    const link = issueLink(invitation.id, now);
    const kind = message.kind === 'reminder' ? 'reminder' : 'invitation';
    const mail = await this.composer.queued(kind, campaign, contact, link, now);
    if (!(await this.outbox.requeueFailed(message.id, mail, link.rows, now)))
      throw refuse('changed');
    return { id: message.id, status: 'queued' };
  }

  /**
   * Reminders of anonymous campaigns are never listed one by one (SECURITY.md E9): whoever got a
   * round's reminder had not answered yet, so two rounds would tell who answered in between. They
   * come as counts per round; their invitations (everyone invited gets one) stay listed, failures
   * included, so a bounce can still be acted on.
   */
  async list(query: OutboxQuery): Promise<OutboxListView> {
    const [[rows, total], rounds] = await Promise.all([
      this.outbox.list(query, query.page ?? 1, query.pageSize ?? DEFAULT_PAGE_SIZE),
      this.outbox.anonymousReminderRounds(query.campaignId),
    ]);
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    return {
      items: rows.map(mapOutboxItem),
      total,
      page: query.page ?? 1,
      pageSize,
      pages: Math.max(1, Math.ceil(total / pageSize)),
      reminderRounds: mapReminderRounds(rounds),
    };
  }

  /**
   * The admin page. With no SMTP server configured, queued messages are shown in full so an
   * offline demo can follow their links; the page is admin-only and says so.
   */
  async page(query: OutboxQuery): Promise<OutboxPage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const smtpConfigured = this.sender.enabled;
    const [[rows, total], campaigns, rounds] = await Promise.all([
      this.outbox.list(query, page, pageSize, !smtpConfigured),
      this.outbox.campaignNames(),
      this.outbox.anonymousReminderRounds(query.campaignId),
    ]);
    const names = new Map(campaigns.map((c) => [c.id, c.name]));
    const items = rows.map((row): OutboxPageItem => {
      const item: OutboxPageItem = mapOutboxItem(row);
      if (!smtpConfigured && row.status === 'queued' && row.bodyText) {
        item.message = row.bodyText;
        item.surveyUrl = surveyLinkIn(row.bodyText) ?? undefined;
      }
      return item;
    });
    return {
      items,
      total,
      page,
      pageSize,
      pages: Math.max(1, Math.ceil(total / pageSize)),
      smtpConfigured,
      campaigns,
      reminderRounds: mapReminderRounds(rounds).map((r) => ({
        ...r,
        campaignName: names.get(r.campaignId) ?? '',
      })),
    };
  }
}
