import {
  displayStatus,
  nextReminderAt,
  validateSchedule,
  type ScheduleState,
} from './campaign-schedule.js';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

const open = (over: Partial<ScheduleState> = {}): ScheduleState => ({
  status: 'open',
  opensAt: null,
  closesAt: null,
  launchedAt: at(0),
  reminderAfterDays: 3,
  reminderMax: 2,
  autoReminders: 0,
  lastAutoReminderAt: null,
  ...over,
});

describe('reminder plan', () => {
  it('first round afterDays after launch, then afterDays after the previous automatic round', () => {
    expect(nextReminderAt(open(), null, 24)).toBe(at(3 * D));
    expect(
      nextReminderAt(
        open({ autoReminders: 1, lastAutoReminderAt: at(3 * D + H) }),
        at(3 * D + H),
        24,
      ),
    ).toBe(at(6 * D + H));
  });

  it('never within the interval of the last round, of any kind', () => {
    expect(nextReminderAt(open(), at(2 * D + 12 * H), 24)).toBe(at(3 * D + 12 * H));
    expect(nextReminderAt(open(), at(2 * D + 12 * H), 0)).toBe(at(3 * D));
  });

  it('none after maxReminders rounds, at or after closing, when closed or without a plan', () => {
    expect(nextReminderAt(open({ autoReminders: 2 }), null, 24)).toBeNull();
    expect(nextReminderAt(open({ closesAt: at(3 * D) }), null, 24)).toBeNull();
    expect(nextReminderAt(open({ status: 'closed' }), null, 24)).toBeNull();
    expect(
      nextReminderAt(open({ reminderAfterDays: null, reminderMax: null }), null, 24),
    ).toBeNull();
  });

  it('for a scheduled draft, counts from its opening date; for a draft launched by hand, none yet', () => {
    const draft = open({ status: 'draft', launchedAt: null });
    expect(nextReminderAt({ ...draft, opensAt: at(D) }, null, 24)).toBe(at(4 * D));
    expect(nextReminderAt(draft, null, 24)).toBeNull();
    expect(displayStatus({ ...draft, opensAt: at(D) })).toBe('scheduled');
    expect(displayStatus(draft)).toBe('draft');
  });
});

describe('schedule rules', () => {
  const now = at(0);
  const draft: ScheduleState = { status: 'draft', closesAt: null, launchedAt: null };
  const fields = (errors: Array<{ field: string }>) => errors.map((e) => e.field);

  it('opening date in the future, before the closing date, drafts only', () => {
    expect(validateSchedule({ opensAt: at(H) }, draft, now)).toEqual([]);
    expect(fields(validateSchedule({ opensAt: at(-H) }, draft, now))).toEqual(['opensAt']);
    expect(fields(validateSchedule({ opensAt: at(2 * D), closesAt: at(D) }, draft, now))).toEqual([
      'closesAt',
    ]);
    expect(
      fields(
        validateSchedule({ opensAt: at(D) }, { ...draft, status: 'open', launchedAt: now }, now),
      ),
    ).toEqual(['opensAt']);
    // Sending the stored opening date back unchanged is no change.
    const openOne: ScheduleState = {
      status: 'open',
      opensAt: at(-D),
      closesAt: null,
      launchedAt: at(-D),
    };
    expect(validateSchedule({ opensAt: at(-D), closesAt: at(D) }, openOne, now)).toEqual([]);
  });

  it('closing date never into the past; a plan within its bounds', () => {
    expect(fields(validateSchedule({ closesAt: at(-1) }, draft, now))).toEqual(['closesAt']);
    expect(validateSchedule({ closesAt: null }, draft, now)).toEqual([]);
    expect(
      fields(validateSchedule({ reminderPlan: { afterDays: 0, maxReminders: 11 } }, draft, now)),
    ).toEqual(['reminderPlan.afterDays', 'reminderPlan.maxReminders']);
    expect(
      fields(validateSchedule({ reminderPlan: { afterDays: 1.5, maxReminders: 1 } }, draft, now)),
    ).toEqual(['reminderPlan.afterDays']);
  });
});
