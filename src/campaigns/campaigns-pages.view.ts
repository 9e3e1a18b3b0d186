import type { FieldError } from '../common/domain-error.js';
import { friendlyMessage } from './campaign-builder.js';
import type { CampaignCounts, CampaignSummaryView, CampaignView } from './campaigns.dto.js';
import type { QuestionType } from '../domain/questions.js';

/** View models of the admin campaign pages: only what the templates print, nothing else. */

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', it: 'Italiano' };
const TYPE_NAMES: Record<QuestionType, string> = {
  nps: 'NPS (0–10)',
  csat: 'CSAT (1–5)',
  ces: 'CES (1–7)',
  likert: 'Likert (1–5)',
  choice: 'Choice',
  text: 'Free text',
};
const NOTICES: Record<string, string> = {
  created: 'The campaign was created as a draft.',
  saved: 'The draft was saved.',
  copied:
    'This is the copy for the new wave: a draft with the same questions. Check it, then launch it.',
  launched: 'The campaign is open.',
  closed: 'The campaign is closed.',
  frozen: 'Only drafts can be edited: the questions are frozen once the campaign is open.',
};

/** Messages of the campaign list after an action. */
export const listNotice = (done: unknown): string | undefined =>
  done === 'deleted' ? 'The draft was deleted.' : undefined;

const rate = ({ invited, responses }: CampaignCounts): number | null =>
  invited > 0 ? responses / invited : null;

export const campaignRows = (campaigns: CampaignSummaryView[]) =>
  campaigns.map((c) => ({
    id: c.id,
    name: c.name,
    audience: c.audience,
    wave: c.wave,
    status: c.status,
    invited: c.invited,
    responses: c.responses,
    responseRate: rate(c),
    closesAt: c.closesAt,
  }));

export function campaignDetail(
  c: CampaignView,
  counts: CampaignCounts,
  done?: unknown,
  error?: string,
) {
  return {
    title: c.name,
    nav: true,
    wide: true,
    campaign: {
      id: c.id,
      name: c.name,
      audience: c.audience,
      wave: c.wave,
      anonymous: c.anonymous,
      status: c.status,
      languages: c.languages.map((l) => LANGUAGE_NAMES[l] ?? l).join(', '),
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
    previewLanguages: c.languages.map((code) => ({ code, name: LANGUAGE_NAMES[code] ?? code })),
    notice: typeof done === 'string' ? NOTICES[done] : undefined,
    error,
    questions: c.questions.map((q) => ({
      number: q.position + 1,
      key: q.key,
      type: TYPE_NAMES[q.type],
      required: q.required,
      multiple: q.multiple,
      isHeadline: q.key === c.headline,
      providerUnitCode: q.providerUnitCode,
      texts: c.languages.map((lang) => ({ lang, text: q.text[lang] ?? '' })),
      options: (q.options ?? []).map((o) => ({
        value: o.value,
        labels: c.languages.map((lang) => ({ lang, text: o.label[lang] ?? '' })),
      })),
    })),
  };
}

export type ConfirmAction = 'launch' | 'close' | 'remind' | 'delete';
const CONFIRM_ACTIONS: readonly ConfirmAction[] = ['launch', 'close', 'remind', 'delete'];
export const isConfirmAction = (a: unknown): a is ConfirmAction =>
  (CONFIRM_ACTIONS as readonly unknown[]).includes(a);

const emails = (n: number) => (n === 1 ? '1 e-mail' : `${n} e-mails`);

export interface Mailing {
  /** Invitations not mailed yet (sent when the campaign opens). */
  unsent: number;
  /** Invitees a reminder round would reach now. */
  unanswered: number;
  lastReminderAt: string | null;
}

/** The confirmation step of an action: what will happen, asked once. */
export function confirmView(
  c: CampaignView,
  action: ConfirmAction,
  m: Mailing,
  remind: { intervalHours: number; refusal?: string },
) {
  const base = {
    title: `Confirm: ${c.name}`,
    nav: true,
    wide: false,
    campaign: { id: c.id, name: c.name, status: c.status },
    action: `/admin/campaigns/${c.id}/${action === 'remind' ? 'reminders' : action}`,
  };
  const refused = (why: string) => ({ ...base, heading: 'Not possible now', refused: why });
  switch (action) {
    case 'launch':
      if (c.status !== 'draft') return refused(`The campaign is already ${c.status}.`);
      return {
        ...base,
        heading: 'Launch the campaign?',
        what:
          m.unsent > 0
            ? `${emails(m.unsent)} will be sent: one invitation to every contact invited so far.`
            : 'No e-mail will be sent now: nobody is invited yet. Invite contacts after launching; each invitation is e-mailed at once.',
        details: ['The campaign opens for answers.', 'Its questions can no longer be changed.'],
        button: 'Launch',
      };
    case 'close':
      if (c.status === 'closed') return refused('The campaign is already closed.');
      return {
        ...base,
        heading: 'Close the campaign?',
        what: 'No e-mail will be sent. Survey links stop accepting answers at once.',
        details: [
          c.audience === 'internal'
            ? 'The results of this internal campaign are released in the reports.'
            : 'The results stay available in the reports.',
          'A closed campaign cannot be opened again.',
        ],
        button: 'Close',
      };
    case 'remind': {
      if (c.status !== 'open')
        return refused('Reminders can only be sent while the campaign is open.');
      if (remind.refusal) return refused(remind.refusal);
      return {
        ...base,
        heading: 'Send a reminder round?',
        what: `${emails(m.unanswered)} will be sent: one reminder to every invitee who has not answered yet.`,
        details: [
          m.lastReminderAt
            ? `The last round went at ${m.lastReminderAt.slice(0, 16).replace('T', ' ')} UTC.`
            : 'This is the first reminder round.',
          remind.intervalHours > 0
            ? `Another round is possible ${remind.intervalHours} hours after this one.`
            : 'There is no minimum interval between rounds.',
        ],
        button: 'Send reminders',
      };
    }
    case 'delete':
      if (c.status !== 'draft') return refused('Only drafts can be deleted.');
      return {
        ...base,
        heading: 'Delete the draft?',
        what: `The draft and its ${c.questions.length} questions are deleted. No e-mail is sent.`,
        details: ['This cannot be undone.'],
        button: 'Delete the draft',
        danger: true,
      };
  }
}

/** The "copy to next wave" form. */
export function copyView(
  c: CampaignView,
  values: { wave: string; name: string },
  errors: FieldError[] = [],
) {
  const messages = (field: string) =>
    errors.filter((e) => e.field === field).map((e) => friendlyMessage(e));
  return {
    title: `Copy ${c.name}`,
    nav: true,
    wide: false,
    campaign: { id: c.id, name: c.name, wave: c.wave, questions: c.questions.length },
    values,
    waveErrors: messages('wave'),
    nameErrors: messages('name'),
    errors: errors.map((e) => ({
      anchor: e.field === 'name' ? 'name' : 'wave',
      message: friendlyMessage(e),
    })),
  };
}
