import { Injectable } from '@nestjs/common';
import { In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { isForeignKeyViolation } from '../common/driver-errors.js';
import { Db } from '../database/db.js';
import type { CampaignCounts, CampaignRecord } from './campaigns.dto.js';
import { AnswerCountEntity } from '../database/schema/answer-count.entity.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import { ContactEntity } from '../database/schema/contact.entity.js';
import { InvitationEntity } from '../database/schema/invitation.entity.js';
import { OutboxEntity } from '../database/schema/outbox.entity.js';
import { QuestionEntity } from '../database/schema/question.entity.js';
import { ResponseEntity } from '../database/schema/response.entity.js';
import { UnitEntity } from '../database/schema/unit.entity.js';
import type { Audience } from '../domain/audience.js';
import type { CampaignStatus } from '../domain/campaign-status.js';

export interface CampaignFilter {
  status?: CampaignStatus;
  audience?: Audience;
}

/** The definition fields a draft may change (everything but identity, status and timestamps). */
export type CampaignDefinitionFields = Pick<
  CampaignEntity,
  'name' | 'audience' | 'wave' | 'anonymous' | 'languages' | 'headline' | 'closesAt'
>;

/** The schedule columns a schedule change may set. */
export type ScheduleFields = Partial<
  Pick<CampaignEntity, 'opensAt' | 'closesAt' | 'reminderAfterDays' | 'reminderMax'>
>;

/** A reminder round as the outbox recorded it: when it was queued and how many mails. */
export interface ReminderRound {
  at: string;
  count: number;
}

/** The only file of the campaigns feature that talks TypeORM. */
@Injectable()
export class CampaignsRepository {
  constructor(private readonly db: Db) {}

  // --- reads ---------------------------------------------------------------------------------

  async findRecord(id: string): Promise<CampaignRecord | null> {
    const m = this.db.manager;
    const [campaign, questions] = await Promise.all([
      m.findOneBy(CampaignEntity, { id }),
      m.find(QuestionEntity, { where: { campaignId: id }, order: { position: 'ASC' } }),
    ]);
    if (!campaign) return null;
    const unitIds = [
      ...new Set(questions.map((q) => q.providerUnitId).filter((u): u is string => u !== null)),
    ];
    const units = unitIds.length ? await m.findBy(UnitEntity, { id: In(unitIds) }) : [];
    return { campaign, questions, unitCodes: new Map(units.map((u) => [u.id, u.code])) };
  }

  findCampaign(id: string): Promise<CampaignEntity | null> {
    return this.db.manager.findOneBy(CampaignEntity, { id });
  }

  list(filter: CampaignFilter): Promise<CampaignEntity[]> {
    const qb = this.db.manager.createQueryBuilder(CampaignEntity, 'c');
    this.applyFilter(qb, filter);
    return qb.orderBy('c.createdAt', 'DESC').addOrderBy('c.id', 'ASC').getMany();
  }

  /**
   * Invitation and response counts per campaign matching the filter: one GROUP BY query each (the
   * responses added up from the per-unit rows of `answer_counts`, not counted one by one).
   */
  async countsByCampaign(filter: CampaignFilter): Promise<Map<string, CampaignCounts>> {
    const [invitedRows, responseRows] = await Promise.all([
      this.countPerCampaign(InvitationEntity, filter),
      this.responsesPerCampaign(filter),
    ]);
    const counts = new Map<string, CampaignCounts>();
    const entry = (id: string) => {
      let c = counts.get(id);
      if (!c) counts.set(id, (c = { invited: 0, responses: 0 }));
      return c;
    };
    for (const r of invitedRows) entry(r.campaignId).invited = Number(r.n);
    for (const r of responseRows) entry(r.campaignId).responses = Number(r.n);
    return counts;
  }

  async countsFor(id: string): Promise<CampaignCounts> {
    const m = this.db.manager;
    const [invited, responses] = await Promise.all([
      m.countBy(InvitationEntity, { campaignId: id }),
      m.sum(AnswerCountEntity, 'n', { campaignId: id, kind: 'resp' }),
    ]);
    return { invited, responses: Number(responses ?? 0) };
  }

  /** Every unit's code and name, by code: the provider units the builder offers. */
  async unitChoices(): Promise<Array<{ code: string; name: string }>> {
    const units = await this.db.manager.find(UnitEntity, { order: { code: 'ASC' } });
    return units.map((u) => ({ code: u.code, name: u.name }));
  }

  /**
   * Who the next mails of a campaign would reach: invitations still to be mailed at launch, and
   * invitees a reminder round would reach now (not answered, not bounced, still mailable).
   */
  async mailRecipients(id: string): Promise<{ unsent: number; unanswered: number }> {
    const base = () =>
      this.db.manager
        .createQueryBuilder(InvitationEntity, 'i')
        .innerJoin(ContactEntity, 'c', 'c.id = i.contactId')
        .where('i.campaignId = :id', { id })
        .andWhere('c.optedOut = :no', { no: false })
        .andWhere('c.erasedAt IS NULL')
        .andWhere('c.email IS NOT NULL');
    const [unsent, unanswered] = await Promise.all([
      base().andWhere('i.sentAt IS NULL').getCount(),
      base()
        .andWhere('i.answered = :no', { no: false })
        .andWhere('i.status <> :bounced', { bounced: 'bounced' })
        .getCount(),
    ]);
    return { unsent, unanswered };
  }

  /** When the last reminder of the campaign went out (null: never). */
  async lastReminderAt(id: string): Promise<string | null> {
    const row = await this.db.manager
      .createQueryBuilder(InvitationEntity, 'i')
      .select('MAX(i.remindedAt)', 'last')
      .where('i.campaignId = :id', { id })
      .getRawOne<{ last: string | null }>();
    return row?.last ?? null;
  }

  /** Reminder rounds of a campaign, newest first (one group of reminder mails queued together). */
  async reminderRounds(id: string, limit = 20): Promise<ReminderRound[]> {
    const rows = await this.db.manager
      .createQueryBuilder(OutboxEntity, 'o')
      .select('o.createdAt', 'at')
      .addSelect('COUNT(*)', 'n')
      .where('o.campaignId = :id AND o.kind = :reminder', { id, reminder: 'reminder' })
      .groupBy('o.createdAt')
      .orderBy('o.createdAt', 'DESC')
      .limit(limit)
      .getRawMany<{ at: string; n: number | string }>();
    return rows.map((r) => ({ at: r.at, count: Number(r.n) }));
  }

  /** Drafts whose opening date has come (and whose closing date has not): to be launched. */
  async dueScheduled(now: string): Promise<string[]> {
    const rows = await this.db.manager
      .createQueryBuilder(CampaignEntity, 'c')
      .select('c.id', 'id')
      .where('c.status = :draft', { draft: 'draft' })
      .andWhere('c.opens_at IS NOT NULL AND c.opens_at <= :now', { now })
      .andWhere('(c.closes_at IS NULL OR c.closes_at > :now)', { now })
      .orderBy('c.opens_at', 'ASC')
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Open campaigns with an automatic reminder plan that still has rounds to send. */
  withReminderPlan(): Promise<CampaignEntity[]> {
    return this.db.manager
      .createQueryBuilder(CampaignEntity, 'c')
      .where('c.status = :open', { open: 'open' })
      .andWhere('c.reminder_after_days IS NOT NULL AND c.reminder_max IS NOT NULL')
      .andWhere('c.auto_reminders < c.reminder_max')
      .getMany();
  }

  /** unit code → unit id, for the codes that exist. */
  async unitIdsByCode(codes: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(codes)];
    if (!unique.length) return new Map();
    const units = await this.db.manager.findBy(UnitEntity, { code: In(unique) });
    return new Map(units.map((u) => [u.code, u.id]));
  }

  // --- writes --------------------------------------------------------------------------------

  async insert(campaign: CampaignEntity, questions: QuestionEntity[]): Promise<void> {
    await this.write(async (m) => {
      await m.insert(CampaignEntity, campaign);
      await m.insert(QuestionEntity, questions);
    });
  }

  /** Replaces the definition only while the campaign is a draft; false when it no longer is. */
  async replaceDraftDefinition(
    id: string,
    fields: CampaignDefinitionFields,
    questions: QuestionEntity[],
  ): Promise<boolean> {
    return this.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(CampaignEntity)
        .set(fields)
        .where('id = :id AND status = :draft', { id, draft: 'draft' })
        .execute();
      if (result.affected !== 1) return false;
      await m.delete(QuestionEntity, { campaignId: id });
      await m.insert(QuestionEntity, questions);
      return true;
    });
  }

  /** Sets schedule columns while the campaign is in one of `states`; false when it no longer is. */
  async setSchedule(
    id: string,
    fields: ScheduleFields,
    states: readonly CampaignStatus[],
  ): Promise<boolean> {
    if (!Object.keys(fields).length) return true;
    return this.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(CampaignEntity)
        .set(fields)
        .where('id = :id AND status IN (:...states)', { id, states })
        .execute();
      return result.affected === 1;
    });
  }

  /**
   * Claims automatic reminder round `seen + 1` of an open campaign: one conditional UPDATE, so of
   * several instances seeing the same round due exactly one gets true and sends it.
   */
  async claimAutoReminder(id: string, seen: number, now: string): Promise<boolean> {
    return this.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(CampaignEntity)
        .set({ autoReminders: seen + 1, lastAutoReminderAt: now })
        .where('id = :id AND status = :open AND auto_reminders = :seen', {
          id,
          open: 'open',
          seen,
        })
        .execute();
      return result.affected === 1;
    });
  }

  /** Deletes a draft that has no responses (its questions and invitations go with it). */
  async deleteUnansweredDraft(id: string): Promise<boolean> {
    return this.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .delete()
        .from(CampaignEntity)
        .where('id = :id AND status = :draft', { id, draft: 'draft' })
        .andWhere('NOT EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = :id)', { id })
        .execute();
      return result.affected === 1;
    });
  }

  /**
   * draft → open, unless closesAt has already passed (`scheduled`: only once opensAt has come). Only one of many concurrent calls wins. The
   * winner freezes the unit tree the campaign reports on (campaign_units) in the same transaction:
   * one INSERT … SELECT, so it is the tree of one moment, whatever is being edited meanwhile.
   */
  async openDraft(
    id: string,
    now: string,
    how: 'manual' | 'scheduled' = 'manual',
  ): Promise<boolean> {
    return this.write(async (m) => {
      const update = m
        .createQueryBuilder()
        .update(CampaignEntity)
        // A manual launch drops an opening date still to come; a scheduled one keeps it.
        .set(
          how === 'manual'
            ? { status: 'open', launchedAt: now, opensAt: null }
            : { status: 'open', launchedAt: now },
        )
        .where('id = :id AND status = :draft', { id, draft: 'draft' })
        .andWhere('(closes_at IS NULL OR closes_at > :now)', { now });
      if (how === 'scheduled')
        update.andWhere('opens_at IS NOT NULL AND opens_at <= :now', { now });
      const result = await update.execute();
      if (result.affected !== 1) return false;
      await m.query(
        `INSERT INTO campaign_units (campaign_id, unit_id, code, name, parent_id)
         SELECT ${this.db.isSqlite ? '?' : '$1'}, id, code, name, parent_id FROM units`,
        [id],
      );
      return true;
    });
  }

  /** draft|open → closed. Only one of many concurrent calls wins. */
  async closeUnlessClosed(id: string, now: string): Promise<boolean> {
    return this.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(CampaignEntity)
        .set({ status: 'closed', closedAt: now })
        .where('id = :id AND status IN (:...states)', { id, states: ['draft', 'open'] })
        .execute();
      return result.affected === 1;
    });
  }

  /** Closes every open campaign whose closesAt has come. Idempotent; safe on several instances. */
  async closeExpired(now: string): Promise<number> {
    return this.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(CampaignEntity)
        .set({ status: 'closed', closedAt: now })
        .where('status = :open', { open: 'open' })
        .andWhere('closes_at IS NOT NULL AND closes_at <= :now', { now })
        .execute();
      return result.affected ?? 0;
    });
  }

  /** SELECT campaign_id, COUNT(*) FROM <table> JOIN campaigns … GROUP BY campaign_id */
  private countPerCampaign(
    entity: typeof InvitationEntity | typeof ResponseEntity,
    filter: CampaignFilter,
  ): Promise<Array<{ campaignId: string; n: number | string }>> {
    const qb = this.db.manager
      .createQueryBuilder(entity, 'x')
      .innerJoin(CampaignEntity, 'c', 'c.id = x.campaignId')
      .select('x.campaignId', 'campaignId')
      .addSelect('COUNT(*)', 'n')
      .groupBy('x.campaignId');
    this.applyFilter(qb, filter);
    return qb.getRawMany();
  }

  private responsesPerCampaign(
    filter: CampaignFilter,
  ): Promise<Array<{ campaignId: string; n: number | string }>> {
    const qb = this.db.manager
      .createQueryBuilder(AnswerCountEntity, 'x')
      .innerJoin(CampaignEntity, 'c', 'c.id = x.campaignId')
      .select('x.campaignId', 'campaignId')
      .addSelect('SUM(x.n)', 'n')
      .where("x.kind = 'resp'")
      .groupBy('x.campaignId');
    this.applyFilter(qb, filter);
    return qb.getRawMany();
  }

  private applyFilter<T extends object>(qb: SelectQueryBuilder<T>, filter: CampaignFilter): void {
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.audience) qb.andWhere('c.audience = :audience', { audience: filter.audience });
  }

  /** Every write through Db.write; a provider unit deleted meanwhile becomes a 409, not a 500. */
  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.db.write(work);
    } catch (err) {
      if (isForeignKeyViolation(err))
        throw new DomainError(
          ErrorCode.ProviderUnitRemoved,
          'A unit named by the campaign was removed meanwhile; please retry',
        );
      throw err;
    }
  }
}
