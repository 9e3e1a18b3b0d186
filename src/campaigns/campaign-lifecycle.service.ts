import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { DomainError, ErrorCode, invalid, type FieldError } from '../common/domain-error.js';
import { normaliseDateTime } from './campaign-definition.js';
import { validateSchedule, type ReminderPlan, type ScheduleChange } from './campaign-schedule.js';
import { CampaignsRepository, type ScheduleFields } from './campaigns.repository.js';
import { campaignNotFound, isCampaignId } from './campaigns.service.js';
import type { CampaignStatus } from '../domain/campaign-status.js';

/** Why a launch or a close was refused (each a 409 that says why). */
export const LIFECYCLE_REFUSALS = [
  ErrorCode.CampaignNotDraft,
  ErrorCode.ClosingTimePassed,
  ErrorCode.CampaignChanged,
  ErrorCode.CampaignAlreadyClosed,
] as const;

/**
 * draft → open → closed (or draft → closed). Each move is one conditional UPDATE, so of any
 * number of concurrent requests exactly one wins; the losers get a 409 that says why.
 */
@Injectable()
export class CampaignLifecycleService {
  constructor(private readonly repository: CampaignsRepository) {}

  /** Launching also freezes the unit tree the campaign reports on (`openDraft`, same transaction). */
  async launch(id: string): Promise<{ status: CampaignStatus }> {
    const now = iso();
    if (isCampaignId(id) && (await this.repository.openDraft(id, now, 'manual')))
      return { status: 'open' };
    const current = isCampaignId(id) ? await this.repository.findCampaign(id) : null;
    if (!current) throw campaignNotFound();
    if (current.status !== 'draft')
      throw new DomainError(
        ErrorCode.CampaignNotDraft,
        `the campaign is already ${current.status}`,
      );
    if (current.closesAt !== null && current.closesAt <= now)
      throw new DomainError(
        ErrorCode.ClosingTimePassed,
        'the closing time of the campaign has already passed; change closesAt first',
      );
    throw new DomainError(
      ErrorCode.CampaignChanged,
      'the campaign changed meanwhile; please retry',
    );
  }

  async close(id: string): Promise<{ status: CampaignStatus }> {
    if (isCampaignId(id) && (await this.repository.closeUnlessClosed(id, iso())))
      return { status: 'closed' };
    const current = isCampaignId(id) ? await this.repository.findCampaign(id) : null;
    if (!current) throw campaignNotFound();
    throw new DomainError(ErrorCode.CampaignAlreadyClosed, 'the campaign is already closed');
  }

  /** Closes the open campaigns whose closesAt has come; returns how many. */
  closeExpired(now = new Date()): Promise<number> {
    return this.repository.closeExpired(iso(now));
  }

  /**
   * Launches the scheduled drafts whose opening date has come, each exactly like a manual launch
   * (the unit tree frozen, the invitations then mailed by the mail worker's sweep). Each is one
   * conditional UPDATE, so with several instances sweeping at once each campaign opens once.
   */
  async launchDue(now = new Date()): Promise<number> {
    const at = iso(now);
    let launched = 0;
    for (const id of await this.repository.dueScheduled(at))
      if (await this.repository.openDraft(id, at, 'scheduled')) launched++;
    return launched;
  }

  /** The problems of a schedule change for a campaign in `current` state (nothing written). */
  scheduleErrors(
    change: ScheduleChange,
    current: Parameters<typeof validateSchedule>[1],
    now = new Date(),
  ): FieldError[] {
    return validateSchedule(normalised(change), current, iso(now));
  }

  /**
   * Sets the opening date, closing date and reminder plan of a draft or open campaign (absent
   * keys stay as they are, null clears). 400 with field errors, 409 when closed.
   */
  async setSchedule(id: string, change: ScheduleChange): Promise<void> {
    const current = isCampaignId(id) ? await this.repository.findCampaign(id) : null;
    if (!current) throw campaignNotFound();
    if (current.status === 'closed')
      throw new DomainError(
        ErrorCode.CampaignAlreadyClosed,
        'the campaign is closed; its schedule can no longer change',
      );
    const change2 = normalised(change);
    const errors = validateSchedule(change2, current, iso());
    if (errors.length) throw invalid('The schedule is not valid', errors);
    const fields: ScheduleFields = {};
    if (change2.opensAt !== undefined) fields.opensAt = change2.opensAt;
    if (change2.closesAt !== undefined) fields.closesAt = change2.closesAt;
    if (change2.reminderPlan !== undefined) {
      const plan: ReminderPlan | null = change2.reminderPlan;
      fields.reminderAfterDays = plan?.afterDays ?? null;
      fields.reminderMax = plan?.maxReminders ?? null;
    }
    const opensChanges =
      change2.opensAt !== undefined && change2.opensAt !== (current.opensAt ?? null);
    const states = opensChanges ? (['draft'] as const) : (['draft', 'open'] as const);
    if (!(await this.repository.setSchedule(id, fields, states)))
      throw new DomainError(
        ErrorCode.CampaignChanged,
        'the campaign changed meanwhile; please retry',
      );
  }
}

/** Dates in their stored form (fixed-width UTC), so they compare as text. */
function normalised(change: ScheduleChange): ScheduleChange {
  const date = (v: string | null | undefined) =>
    v === undefined || v === null ? v : normaliseDateTime(v);
  return { ...change, opensAt: date(change.opensAt), closesAt: date(change.closesAt) };
}
