/**
 * The campaign schedule (issue 8): an optional opening date, the closing date and the automatic
 * reminder plan. Pure: no framework, no database, no clock (the caller passes `now`).
 */
import type { FieldError } from '../common/domain-error.js';
import type { CampaignStatus } from '../domain/campaign-status.js';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Limits of a reminder plan. */
export const PLAN_LIMITS = {
  afterDays: { min: 1, max: 90 },
  maxReminders: { min: 1, max: 10 },
} as const;

/** First round `afterDays` after launch, then every `afterDays`, at most `maxReminders` rounds. */
export interface ReminderPlan {
  afterDays: number;
  maxReminders: number;
}

/** What a schedule change asks for: an absent key leaves that part as it is, null clears it. */
export interface ScheduleChange {
  opensAt?: string | null;
  closesAt?: string | null;
  reminderPlan?: ReminderPlan | null;
}

/** The stored schedule of a campaign (the columns of `campaigns` it reads). */
export interface ScheduleState {
  status: CampaignStatus;
  opensAt?: string | null;
  closesAt: string | null;
  launchedAt: string | null;
  reminderAfterDays?: number | null;
  reminderMax?: number | null;
  autoReminders?: number;
  lastAutoReminderAt?: string | null;
}

export const planOf = (s: ScheduleState): ReminderPlan | null =>
  s.reminderAfterDays && s.reminderMax
    ? { afterDays: s.reminderAfterDays, maxReminders: s.reminderMax }
    : null;

/** A draft with an opening date opens by itself: it is "scheduled". */
export const isScheduled = (s: ScheduleState): boolean =>
  s.status === 'draft' && typeof s.opensAt === 'string';

/** draft, scheduled, open or closed: what the pages show. */
export const displayStatus = (s: ScheduleState): CampaignStatus | 'scheduled' =>
  isScheduled(s) ? 'scheduled' : s.status;

/**
 * Every problem of a schedule change, each with its field (all at once). Dates are ISO 8601 UTC
 * already normalised; the DTO checked their format and the plan's bounds.
 */
export function validateSchedule(
  change: ScheduleChange,
  current: ScheduleState,
  now: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const opensAt = change.opensAt !== undefined ? change.opensAt : (current.opensAt ?? null);
  const closesAt = change.closesAt !== undefined ? change.closesAt : current.closesAt;
  if (change.opensAt !== undefined && change.opensAt !== (current.opensAt ?? null)) {
    if (current.status !== 'draft')
      errors.push({
        field: 'opensAt',
        message: 'the opening date can only be set or changed before the campaign opens',
      });
    else if (change.opensAt !== null && change.opensAt <= now)
      errors.push({ field: 'opensAt', message: 'opensAt must be in the future' });
  }
  if (change.closesAt !== undefined && change.closesAt !== current.closesAt) {
    if (change.closesAt !== null && change.closesAt <= now)
      errors.push({ field: 'closesAt', message: 'closesAt must be in the future' });
  }
  const plan = change.reminderPlan;
  if (plan) {
    for (const key of ['afterDays', 'maxReminders'] as const) {
      const { min, max } = PLAN_LIMITS[key];
      const v = plan[key];
      if (!Number.isInteger(v) || v < min || v > max)
        errors.push({
          field: `reminderPlan.${key}`,
          message: `${key} must be a whole number from ${min} to ${max}`,
        });
    }
  }
  const opensChecked = current.status === 'draft' ? opensAt : null;
  if (
    opensChecked !== null &&
    closesAt !== null &&
    closesAt <= opensChecked &&
    !errors.some((e) => e.field === 'closesAt')
  )
    errors.push({ field: 'closesAt', message: 'closesAt must be after opensAt' });
  return errors;
}

/**
 * When the next automatic reminder round is due, or null when none will go: the first round
 * `afterDays` after launch (for a scheduled draft, after its opening date), then `afterDays` after
 * the previous automatic round; never within `intervalHours` of the last round of any kind
 * (manual ones too), never once `maxReminders` rounds went, never at or after the closing date.
 */
export function nextReminderAt(
  s: ScheduleState,
  lastReminderAt: string | null,
  intervalHours: number,
): string | null {
  const plan = planOf(s);
  if (!plan || s.status === 'closed') return null;
  if ((s.autoReminders ?? 0) >= plan.maxReminders) return null;
  const base =
    s.status === 'open'
      ? (s.lastAutoReminderAt ?? s.launchedAt)
      : isScheduled(s)
        ? s.opensAt
        : null;
  if (!base) return null;
  let due = Date.parse(base) + plan.afterDays * DAY_MS;
  if (lastReminderAt !== null)
    due = Math.max(due, Date.parse(lastReminderAt) + intervalHours * HOUR_MS);
  const at = new Date(due).toISOString();
  if (s.closesAt !== null && at >= s.closesAt) return null;
  return at;
}
