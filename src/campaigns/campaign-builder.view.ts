import type { FieldError } from '../common/domain-error.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import { isNumericType, QUESTION_TYPES, type QuestionType } from '../domain/questions.js';
import {
  builderFieldOf,
  eligibleHeadlines,
  friendlyMessage,
  LANGUAGE_NAMES,
  type BuilderQuestion,
  type BuilderState,
} from './campaign-builder.js';
import { QUESTION_LIBRARY } from './question-library.js';

/** View model of the questionnaire builder (new and edit): every field with its value and error. */

export const TYPE_LABELS: Record<QuestionType, string> = {
  nps: 'NPS 0–10 (recommend)',
  csat: 'CSAT 1–5 (satisfaction)',
  ces: 'CES 1–7 (ease, effort)',
  likert: 'Likert 1–5 (agreement)',
  choice: 'Choice (options)',
  text: 'Free text',
};

const BUILDER_NOTICES: Record<string, string> = {
  created: 'The draft was created and saved.',
  saved: 'The draft was saved.',
  added: 'The question was added and the draft saved.',
  moved: 'The question was moved and the draft saved.',
  duplicated: 'The question was duplicated and the draft saved.',
  removed: 'The question was removed and the draft saved.',
};

export const builderNotice = (done: unknown): string | undefined =>
  typeof done === 'string' ? BUILDER_NOTICES[done] : undefined;

/** How many blank option rows a choice question offers for new options. */
const BLANK_OPTION_ROWS = 2;

export interface BuilderPage {
  campaignId?: string;
  state: BuilderState;
  units: Array<{ code: string; name: string }>;
  errors?: FieldError[];
  notice?: string;
}

export function builderView({ campaignId, state, units, errors = [], notice }: BuilderPage) {
  const byField = new Map<string, string[]>();
  const summary = errors.map((e) => {
    const anchor = builderFieldOf(e.field);
    const message = friendlyMessage(e);
    const messages = byField.get(anchor) ?? [];
    if (!messages.includes(message)) messages.push(message);
    byField.set(anchor, messages);
    return { anchor, message, where: placeOf(e.field, state) };
  });
  const errorOf = (id: string) => byField.get(id);
  const internal = state.audience === 'internal';
  const languages = LANGUAGES.filter((l) => state.languages.includes(l));
  const shown = languages.length ? languages : (['en'] as Language[]);
  const field = (id: string, value: string) => ({ id, value, errors: errorOf(id) });

  const question = (q: BuilderQuestion, index: number, prefix: string, isNew = false) => {
    const options = [
      ...q.options,
      ...Array.from(
        { length: BLANK_OPTION_ROWS + (q.options.length < 2 ? 2 - q.options.length : 0) },
        () => ({
          value: '',
          label: { en: '', it: '' },
        }),
      ),
    ].map((o, k) => ({
      q: isNew ? 'new' : String(index),
      number: k + 1,
      value: field(`${prefix}-opt${k}-value`, o.value),
      labels: LANGUAGES.map((lang) => ({
        lang,
        name: LANGUAGE_NAMES[lang],
        field: lang === 'en' ? 'optEn' : 'optIt',
        shown: shown.includes(lang),
        ...field(`${prefix}-opt${k}-${lang}`, o.label[lang]),
      })),
    }));
    const n = isNew ? 'n' : 'q';
    return {
      index,
      number: index + 1,
      prefix,
      isNew,
      names: {
        key: `${n}Key`,
        type: `${n}Type`,
        required: `${n}Required`,
        multiple: `${n}Multiple`,
        provider: `${n}Provider`,
        en: `${n}TextEn`,
        it: `${n}TextIt`,
      },
      key: field(`${prefix}-key`, q.key),
      typeField: { id: `${prefix}-type`, errors: errorOf(`${prefix}-type`) },
      types: QUESTION_TYPES.map((t) => ({
        value: t,
        label: TYPE_LABELS[t],
        selected: t === q.type,
      })),
      typeLabel: TYPE_LABELS[q.type as QuestionType] ?? q.type,
      isChoice: q.type === 'choice' || isNew,
      isNumeric: isNumericType(q.type),
      required: q.required,
      multiple: q.multiple,
      texts: LANGUAGES.map((lang) => ({
        lang,
        name: LANGUAGE_NAMES[lang],
        field: `${n}Text${lang === 'en' ? 'En' : 'It'}`,
        shown: shown.includes(lang),
        ...field(`${prefix}-text-${lang}`, q.text[lang]),
      })),
      provider: {
        id: `${prefix}-provider`,
        errors: errorOf(`${prefix}-provider`) ?? errorOf(`${prefix}-providerUnitCode`),
        value: q.providerUnitCode,
        units: units.map((u) => ({ ...u, selected: u.code === q.providerUnitCode })),
        unknown:
          q.providerUnitCode !== '' && !units.some((u) => u.code === q.providerUnitCode)
            ? q.providerUnitCode
            : undefined,
      },
      options,
      optionErrors: errorOf(`${prefix}-options`),
      multipleErrors: errorOf(`${prefix}-multiple`),
      isFirst: index === 0,
      isLast: index === state.questions.length - 1,
      isHeadline: !isNew && q.key === state.headline,
    };
  };

  const eligible = eligibleHeadlines(state);
  return {
    title: campaignId ? `Edit ${state.name || 'draft'}` : 'New campaign',
    nav: true,
    wide: true,
    campaignId,
    action: campaignId ? `/admin/campaigns/${campaignId}/edit` : '/admin/campaigns',
    notice,
    errors: summary,
    name: field('name', state.name),
    wave: field('wave', state.wave),
    closesAt: field('closesAt', state.closesAt),
    audienceErrors: errorOf('audience-internal'),
    internal,
    external: state.audience === 'external',
    anonymous: state.anonymous,
    anonymousErrors: errorOf('anonymous'),
    languageErrors: errorOf('languages-en'),
    languages: LANGUAGES.map((code) => ({
      code,
      name: LANGUAGE_NAMES[code],
      checked: state.languages.includes(code),
    })),
    shownLanguages: shown.map((l) => LANGUAGE_NAMES[l]).join(' and '),
    headline: {
      errors: errorOf('headline'),
      choices: eligible.map((q) => ({
        key: q.key,
        label: `${state.questions.indexOf(q) + 1}. ${short(q.text.en || q.text.it || q.key)}`,
        selected: q.key === state.headline,
      })),
    },
    questions: state.questions.map((q, i) => question(q, i, `q${i}`)),
    hasQuestions: state.questions.length > 0,
    draft: [question(state.draft, state.questions.length, 'new', true)],
    newErrors: errorOf('new-text-en'),
    library: libraryGroups(state.audience),
    unitsForProvider: internal && units.length > 0,
  };
}

const short = (s: string) => (s.length > 70 ? `${s.slice(0, 69)}…` : s);

/** "Question 3, Italiano" for the error summary. */
function placeOf(field: string, state: BuilderState): string {
  const q = /^questions\[(\d+)\]/.exec(field);
  if (!q) return '';
  const n = Number(q[1]);
  const question = state.questions[n];
  const o = /options\[(\d+)\]/.exec(field);
  const what = question ? short(question.text.en || question.text.it || question.key) : '';
  return `Question ${n + 1}${what ? ` (${what})` : ''}${o ? `, option ${Number(o[1]) + 1}` : ''}`;
}

function libraryGroups(audience: string) {
  const group = (a: 'internal' | 'external', title: string) => ({
    title,
    items: QUESTION_LIBRARY.filter((i) => i.audience === a).map((i) => ({
      id: i.id,
      title: i.title,
      type: TYPE_LABELS[i.question.type],
      en: i.question.text.en,
      it: i.question.text.it,
    })),
  });
  const internal = group('internal', 'Internal service');
  const external = group('external', 'Customers');
  return audience === 'external' ? [external, internal] : [internal, external];
}
