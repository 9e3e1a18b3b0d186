import type { FieldError } from '../common/domain-error.js';
import { translate } from '../common/messages.js';
import { isLanguage, LANGUAGES, type Language } from '../domain/language.js';
import { isNumericType, QUESTION_TYPES, type QuestionType } from '../domain/questions.js';
import {
  builderFieldOf,
  droppedProviderUnits,
  eligibleHeadlines,
  friendlyMessage,
  languageName,
  ownLanguageName,
  type BuilderQuestion,
  type BuilderState,
} from './campaign-builder.js';
import { QUESTION_LIBRARY } from './question-library.js';

/** View model of the questionnaire builder (new and edit): every field with its value and error. */

/** The name of a kind of question in the page's language ("CSAT 1–5 (satisfaction)"). */
export const typeLabel = (type: QuestionType, lang: Language): string =>
  translate(lang, `builder.type.${type}`);

const NOTICES = ['created', 'saved', 'added', 'moved', 'duplicated', 'removed', 'external'];

/** The result of the last step (`?done=`), in the page's language; undefined when unknown. */
export const builderNotice = (done: unknown, lang: Language = 'en'): string | undefined =>
  typeof done === 'string' && NOTICES.includes(done)
    ? translate(lang, `builder.notice.${done}`)
    : undefined;

/** How many blank option rows a choice question offers for new options. */
const BLANK_OPTION_ROWS = 2;

export interface BuilderPage {
  campaignId?: string;
  state: BuilderState;
  units: Array<{ code: string; name: string }>;
  errors?: FieldError[];
  /** The page language (`reply.locals.lang`, set by the auth guard). */
  lang?: unknown;
  /** `?done=` of the redirect after a step: which notice to show. */
  done?: unknown;
  /** `?at=` of that redirect: the question the step concerns (the page opens at `#q<at>`). */
  at?: unknown;
}

export function builderView({
  campaignId,
  state,
  units,
  errors = [],
  lang,
  done,
  at,
}: BuilderPage) {
  const page: Language = isLanguage(lang) ? lang : 'en';
  const t = (key: string, vars?: Record<string, unknown>) =>
    translate(page, `builder.${key}`, vars);
  const byField = new Map<string, string[]>();
  const dropped = droppedProviderUnits(state);
  const summary = errors.map((e) => {
    // The refused switch to external links to its confirmation, not to the radio button.
    const anchor =
      e.field === 'audience' && dropped.length ? 'external-confirm' : builderFieldOf(e.field);
    const message = friendlyMessage(e, page);
    const messages = byField.get(anchor) ?? [];
    if (!messages.includes(message)) messages.push(message);
    byField.set(anchor, messages);
    return { anchor, message, where: placeOf(e.field, state, page) };
  });
  // The notice of the last step: next to the question it concerns (where the page opens after
  // the redirect to #q<n>), else at the top.
  const notice = builderNotice(done, page);
  const atIndex = typeof at === 'string' && /^\d{1,3}$/.test(at) ? Number(at) : -1;
  const noticeAt = notice && atIndex < state.questions.length ? atIndex : -1;
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
        label: t('question.option', { n: k + 1, language: languageName(lang, page) }),
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
      types: QUESTION_TYPES.map((type) => ({
        value: type,
        label: typeLabel(type, page),
        selected: type === q.type,
      })),
      isChoice: q.type === 'choice' || isNew,
      isNumeric: isNumericType(q.type),
      required: q.required,
      multiple: q.multiple,
      texts: LANGUAGES.map((lang) => ({
        lang,
        label: t('question.text', { language: languageName(lang, page) }),
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
      notice: !isNew && index === noticeAt ? notice : undefined,
    };
  };

  const eligible = eligibleHeadlines(state);
  const shownNames = shown.map((l) => languageName(l, page));
  return {
    title: campaignId
      ? state.name.trim()
        ? t('title.edit', { name: state.name })
        : t('title.editDraft')
      : t('title.new'),
    nav: true,
    wide: true,
    campaignId,
    action: campaignId ? `/admin/campaigns/${campaignId}/edit` : '/admin/campaigns',
    notice: noticeAt < 0 ? notice : undefined,
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
      name: ownLanguageName(code),
      checked: state.languages.includes(code),
    })),
    shownLanguages:
      shownNames.length > 1
        ? t('questions.and', {
            first: shownNames.slice(0, -1).join(', '),
            second: shownNames.at(-1),
          })
        : shownNames[0],
    dropUnits: dropped.length ? dropUnitsView(dropped, state, units, page) : undefined,
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
    library: libraryGroups(state.audience, page),
    unitsForProvider: internal && units.length > 0,
  };
}

const short = (s: string) => (s.length > 70 ? `${s.slice(0, 69)}…` : s);

/** A question's own text for the page: in the page's language when it has one. */
const textOf = (q: BuilderQuestion, page: Language) =>
  short(q.text[page] || q.text.en || q.text.it || q.key);

/** "Question 3 (How satisfied…), option 2" for the error summary. */
function placeOf(field: string, state: BuilderState, page: Language): string {
  const q = /^questions\[(\d+)\]/.exec(field);
  if (!q) return '';
  const n = Number(q[1]);
  const question = state.questions[n];
  const what = question ? textOf(question, page) : '';
  const where = what
    ? translate(page, 'builder.question.whereText', { n: n + 1, text: what })
    : translate(page, 'builder.question.where', { n: n + 1 });
  const o = /options\[(\d+)\]/.exec(field);
  return o
    ? translate(page, 'builder.question.whereOption', { where, n: Number(o[1]) + 1 })
    : where;
}

/** The confirmation of a switch to external: which questions lose which provider unit. */
function dropUnitsView(
  dropped: number[],
  state: BuilderState,
  units: Array<{ code: string; name: string }>,
  page: Language,
) {
  const count = dropped.length;
  const one = count === 1 ? 'One' : 'Other';
  return {
    title: translate(page, `builder.external.title${one}`, { count }),
    confirm: translate(page, `builder.external.confirm${one}`, { count }),
    items: dropped.map((i) => {
      const q = state.questions[i];
      const unit = units.find((u) => u.code === q.providerUnitCode);
      return translate(page, 'builder.external.item', {
        n: i + 1,
        text: textOf(q, page),
        unit: unit ? `${unit.name} (${unit.code})` : q.providerUnitCode,
      });
    }),
  };
}

function libraryGroups(audience: string, page: Language) {
  const group = (a: 'internal' | 'external') => ({
    title: translate(page, `builder.library.${a}`),
    items: QUESTION_LIBRARY.filter((i) => i.audience === a).map((i) => ({
      id: i.id,
      title: translate(page, `builder.library.items.${i.id}`),
      type: typeLabel(i.question.type, page),
      en: i.question.text.en,
      it: i.question.text.it,
    })),
  });
  const internal = group('internal');
  const external = group('external');
  return audience === 'external' ? [external, internal] : [internal, external];
}
