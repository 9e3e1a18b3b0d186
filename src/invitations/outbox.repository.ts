import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { Db } from '../database/db.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import { ContactEntity } from '../database/schema/contact.entity.js';
import { InvitationEntity } from '../database/schema/invitation.entity.js';
import { OutboxEntity } from '../database/schema/outbox.entity.js';
import type { OutboxStatus } from '../domain/delivery.js';
import { insertLinks } from './invitations.repository.js';
import type { LinkRows } from './links.js';

export interface OutboxFilter {
  campaignId?: string;
  status?: OutboxStatus;
}

export interface Recipient {
  campaignStatus: CampaignEntity['status'] | null;
  optedOut: boolean;
  erased: boolean;
}

/** The message belongs to an anonymous campaign (a raw condition on the alias `o`). */
const ANONYMOUS_CAMPAIGN =
  'o.campaign_id IN (SELECT c.id FROM campaigns c WHERE c.anonymous = :yes)';

/** What a retry of one failed message needs to compose it again. */
export interface RetryTarget {
  message: OutboxEntity;
  campaign: CampaignEntity | null;
  contact: ContactEntity | null;
  invitation: InvitationEntity | null;
}

export interface ReminderRoundCount {
  campaignId: string;
  /** The moment the round was queued: every reminder of one run has it. */
  createdAt: string;
  status: OutboxStatus;
  n: number;
}

/** Message fields that may be listed; the bodies hold a raw token and are read only on request. */
const LISTED = [
  'id',
  'campaignId',
  'contactId',
  'kind',
  'toAddress',
  'subject',
  'status',
  'attempts',
  'nextAttemptAt',
  'lockedUntil',
  'lastError',
  'createdAt',
  'sentAt',
] as const;

/**
 * The outbox as a work queue shared by every app instance: a message is claimed with one
 * conditional UPDATE (only the instance whose update touched the row sends it), and every result is
 * recorded only while the claim is still ours (status 'sending' with our attempt number).
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  /**
   * One page of the listed messages. Reminders of anonymous campaigns are never listed: who got a
   * reminder is who had not answered yet, so round after round the list would tell who answered in
   * between (SECURITY.md E9); `anonymousReminderRounds` gives their counts instead.
   */
  async list(
    filter: OutboxFilter,
    page: number,
    pageSize: number,
    withBodies = false,
  ): Promise<[OutboxEntity[], number]> {
    const fields = [...LISTED, ...(withBodies ? (['bodyText'] as const) : [])];
    const query = this.db.manager
      .createQueryBuilder(OutboxEntity, 'o')
      .select(fields.map((k) => `o.${k}`))
      .where(`NOT (o.kind = :reminder AND ${ANONYMOUS_CAMPAIGN})`, {
        reminder: 'reminder',
        yes: true,
      });
    if (filter.campaignId)
      query.andWhere('o.campaignId = :campaignId', { campaignId: filter.campaignId });
    if (filter.status) query.andWhere('o.status = :status', { status: filter.status });
    return query
      .orderBy('o.createdAt', 'DESC')
      .addOrderBy('o.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
  }

  /**
   * The reminders of anonymous campaigns as counts: per campaign, per round (the rows one reminder
   * run queued share its `createdAt`) and per status.
   */
  async anonymousReminderRounds(campaignId?: string): Promise<ReminderRoundCount[]> {
    const query = this.db.manager
      .createQueryBuilder(OutboxEntity, 'o')
      .select('o.campaign_id', 'campaignId')
      .addSelect('o.created_at', 'createdAt')
      .addSelect('o.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where('o.kind = :reminder', { reminder: 'reminder' })
      .andWhere(ANONYMOUS_CAMPAIGN, { yes: true });
    if (campaignId) query.andWhere('o.campaign_id = :campaignId', { campaignId });
    const rows = await query
      .groupBy('o.campaign_id')
      .addGroupBy('o.created_at')
      .addGroupBy('o.status')
      .getRawMany<{ campaignId: string; createdAt: string; status: OutboxStatus; n: string }>();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  campaignNames(): Promise<Array<Pick<CampaignEntity, 'id' | 'name'>>> {
    return this.db.manager.find(CampaignEntity, {
      select: { id: true, name: true },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
  }

  /** A message with its campaign, contact and invitation; null for an unknown id. */
  async retryTarget(id: string): Promise<RetryTarget | null> {
    const message = await this.db.manager.findOneBy(OutboxEntity, { id });
    if (!message) return null;
    const [campaign, contact, invitation] = await Promise.all([
      message.campaignId
        ? this.db.manager.findOneBy(CampaignEntity, { id: message.campaignId })
        : null,
      message.contactId
        ? this.db.manager.findOneBy(ContactEntity, { id: message.contactId })
        : null,
      message.campaignId && message.contactId
        ? this.db.manager.findOneBy(InvitationEntity, {
            campaignId: message.campaignId,
            contactId: message.contactId,
          })
        : null,
    ]);
    return { message, campaign, contact, invitation };
  }

  /**
   * A failed message queued again with a freshly composed mail (its old body, with the old link,
   * was purged when it failed) and the new link; a bounced invitation counts as created again.
   * Only while the message is still failed: false when something else changed it first.
   */
  async requeueFailed(
    id: string,
    mail: Pick<OutboxEntity, 'toAddress' | 'subject' | 'bodyText' | 'bodyHtml'>,
    link: LinkRows,
    now: string,
  ): Promise<boolean> {
    return this.db.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({
          toAddress: mail.toAddress,
          subject: mail.subject,
          bodyText: mail.bodyText,
          bodyHtml: mail.bodyHtml,
          status: 'queued',
          attempts: 0,
          nextAttemptAt: now,
          lockedUntil: null,
          lastError: null,
        })
        .where('id = :id AND status = :failed', { id, failed: 'failed' })
        .execute();
      if (result.affected !== 1) return false;
      await insertLinks(m, [link]);
      await m
        .createQueryBuilder()
        .update(InvitationEntity)
        .set({ status: 'created' })
        .where('id = :invitationId AND status = :bounced', {
          invitationId: link.survey.invitationId,
          bounced: 'bounced',
        })
        .execute();
      return true;
    });
  }

  /** Ids of messages that may be claimed now: queued and due, or a lapsed claim (a dead sender). */
  async dueIds(now: string, limit: number): Promise<string[]> {
    const rows = await this.db.manager
      .createQueryBuilder(OutboxEntity, 'o')
      .select('o.id', 'id')
      .where(this.dueCondition())
      .setParameters({ now, queued: 'queued', sending: 'sending' })
      .orderBy('o.nextAttemptAt', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Claims one message for `lockedUntil`; null if another sender has it or it is not due. */
  async claim(id: string, now: string, lockedUntil: string): Promise<OutboxEntity | null> {
    const affected = await this.db.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ status: 'sending', lockedUntil, attempts: () => 'attempts + 1' })
        .where('id = :id', { id })
        .andWhere(
          new Brackets((qb) =>
            qb
              .where('(status = :queued AND next_attempt_at <= :now)')
              .orWhere('(status = :sending AND locked_until < :now)'),
          ),
        )
        .setParameters({ id, now, queued: 'queued', sending: 'sending' })
        .execute();
      return result.affected ?? 0;
    });
    if (affected !== 1) return null;
    return this.db.manager.findOneBy(OutboxEntity, { id });
  }

  async recipient(message: OutboxEntity): Promise<Recipient> {
    const [campaign, contact] = await Promise.all([
      message.campaignId
        ? this.db.manager.findOne(CampaignEntity, {
            select: { id: true, status: true },
            where: { id: message.campaignId },
          })
        : null,
      message.contactId
        ? this.db.manager.findOne(ContactEntity, {
            select: { id: true, optedOut: true, erasedAt: true, email: true },
            where: { id: message.contactId },
          })
        : null,
    ]);
    return {
      campaignStatus: campaign?.status ?? null,
      optedOut: contact?.optedOut ?? false,
      erased: !contact || contact.erasedAt !== null || contact.email === null,
    };
  }

  /** Sent: the bodies (with the raw token) are purged, the invitation counts as sent. */
  async markSent(message: OutboxEntity, now: string): Promise<boolean> {
    return this.db.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({
          status: 'sent',
          sentAt: now,
          lockedUntil: null,
          bodyText: null,
          bodyHtml: null,
          lastError: null,
        })
        .where(this.ours(), this.ownership(message))
        .execute();
      if (result.affected !== 1) return false;
      if (message.campaignId && message.contactId) {
        await m
          .createQueryBuilder()
          .update(InvitationEntity)
          .set({ status: 'sent', sentAt: now })
          .where('campaign_id = :campaignId AND contact_id = :contactId AND status = :created', {
            campaignId: message.campaignId,
            contactId: message.contactId,
            created: 'created',
          })
          .execute();
      }
      return true;
    });
  }

  /** A transient failure: back in the queue, due again at `nextAttemptAt`. */
  async markRetry(message: OutboxEntity, nextAttemptAt: string, error: string): Promise<void> {
    await this.db.write((m) =>
      m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ status: 'queued', nextAttemptAt, lockedUntil: null, lastError: error })
        .where(this.ours(), this.ownership(message))
        .execute(),
    );
  }

  /** Given up (permanent error or too many attempts); a rejected recipient bounces the invitation. */
  async markFailed(message: OutboxEntity, error: string, bounced: boolean): Promise<void> {
    await this.db.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({
          status: 'failed',
          lockedUntil: null,
          lastError: error,
          bodyText: null,
          bodyHtml: null,
        })
        .where(this.ours(), this.ownership(message))
        .execute();
      if (result.affected === 1 && bounced && message.campaignId && message.contactId) {
        await m
          .createQueryBuilder()
          .update(InvitationEntity)
          .set({ status: 'bounced' })
          .where('campaign_id = :campaignId AND contact_id = :contactId AND answered = :no', {
            campaignId: message.campaignId,
            contactId: message.contactId,
            no: false,
          })
          .execute();
      }
    });
  }

  /** Not sent at all (campaign closed, contact opted out or erased); the bodies are purged. */
  async markCancelled(message: OutboxEntity, reason: string): Promise<void> {
    await this.db.write((m) =>
      m
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({
          status: 'cancelled',
          lockedUntil: null,
          lastError: reason,
          bodyText: null,
          bodyHtml: null,
        })
        .where(this.ours(), this.ownership(message))
        .execute(),
    );
  }

  private dueCondition(): Brackets {
    return new Brackets((qb) =>
      qb
        .where('(o.status = :queued AND o.nextAttemptAt <= :now)')
        .orWhere('(o.status = :sending AND o.lockedUntil < :now)'),
    );
  }

  private ours(): string {
    return 'id = :id AND status = :sending AND attempts = :attempts';
  }

  private ownership(message: OutboxEntity): Record<string, unknown> {
    return { id: message.id, sending: 'sending', attempts: message.attempts };
  }
}
