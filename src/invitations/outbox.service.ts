import { Injectable } from '@nestjs/common';
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

@Injectable()
export class OutboxService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly sender: MailSender,
  ) {}

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
    return { items: rows.map(mapOutboxItem), total, reminderRounds: mapReminderRounds(rounds) };
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
