import { Injectable } from '@nestjs/common';
import { ErrorCode, notFound } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import {
  mapCampaign,
  mapCampaignSummary,
  type CampaignCounts,
  type CampaignSummaryView,
  type CampaignView,
} from './campaigns.dto.js';
import { iso } from '../common/clock.js';
import { nextReminderAt } from './campaign-schedule.js';
import {
  CampaignsRepository,
  type CampaignFilter,
  type ReminderRound,
} from './campaigns.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** CAMPAIGN_NOT_FOUND: "Campaign not found". */
export const campaignNotFound = () => notFound('Campaign', ErrorCode.CampaignNotFound);

/** Campaign ids are UUIDs; anything else cannot name a campaign (and never reaches the database). */
export const isCampaignId = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);

/**
 * The read API of campaigns, exported for the other modules (invitations, responses, reports):
 * `get(id)` gives the campaign with its parsed questions.
 */
/** When a manual reminder round is refused: the last round's time and when the next may go. */
export interface ReminderWait {
  lastReminderAt: string;
  nextAt: string;
  intervalHours: number;
  message: string;
}

/** The reminder side of a campaign's schedule, for its page. */
export interface ReminderSchedule {
  /** When the next automatic round is due (null: none will go). */
  nextAutoAt: string | null;
  lastReminderAt: string | null;
  /** Newest first. */
  rounds: ReminderRound[];
}

/** An automatic reminder round that is due: to be claimed (round `seen + 1`) and sent. */
export interface DueReminderRound {
  campaignId: string;
  seen: number;
}

const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

@Injectable()
export class CampaignsService {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * The Remind button's interval (REMIND_INTERVAL_HOURS, default 24): null when a manual round may
   * go now, else when the last one went and when the next may.
   */
  get remindIntervalHours(): number {
    return this.config.env.REMIND_INTERVAL_HOURS;
  }

  async reminderWait(id: string, now = new Date()): Promise<ReminderWait | null> {
    const hours = this.config.env.REMIND_INTERVAL_HOURS;
    if (!isCampaignId(id) || hours === 0) return null;
    const last = await this.campaigns.lastReminderAt(id);
    if (last === null) return null;
    const next = new Date(Date.parse(last) + hours * 3_600_000);
    if (next <= now) return null;
    return {
      lastReminderAt: last,
      nextAt: next.toISOString(),
      intervalHours: hours,
      message:
        `The last reminder round went at ${minute(last)}; at most one round every ${hours} hours, ` +
        `so the next is possible from ${minute(next.toISOString())}.`,
    };
  }

  /** When the next automatic round is due, and the rounds so far. */
  async reminderSchedule(c: CampaignView): Promise<ReminderSchedule> {
    const [lastReminderAt, rounds] = await Promise.all([
      this.campaigns.lastReminderAt(c.id),
      this.campaigns.reminderRounds(c.id),
    ]);
    const state = {
      ...c,
      reminderAfterDays: c.reminderPlan?.afterDays ?? null,
      reminderMax: c.reminderPlan?.maxReminders ?? null,
    };
    return {
      nextAutoAt: nextReminderAt(state, lastReminderAt, this.remindIntervalHours),
      lastReminderAt,
      rounds,
    };
  }

  /** The automatic reminder rounds due at `now` (see nextReminderAt for the rules). */
  async dueReminderRounds(now = new Date()): Promise<DueReminderRound[]> {
    const at = iso(now);
    const due: DueReminderRound[] = [];
    for (const c of await this.campaigns.withReminderPlan()) {
      const next = nextReminderAt(
        c,
        await this.campaigns.lastReminderAt(c.id),
        this.remindIntervalHours,
      );
      if (next !== null && next <= at && (c.closesAt === null || c.closesAt > at))
        due.push({ campaignId: c.id, seen: c.autoReminders ?? 0 });
    }
    return due;
  }

  /** Claims a due round: true for exactly one caller of many (a conditional UPDATE). */
  claimReminderRound(round: DueReminderRound, now = new Date()): Promise<boolean> {
    return this.campaigns.claimAutoReminder(round.campaignId, round.seen, iso(now));
  }

  /** The campaign with its questions; a DomainError CAMPAIGN_NOT_FOUND when there is none. */
  async get(id: string): Promise<CampaignView> {
    const campaign = await this.find(id);
    if (!campaign) throw campaignNotFound();
    return campaign;
  }

  async find(id: string): Promise<CampaignView | null> {
    if (!isCampaignId(id)) return null;
    const record = await this.campaigns.findRecord(id);
    return record ? mapCampaign(record) : null;
  }

  /** Newest first, each with its invitation and response counts. */
  async list(filter: CampaignFilter = {}): Promise<CampaignSummaryView[]> {
    const [campaigns, counts] = await Promise.all([
      this.campaigns.list(filter),
      this.campaigns.countsByCampaign(filter),
    ]);
    return campaigns.map((c) =>
      mapCampaignSummary(c, counts.get(c.id) ?? { invited: 0, responses: 0 }),
    );
  }

  async counts(id: string): Promise<CampaignCounts> {
    if (!isCampaignId(id)) throw campaignNotFound();
    return this.campaigns.countsFor(id);
  }
}
