import type { FieldError } from '../common/domain-error.js';
import { anchorOf, type CampaignFormValues } from './campaign-form.js';
import type { CampaignCounts, CampaignSummaryView, CampaignView } from './campaigns.dto.js';
import { LANGUAGES } from '../domain/language.js';
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
  launched: 'The campaign is open.',
  closed: 'The campaign is closed.',
};

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

export function campaignForm(values: CampaignFormValues, errors: FieldError[] = []) {
  const byControl: Record<string, string[]> = {};
  const linked = errors.map((e) => {
    const anchor = anchorOf(e.field);
    const control = anchor.replace(/-.*$/, '');
    (byControl[control] ??= []).push(
      e.field.startsWith('questions') ? `${e.field}: ${e.message}` : e.message,
    );
    return { ...e, anchor };
  });
  return {
    title: 'New campaign',
    nav: true,
    wide: true,
    form: values,
    internal: values.audience === 'internal',
    external: values.audience === 'external',
    languages: LANGUAGES.map((code) => ({
      code,
      name: LANGUAGE_NAMES[code],
      checked: values.languages.includes(code),
    })),
    errors: linked,
    fieldErrors: byControl,
  };
}
