import type { DomainError, FieldError } from '../common/domain-error.js';
import { ErrorCode } from '../common/domain-error.js';
import { formatDateTime } from '../common/format.js';
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import { friendlyMessage } from './campaign-builder.js';
import { displayStatus, isScheduled } from './campaign-schedule.js';
import type { CampaignCounts, CampaignSummaryView, CampaignView } from './campaigns.dto.js';
import type { ReminderSchedule, ReminderWait } from './campaigns.service.js';

/**
 * View models of the admin campaign pages: only what the templates print, every word in the page's
 * language (locales/<lang>/campaigns.json); dates stay ISO strings for the {{date}} helper, except
 * inside sentences, where they are formatted here the same way.
 */

const t = (lang: Language, key: string, vars?: Record<string, unknown>) =>
  translate(lang, `campaigns.${key}`, vars);
const when = (iso: string, lang: Language) => formatDateTime(iso, lang);

const NOTICES = [
  'created',
  'saved',
  'copied',
  'launched',
  'closed',
  'frozen',
  'scheduleSaved',
  'digestSaved',
];

/** Messages of the campaign list after an action. */
export const listNotice = (done: unknown, lang: Language): string | undefined =>
  done === 'deleted' ? t(lang, 'list.deleted') : undefined;

const rate = ({ invited, responses }: CampaignCounts): number | null =>
  invited > 0 ? responses / invited : null;

const statusOf = (c: Parameters<typeof displayStatus>[0], lang: Language) => {
  const status = displayStatus(c);
  return { status, statusLabel: t(lang, `status.${status}`) };
};

export const campaignRows = (campaigns: CampaignSummaryView[], lang: Language) =>
  campaigns.map((c) => ({
    id: c.id,
    name: c.name,
    audience: t(lang, `audience.${c.audience}`),
    wave: c.wave,
    ...statusOf({ ...c, launchedAt: null }, lang),
    invited: c.invited,
    responses: c.responses,
    responseRate: rate(c),
    opensAt: c.status === 'draft' ? (c.opensAt ?? null) : null,
    closesAt: c.closesAt,
  }));

/** The text of a refusal (a DomainError of a lifecycle move or a delete) in the page's language. */
export function refusalText(
  err: DomainError,
  lang: Language,
  status?: string,
  action?: 'delete',
): string {
  switch (err.code) {
    case ErrorCode.CampaignNotDraft:
      if (action === 'delete') return t(lang, 'confirm.delete.notDraft');
      return t(lang, 'refusals.notDraft', { status: status ? t(lang, `status.${status}`) : '' });
    case ErrorCode.ClosingTimePassed:
      return t(lang, 'refusals.closingPassed');
    case ErrorCode.CampaignChanged:
      return t(lang, 'refusals.changed');
    case ErrorCode.CampaignAlreadyClosed:
      return t(lang, 'refusals.alreadyClosed');
    case ErrorCode.CampaignHasResponses:
      return t(lang, 'refusals.hasResponses');
    default:
      return t(lang, 'refusals.other', { message: err.message });
  }
}

/** "The last reminder round went on … ; the next is possible from …". */
export const remindWaitText = (w: ReminderWait, lang: Language): string =>
  t(lang, 'refusals.remindWait', {
    last: when(w.lastReminderAt, lang),
    next: when(w.nextAt, lang),
    hours: w.intervalHours,
  });

/**
 * What the invitation buttons reported back in the query (see invitations-pages.controller.ts):
 * counts, and refusals as codes, turned into sentences here.
 */
export function invitationOutcome(query: Record<string, unknown>, lang: Language) {
  const text = (v: unknown) => (typeof v === 'string' && v.length <= 500 ? v : undefined);
  const count = (v: unknown) => {
    const s = text(v);
    return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
  };
  const invited = count(query.invited);
  const skipped = skippedText(text(query.skipped), lang);
  const reminded = count(query.reminded);
  const error = inviteError(query, lang);
  const out = {
    invited:
      invited === undefined
        ? undefined
        : skipped
          ? t(lang, 'notices.invitedSkipped', { count: invited, skipped })
          : t(lang, 'notices.invited', { count: invited }),
    reminded: reminded === undefined ? undefined : t(lang, 'notices.reminded', { count: reminded }),
    error,
  };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}

const SKIP_REASONS: Record<string, string> = {
  'unknown contact': 'unknownContact',
  'wrong audience': 'wrongAudience',
  erased: 'erased',
  'opted out': 'optedOut',
  'already invited': 'alreadyInvited',
};

/** "2 already invited, 1 opted out" (the API's skip reasons, counted) in the page's language. */
function skippedText(skipped: string | undefined, lang: Language): string | undefined {
  if (!skipped) return undefined;
  return skipped
    .split(', ')
    .map((part) => {
      const m = /^(\d+) (.+)$/.exec(part);
      if (!m) return part;
      const [, count, reason] = m;
      const fatigue = /^fatigue: invited to another campaign within (\d+) days$/.exec(reason);
      if (fatigue) return t(lang, 'skipReasons.fatigue', { count, days: fatigue[1] });
      const key = SKIP_REASONS[reason];
      return key ? t(lang, `skipReasons.${key}`, { count }) : part;
    })
    .join(', ');
}

const INVITE_ERRORS: Record<string, string> = {
  [ErrorCode.CampaignClosed]: 'refusals.inviteClosed',
  [ErrorCode.InvitationsContended]: 'refusals.contended',
  [ErrorCode.Unavailable]: 'refusals.unavailable',
  [ErrorCode.CampaignNotOpen]: 'refusals.notOpen',
  [ErrorCode.Validation]: 'refusals.noUnits',
  noUnits: 'refusals.noUnits',
};

function inviteError(query: Record<string, unknown>, lang: Language): string | undefined {
  const code = typeof query.inviteError === 'string' ? query.inviteError : undefined;
  if (code === undefined) return undefined;
  if (code === 'unknownUnits' && typeof query.units === 'string')
    return t(lang, 'refusals.unknownUnits', { codes: query.units.slice(0, 300) });
  if (code === 'remindWait') {
    const last = typeof query.last === 'string' ? query.last : '';
    const next = typeof query.next === 'string' ? query.next : '';
    const hours = Number(typeof query.hours === 'string' ? query.hours : '0');
    if (!Number.isNaN(Date.parse(last)) && !Number.isNaN(Date.parse(next)))
      return remindWaitText(
        { lastReminderAt: last, nextAt: next, intervalHours: hours, message: '' },
        lang,
      );
  }
  const key = INVITE_ERRORS[code];
  return key ? t(lang, key) : t(lang, 'refusals.other', { message: code.slice(0, 200) });
}

/** What the schedule form holds: datetime-local values (UTC), the plan's fields as typed. */
export interface ScheduleFormValues {
  opensAt: string;
  closesAt: string;
  remind: boolean;
  afterDays: string;
  maxReminders: string;
}

/** The schedule form filled from the stored campaign. */
export const scheduleValues = (c: CampaignView): ScheduleFormValues => ({
  opensAt: c.opensAt ? c.opensAt.slice(0, 16) : '',
  closesAt: c.closesAt ? c.closesAt.slice(0, 16) : '',
  remind: c.reminderPlan !== null,
  afterDays: String(c.reminderPlan?.afterDays ?? 3),
  maxReminders: String(c.reminderPlan?.maxReminders ?? 2),
});

/** A schedule field error in plain words, in the page's language. */
export function scheduleErrorText(e: FieldError, lang: Language): string {
  const key =
    e.field === 'opensAt'
      ? /future/.test(e.message)
        ? 'opensPast'
        : /only/.test(e.message)
          ? 'opensFrozen'
          : 'opensAtFormat'
      : e.field === 'closesAt'
        ? /after/.test(e.message)
          ? 'closesBeforeOpens'
          : /future/.test(e.message)
            ? 'closesPast'
            : 'closesAtFormat'
        : e.field === 'reminderPlan.maxReminders'
          ? 'maxReminders'
          : e.field.startsWith('reminderPlan')
            ? 'afterDays'
            : 'closed';
  return t(lang, `schedule.errors.${key}`);
}

const SCHEDULE_ANCHORS: Record<string, string> = {
  opensAt: 'opens-at',
  closesAt: 'closes-at',
  'reminderPlan.afterDays': 'after-days',
  'reminderPlan.maxReminders': 'max-reminders',
};

export interface DetailExtras {
  done?: unknown;
  error?: string;
  reminders: ReminderSchedule;
  intervalHours: number;
  /** A refused schedule form: what was typed and why not. */
  schedule?: { values: ScheduleFormValues; errors: FieldError[] };
  outcome?: ReturnType<typeof invitationOutcome>;
}

export function campaignDetail(
  c: CampaignView,
  counts: CampaignCounts,
  lang: Language,
  x: DetailExtras,
) {
  const plan = c.reminderPlan;
  const scheduled = isScheduled(c);
  const errors = x.schedule?.errors ?? [];
  const fieldErrors = (field: string) =>
    errors.filter((e) => e.field === field).map((e) => scheduleErrorText(e, lang));
  const notice =
    x.done === 'scheduled' && c.opensAt
      ? t(lang, 'notices.scheduled', { date: when(c.opensAt, lang) })
      : typeof x.done === 'string' && NOTICES.includes(x.done)
        ? t(lang, `notices.${x.done}`)
        : undefined;
  return {
    title: c.name,
    nav: true,
    wide: true,
    campaign: {
      id: c.id,
      name: c.name,
      audience: t(lang, `audience.${c.audience}`),
      rawAudience: c.audience,
      wave: c.wave,
      anonymous: c.anonymous,
      ...statusOf(c, lang),
      rawStatus: c.status,
      languages: c.languages.map((l) => t(lang, `languageNames.${l}`)).join(', '),
      headline: c.headline,
      closesAt: c.closesAt,
      createdAt: c.createdAt,
      launchedAt: c.launchedAt,
      closedAt: c.closedAt,
    },
    counts: { ...counts, responseRate: rate(counts) },
    canLaunch: c.status === 'draft',
    canClose: c.status !== 'closed',
    canEdit: c.status === 'draft',
    canDelete: c.status === 'draft',
    canRemind: c.status === 'open',
    hasReport: c.status !== 'draft',
    previewLanguages: c.languages.map((code) => ({
      code,
      label: t(lang, 'detail.preview', { language: t(lang, `languageNames.${code}`) }),
    })),
    notice,
    error: x.error,
    outcome: x.outcome,
    schedule: {
      opensAt: c.status === 'draft' ? c.opensAt : null,
      opened: c.launchedAt
        ? t(lang, 'schedule.openedAt', { date: when(c.launchedAt, lang) })
        : null,
      scheduled,
      plan: plan
        ? t(lang, plan.maxReminders === 1 ? 'schedule.planOne' : 'schedule.plan', {
            days: plan.afterDays,
            max: plan.maxReminders,
          })
        : null,
      next: plan
        ? x.reminders.nextAutoAt
          ? t(lang, 'schedule.next', { date: when(x.reminders.nextAutoAt, lang) })
          : t(lang, 'schedule.noNext')
        : null,
      sentSoFar:
        plan && c.status !== 'draft'
          ? t(lang, 'schedule.sentSoFar', { count: c.autoReminders, max: plan.maxReminders })
          : null,
      lastRound: x.reminders.lastReminderAt
        ? t(lang, 'schedule.lastRound', { date: when(x.reminders.lastReminderAt, lang) })
        : null,
      rounds: x.reminders.rounds,
      editable: c.status !== 'closed',
      opensEditable: c.status === 'draft',
      values: x.schedule?.values ?? scheduleValues(c),
      opensErrors: fieldErrors('opensAt'),
      closesErrors: fieldErrors('closesAt'),
      afterDaysErrors: fieldErrors('reminderPlan.afterDays'),
      maxErrors: fieldErrors('reminderPlan.maxReminders'),
      planHint: t(lang, 'schedule.planHint', { hours: x.intervalHours }),
      errors: errors.map((e) => ({
        anchor: SCHEDULE_ANCHORS[e.field] ?? 'closes-at',
        message: scheduleErrorText(e, lang),
      })),
    },
    invitationsHint: c.status === 'draft' ? 'draft' : 'open',
    questions: c.questions.map((q) => ({
      number: q.position + 1,
      key: q.key,
      type: t(lang, `types.${q.type}`),
      required: q.required,
      multiple: q.multiple,
      isHeadline: q.key === c.headline,
      providerUnitCode: q.providerUnitCode,
      texts: c.languages.map((l) => ({ lang: l, text: q.text[l] ?? '' })),
      options: (q.options ?? []).map((o) => ({
        value: o.value,
        labels: c.languages.map((l) => ({ lang: l, text: o.label[l] ?? '' })),
      })),
    })),
  };
}

export type ConfirmAction = 'launch' | 'close' | 'remind' | 'delete';
const CONFIRM_ACTIONS: readonly ConfirmAction[] = ['launch', 'close', 'remind', 'delete'];
export const isConfirmAction = (a: unknown): a is ConfirmAction =>
  (CONFIRM_ACTIONS as readonly unknown[]).includes(a);

export interface Mailing {
  /** Invitations not mailed yet (sent when the campaign opens). */
  unsent: number;
  /** Invitees a reminder round would reach now. */
  unanswered: number;
  lastReminderAt: string | null;
}

/** The launch step's "schedule for" form after a refusal: what was typed and why not. */
export interface ScheduleAttempt {
  value: string;
  errors: FieldError[];
}

/** The confirmation step of an action: what will happen, asked once. */
export function confirmView(
  c: CampaignView,
  action: ConfirmAction,
  m: Mailing,
  remind: { intervalHours: number; wait?: ReminderWait | null },
  lang: Language,
  attempt?: ScheduleAttempt,
) {
  const base = {
    title: t(lang, 'confirm.title', { name: c.name }),
    nav: true,
    wide: false,
    campaign: { id: c.id, name: c.name, status: c.status },
    action: `/admin/campaigns/${c.id}/${action === 'remind' ? 'reminders' : action}`,
  };
  const refused = (why: string) => ({
    ...base,
    heading: t(lang, 'confirm.notPossible'),
    refused: why,
  });
  const emails = (n: number, area: string) =>
    n === 1
      ? t(lang, `confirm.${area}.emailsOne`)
      : t(lang, `confirm.${area}.emails`, { count: n });
  switch (action) {
    case 'launch':
      if (c.status !== 'draft')
        return refused(
          t(lang, 'confirm.launch.already', { status: t(lang, `status.${c.status}`) }),
        );
      return {
        ...base,
        heading: t(lang, 'confirm.launch.heading'),
        what: m.unsent > 0 ? emails(m.unsent, 'launch') : t(lang, 'confirm.launch.none'),
        details: [
          ...(c.opensAt
            ? [t(lang, 'confirm.launch.scheduledFor', { date: when(c.opensAt, lang) })]
            : []),
          t(lang, 'confirm.launch.opens'),
          t(lang, 'confirm.launch.frozen'),
        ],
        button: t(lang, 'confirm.launch.button'),
        scheduleForm: {
          value: attempt?.value ?? (c.opensAt ? c.opensAt.slice(0, 16) : ''),
          errors: (attempt?.errors ?? []).map((e) => scheduleErrorText(e, lang)),
        },
      };
    case 'close':
      if (c.status === 'closed') return refused(t(lang, 'confirm.close.already'));
      return {
        ...base,
        heading: t(lang, 'confirm.close.heading'),
        what: t(lang, 'confirm.close.what'),
        details: [
          t(lang, c.audience === 'internal' ? 'confirm.close.internal' : 'confirm.close.external'),
          t(lang, 'confirm.close.final'),
        ],
        button: t(lang, 'confirm.close.button'),
      };
    case 'remind': {
      if (c.status !== 'open') return refused(t(lang, 'confirm.remind.notOpen'));
      if (remind.wait) return refused(remindWaitText(remind.wait, lang));
      return {
        ...base,
        heading: t(lang, 'confirm.remind.heading'),
        what: emails(m.unanswered, 'remind'),
        details: [
          m.lastReminderAt
            ? t(lang, 'confirm.remind.last', { date: when(m.lastReminderAt, lang) })
            : t(lang, 'confirm.remind.first'),
          remind.intervalHours > 0
            ? t(lang, 'confirm.remind.interval', { hours: remind.intervalHours })
            : t(lang, 'confirm.remind.noInterval'),
        ],
        button: t(lang, 'confirm.remind.button'),
      };
    }
    case 'delete':
      if (c.status !== 'draft') return refused(t(lang, 'confirm.delete.notDraft'));
      return {
        ...base,
        heading: t(lang, 'confirm.delete.heading'),
        what: t(lang, 'confirm.delete.what', { count: c.questions.length }),
        details: [t(lang, 'confirm.delete.final')],
        button: t(lang, 'confirm.delete.button'),
        danger: true,
      };
  }
}

/** The "copy to next wave" form. */
export function copyView(
  c: CampaignView,
  values: { wave: string; name: string },
  lang: Language,
  errors: FieldError[] = [],
) {
  const messages = (field: string) =>
    errors.filter((e) => e.field === field).map((e) => friendlyMessage(e, lang));
  return {
    title: t(lang, 'copy.title', { name: c.name }),
    nav: true,
    wide: false,
    campaign: { id: c.id, name: c.name, wave: c.wave, questions: c.questions.length },
    values,
    waveErrors: messages('wave'),
    nameErrors: messages('name'),
    errors: errors.map((e) => ({
      anchor: e.field === 'name' ? 'name' : 'wave',
      message: friendlyMessage(e, lang),
    })),
  };
}
