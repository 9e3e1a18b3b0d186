import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { isUniqueViolation } from '../common/driver-errors.js';
import { Db } from '../database/db.js';
import { chunked, type LinkRows } from './links.js';
import { cancelQueued } from '../database/waiting-mail.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import { ContactEntity } from '../database/schema/contact.entity.js';
import { InvitationLinkEntity } from '../database/schema/invitation-link.entity.js';
import { InvitationEntity } from '../database/schema/invitation.entity.js';
import { OutboxEntity } from '../database/schema/outbox.entity.js';
import { UnitEntity } from '../database/schema/unit.entity.js';
import { UnsubscribeLinkEntity } from '../database/schema/unsubscribe-link.entity.js';
import type { Audience } from '../domain/audience.js';

/** Stores the hashes of mails' survey and opt-out tokens (each in its own table), inside `m`. */
export async function insertLinks(m: EntityManager, rows: readonly LinkRows[]): Promise<void> {
  for (const part of chunked(rows)) {
    await m.insert(
      InvitationLinkEntity,
      part.map((r) => r.survey),
    );
    await m.insert(
      UnsubscribeLinkEntity,
      part.map((r) => r.unsubscribe),
    );
  }
}

/** Why a mail a reminder replaced was not sent. */
const REPLACED = 'replaced by a reminder';

/** 'changed': the campaign's status is no longer the one the rows were planned for. */
export type InsertOutcome = 'ok' | 'missing' | 'changed' | 'duplicate';

export interface NewInvitations {
  /** The campaign status the rows were planned for ('draft': no mails, 'open': with mails). */
  plannedFor: CampaignEntity['status'];
  invitations: InvitationEntity[];
  links: LinkRows[];
  mails: OutboxEntity[];
}

export interface ReminderItem {
  invitationId: string;
  contactId: string;
  /** The reminder count we read: the update only applies if nobody reminded in between. */
  seenReminders: number;
  link: LinkRows;
  mail: OutboxEntity;
}

export interface FirstMailItem {
  invitationId: string;
  link: LinkRows;
  mail: OutboxEntity;
}

export interface InvitationTarget {
  invitation: InvitationEntity;
  contact: ContactEntity;
  campaign: CampaignEntity;
}

/**
 * Invitations, their links and the mails they queue. Reads the organisation and campaign tables
 * through their entities (those features' services are not imported). Every write is one
 * `db.write` transaction, inserting in chunks that stay under SQLite's parameter limit.
 */
@Injectable()
export class InvitationsRepository {
  constructor(private readonly db: Db) {}

  findCampaign(id: string): Promise<CampaignEntity | null> {
    return this.db.manager.findOneBy(CampaignEntity, { id });
  }

  async contactsByIds(ids: readonly string[]): Promise<ContactEntity[]> {
    const out: ContactEntity[] = [];
    for (const part of chunked(ids)) {
      out.push(...(await this.db.manager.findBy(ContactEntity, { id: In(part) })));
    }
    return out;
  }

  units(): Promise<Array<Pick<UnitEntity, 'id' | 'code' | 'parentId'>>> {
    return this.db.manager.find(UnitEntity, { select: { id: true, code: true, parentId: true } });
  }

  async contactsInUnits(audience: Audience, unitIds: readonly string[]): Promise<ContactEntity[]> {
    const out: ContactEntity[] = [];
    for (const part of chunked(unitIds)) {
      out.push(
        ...(await this.db.manager.find(ContactEntity, {
          where: { audience, unitId: In(part) },
          order: { createdAt: 'ASC', id: 'ASC' },
        })),
      );
    }
    return out;
  }

  contactsOfAudience(audience: Audience): Promise<ContactEntity[]> {
    return this.db.manager.find(ContactEntity, {
      where: { audience },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async invitedContactIds(campaignId: string, contactIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunked(contactIds)) {
      const rows = await this.db.manager.find(InvitationEntity, {
        select: { contactId: true },
        where: { campaignId, contactId: In(part) },
      });
      for (const r of rows) out.add(r.contactId);
    }
    return out;
  }

  /** Contacts invited to any other campaign at or after `since` (the fatigue window). */
  async invitedElsewhereSince(
    campaignId: string,
    contactIds: readonly string[],
    since: string,
  ): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunked(contactIds)) {
      const rows = await this.db.manager
        .createQueryBuilder(InvitationEntity, 'i')
        .select('i.contactId', 'contactId')
        .distinct(true)
        .where('i.contactId IN (:...part)', { part })
        .andWhere('i.campaignId <> :campaignId', { campaignId })
        .andWhere('i.createdAt >= :since', { since })
        .getRawMany<{ contactId: string }>();
      for (const r of rows) out.add(r.contactId);
    }
    return out;
  }

  /**
   * Writes invitations, links and (for an open campaign) their mails in one transaction, if the
   * campaign's status is still the planned one (a draft that opened meanwhile must get its mails
   * now). The unique (campaign_id, contact_id) constraint stops concurrent duplicates: the whole
   * batch is rolled back and reported as 'duplicate'. For both the caller plans again.
   */
  async insertInvitations(campaignId: string, rows: NewInvitations): Promise<InsertOutcome> {
    try {
      return await this.db.write(async (m) => {
        const campaign = await this.lockedCampaign(m, campaignId);
        if (!campaign) return 'missing';
        if (campaign.status !== rows.plannedFor) return 'changed';
        for (const part of chunked(rows.invitations)) await m.insert(InvitationEntity, part);
        await insertLinks(m, rows.links);
        for (const part of chunked(rows.mails)) await m.insert(OutboxEntity, part);
        return 'ok';
      });
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate';
      throw err;
    }
  }

  /** Unanswered, not bounced invitations whose contact may still be mailed. */
  async reminderCandidates(
    campaignId: string,
  ): Promise<Array<{ invitation: InvitationEntity; contact: ContactEntity }>> {
    const invitations = await this.db.manager
      .createQueryBuilder(InvitationEntity, 'i')
      .innerJoin(ContactEntity, 'c', 'c.id = i.contactId')
      .where('i.campaignId = :campaignId', { campaignId })
      .andWhere('i.answered = :no', { no: false })
      .andWhere('i.status <> :bounced', { bounced: 'bounced' })
      .andWhere('c.optedOut = :no')
      .andWhere('c.erasedAt IS NULL')
      .andWhere('c.email IS NOT NULL')
      .orderBy('i.createdAt', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .getMany();
    const contacts = new Map(
      (await this.contactsByIds(invitations.map((i) => i.contactId))).map((c) => [c.id, c]),
    );
    return invitations.flatMap((invitation) => {
      const contact = contacts.get(invitation.contactId);
      return contact ? [{ invitation, contact }] : [];
    });
  }

  /**
   * Counts each reminder with a compare-and-set on `reminders`, so two concurrent reminder runs
   * cannot both mail one invitee. Earlier mails to the same invitee that are still queued are
   * cancelled: the reminder carries a fresh link and replaces them. On an anonymous campaign every
   * invitation mail still waiting is cancelled, the answered invitees' too, so which invitation
   * mails a round cancels says nothing about who answered. Returns the number queued, or null
   * when the campaign is no longer open.
   */
  async recordReminders(
    campaignId: string,
    items: readonly ReminderItem[],
    now: string,
    anonymous = false,
  ): Promise<number | null> {
    return this.db.write(async (m) => {
      const campaign = await this.lockedCampaign(m, campaignId);
      if (campaign?.status !== 'open') return null;
      const done: ReminderItem[] = [];
      const bySeen = new Map<number, ReminderItem[]>();
      for (const item of items) {
        const group = bySeen.get(item.seenReminders);
        if (group) group.push(item);
        else bySeen.set(item.seenReminders, [item]);
      }
      for (const [seen, group] of bySeen) {
        for (const part of chunked(group)) {
          const ids = part.map((p) => p.invitationId);
          const result = await m
            .createQueryBuilder()
            .update(InvitationEntity)
            .set({ reminders: () => 'reminders + 1', remindedAt: now })
            .where('id IN (:...ids) AND reminders = :seen AND answered = :no', {
              ids,
              seen,
              no: false,
            })
            .execute();
          if (result.affected === part.length) {
            done.push(...part);
            continue;
          }
          // Some rows changed since we read them (another reminder run, an answer): keep ours.
          const ours = await m.find(InvitationEntity, {
            select: { id: true },
            where: { id: In(ids), remindedAt: now, reminders: seen + 1 },
          });
          const oursIds = new Set(ours.map((r) => r.id));
          done.push(...part.filter((p) => oursIds.has(p.invitationId)));
        }
      }
      await cancelQueued(m, { campaignId, contactIds: done.map((d) => d.contactId) }, REPLACED);
      if (anonymous) {
        await m
          .createQueryBuilder()
          .update(OutboxEntity)
          .set({ status: 'cancelled', bodyText: null, bodyHtml: null, lastError: REPLACED })
          .where('campaign_id = :campaignId AND kind = :invitation AND status = :queued', {
            campaignId,
            invitation: 'invitation',
            queued: 'queued',
          })
          .execute();
      }
      await insertLinks(
        m,
        done.map((d) => d.link),
      );
      for (const part of chunked(done.map((d) => d.mail))) await m.insert(OutboxEntity, part);
      return done.length;
    });
  }

  /**
   * The last time anyone of the campaign was mailed, answered or not: the newest invitation (a
   * draft's wait for their first mail), invitation mail (sent, else queued) or reminder round.
   */
  async latestMailOfCampaign(campaignId: string): Promise<string | null> {
    const [invitation, mail] = await Promise.all([
      this.db.manager
        .createQueryBuilder(InvitationEntity, 'i')
        .select('MAX(i.created_at)', 'at')
        .where('i.campaign_id = :campaignId', { campaignId })
        .getRawOne<{ at: string | null }>(),
      this.db.manager
        .createQueryBuilder(OutboxEntity, 'o')
        .select(
          "MAX(CASE WHEN o.kind = 'invitation' THEN COALESCE(o.sent_at, o.created_at) ELSE o.created_at END)",
          'at',
        )
        .where('o.campaign_id = :campaignId', { campaignId })
        .getRawOne<{ at: string | null }>(),
    ]);
    const times = [invitation?.at, mail?.at].filter((t): t is string => typeof t === 'string');
    return times.sort().pop() ?? null;
  }

  async openCampaignIds(): Promise<string[]> {
    const rows = await this.db.manager.find(CampaignEntity, {
      select: { id: true },
      where: { status: 'open' },
    });
    return rows.map((r) => r.id);
  }

  /**
   * Invitations of an open campaign that never had a mail (made while it was a draft) and whose
   * contact may still be mailed.
   */
  async unmailedOf(campaignId: string, limit: number): Promise<InvitationTarget[]> {
    const invitations = await this.unmailedQuery(campaignId)
      .orderBy('i.createdAt', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .limit(limit)
      .getMany();
    if (!invitations.length) return [];
    const campaign = await this.db.manager.findOneBy(CampaignEntity, { id: campaignId });
    if (campaign?.status !== 'open') return [];
    const contacts = new Map(
      (await this.contactsByIds(invitations.map((i) => i.contactId))).map((c) => [c.id, c]),
    );
    return invitations.flatMap((invitation) => {
      const contact = contacts.get(invitation.contactId);
      return contact ? [{ invitation, contact, campaign }] : [];
    });
  }

  /**
   * Queues the first mail of invitations found by unmailedOf(). On PostgreSQL the invitation rows
   * are locked and re-checked inside the transaction, so when several instances sweep at once each
   * invitation still gets exactly one mail (SQLite writes are serialised anyway).
   */
  async queueFirstMails(campaignId: string, items: readonly FirstMailItem[]): Promise<number> {
    if (!items.length) return 0;
    return this.db.write(async (m) => {
      const ids = items.map((i) => i.invitationId);
      if (!this.db.isSqlite) {
        await m
          .createQueryBuilder(InvitationEntity, 'i')
          .select('i.id')
          .where('i.id IN (:...ids)', { ids })
          .setLock('pessimistic_write')
          .getMany();
      }
      const still = new Set(
        (
          await this.unmailedQuery(campaignId, m).andWhere('i.id IN (:...ids)', { ids }).getMany()
        ).map((i) => i.id),
      );
      const chosen = items.filter((i) => still.has(i.invitationId));
      await insertLinks(
        m,
        chosen.map((c) => c.link),
      );
      for (const part of chunked(chosen.map((c) => c.mail))) await m.insert(OutboxEntity, part);
      return chosen.length;
    });
  }

  // The outbox sub-select is uncorrelated on purpose: the database builds it once per query
  // (a correlated NOT EXISTS would scan the campaign's outbox rows once per invitation).
  private unmailedQuery(campaignId: string, manager = this.db.manager) {
    return manager
      .createQueryBuilder(InvitationEntity, 'i')
      .innerJoin(CampaignEntity, 'c', 'c.id = i.campaignId')
      .innerJoin(ContactEntity, 'ct', 'ct.id = i.contactId')
      .where('i.campaignId = :campaignId', { campaignId })
      .andWhere('c.status = :open', { open: 'open' })
      .andWhere('i.status = :created', { created: 'created' })
      .andWhere('i.sentAt IS NULL')
      .andWhere('ct.optedOut = :no', { no: false })
      .andWhere('ct.erasedAt IS NULL')
      .andWhere('ct.email IS NOT NULL')
      .andWhere(
        'i.contactId NOT IN (SELECT o.contact_id FROM outbox o WHERE o.campaign_id = :campaignId AND o.contact_id IS NOT NULL)',
      );
  }

  /**
   * The campaign's status inside a write. On PostgreSQL the row is share-locked until commit, so a
   * concurrent launch or close waits for us instead of slipping in between the check and the
   * inserts (SQLite writes are serialised anyway).
   */
  private lockedCampaign(m: EntityManager, id: string): Promise<CampaignEntity | null> {
    return m.findOne(CampaignEntity, {
      select: { id: true, status: true },
      where: { id },
      ...(this.db.isSqlite ? {} : { lock: { mode: 'pessimistic_read' as const } }),
    });
  }
}
