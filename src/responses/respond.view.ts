import { translate } from '../common/messages.js';
import type { FieldError } from '../common/domain-error.js';
import { strings, type Strings } from '../common/i18n.js';
import { QUESTION_SCALES } from '../domain/questions.js';
import { MAX_TEXT } from './answer.rules.js';
import type { ResolvedLink } from './responses.repository.js';
import type { Language } from '../domain/language.js';

type Localised = Partial<Record<Language, string>>;

const pick = (text: Localised, lang: Language): string =>
  text[lang] ?? Object.values(text).find((v) => v) ?? '';

const ENDS: Record<'nps' | 'csat' | 'ces' | 'likert', [keyof Strings, keyof Strings]> = {
  nps: ['notLikely', 'extremelyLikely'],
  csat: ['veryDissatisfied', 'verySatisfied'],
  ces: ['veryDifficult', 'veryEasy'],
  likert: ['stronglyDisagree', 'stronglyAgree'],
};

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)];

/** The view model of the answer form: localised texts, the given answers kept, errors per question. */
export function formViewModel(
  link: ResolvedLink,
  language: Language,
  token: string,
  given: Record<string, unknown> = {},
  errors: FieldError[] = [],
  /** The answers could not be stored just now (database unavailable): they are kept, send again. */
  unavailable = false,
) {
  const t = strings(language);
  const errorOf = new Map(errors.map((e) => [e.field, e.message]));
  const total = link.questions.length;
  const questions = link.questions.map((q, index) => {
    const text = JSON.parse(q.textJson) as Localised;
    const error = errorOf.get(q.key);
    const chosen = asList(given[q.key]);
    const base = {
      key: q.key,
      inputId: `q-${q.key}`,
      errorId: `err-${q.key}`,
      hintId: `hint-${q.key}`,
      legend: pick(text, language),
      number: t.questionOf.replace('{n}', String(index + 1)).replace('{total}', String(total)),
      required: q.required,
      error,
    };
    if (q.type === 'text') {
      return { ...base, isText: true, value: chosen[0] ?? '', maxLength: MAX_TEXT };
    }
    if (q.type === 'choice') {
      const options = (
        JSON.parse(q.optionsJson ?? '[]') as Array<{ value: string; label: Localised }>
      ).map((o, i) => ({
        value: o.value,
        id: i === 0 ? `q-${q.key}` : `q-${q.key}-${i}`,
        label: pick(o.label, language),
        checked: chosen.includes(o.value),
      }));
      return { ...base, isChoice: true, multiple: q.multiple, options };
    }
    const { min, max } = QUESTION_SCALES[q.type];
    const [lo, hi] = ENDS[q.type];
    const points = [];
    for (let v = min; v <= max; v++) {
      points.push({
        value: v,
        id: v === min ? `q-${q.key}` : `q-${q.key}-${v}`,
        checked: chosen[0] === String(v),
      });
    }
    return {
      ...base,
      isScale: true,
      points,
      low: `${min} – ${t[lo]}`,
      high: `${max} – ${t[hi]}`,
    };
  });
  const languages = link.campaign.languages.split(',');
  return {
    title: link.campaign.name,
    lang: language,
    t,
    campaignName: link.campaign.name,
    privacyNote: link.campaign.anonymous ? t.anonymousNote : t.identifiedNote,
    action: `/s/${token}?lang=${language}`,
    questions,
    unavailable,
    // The summary names the question, so each entry makes sense on its own.
    errors: errors.map((e) => {
      const q = questions.find((x) => x.key === e.field);
      return { ...e, message: q ? `${q.legend} — ${e.message}` : e.message, href: `#q-${e.field}` };
    }),
    otherLanguages:
      languages.length > 1
        ? languages
            .filter((l) => l !== language)
            .map((l) => ({
              code: l,
              name: translate(l as Language, `common.languageName.${l}`),
              href: `/s/${token}?lang=${l}`,
            }))
        : [],
  };
}

export type StatusPage = 'thanks' | 'answered' | 'closed' | 'notFound' | 'tooMany';

export function statusViewModel(page: StatusPage, language: Language) {
  const t = strings(language);
  const texts: Record<StatusPage, [string, string]> = {
    thanks: [t.thanksTitle, t.thanksBody],
    answered: [t.answeredTitle, t.answeredBody],
    closed: [t.closedTitle, t.closedBody],
    notFound: [t.notFoundTitle, t.notFoundBody],
    tooMany: [t.tooManyTitle, t.tooManyBody],
  };
  const [heading, body] = texts[page];
  return { title: heading, heading, body, lang: language, ok: page === 'thanks' };
}

/** `?lang=` wins; otherwise the browser's preference between the languages we have. */
export function requestLanguage(query: unknown, acceptLanguage: string | undefined): Language {
  if (query === 'it' || query === 'en') return query;
  return /^\s*it\b/i.test(acceptLanguage ?? '') ? 'it' : 'en';
}
