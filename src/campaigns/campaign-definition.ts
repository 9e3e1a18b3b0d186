/**
 * The rules of a campaign definition that span several fields. Pure: no framework, no database,
 * no clock (the caller passes `now` and the unit codes that exist). The DTOs in campaigns.dto.ts
 * check shape and per-field format first; this runs on a definition that passed them.
 */
import type { FieldError } from '../common/domain-error.js';
import type { Audience } from '../domain/audience.js';
import type { Language } from '../domain/language.js';
import { isNumericType, type QuestionType } from '../domain/questions.js';

export const KEY_PATTERN = /^[a-z0-9_]{1,40}$/;
export const OPTION_VALUE_PATTERN = /^[a-z0-9_-]{1,40}$/;
/** A period label such as 2026-Q1; no space at either end. */
export const WAVE_PATTERN = /^(?=.{1,40}$)[A-Za-z0-9_.-](?:[A-Za-z0-9 _.-]*[A-Za-z0-9_.-])?$/;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 50;

export interface LocalisedText {
  en?: string | null;
  it?: string | null;
}

export interface OptionInput {
  value: string;
  label: LocalisedText;
}

export interface QuestionInput {
  key: string;
  type: QuestionType;
  required?: boolean | null;
  text: LocalisedText;
  multiple?: boolean | null;
  options?: OptionInput[] | null;
  providerUnitCode?: string | null;
}

export interface CampaignDefinitionInput {
  name: string;
  audience: Audience;
  wave: string;
  anonymous?: boolean | null;
  languages: Language[];
  closesAt?: string | null;
  headline: string;
  questions: QuestionInput[];
}

export interface DefinitionContext {
  /** ISO 8601 UTC; closesAt must lie after it. */
  now: string;
  /** The opening date of a scheduled draft (ISO 8601 UTC), which closesAt must follow. */
  opensAt?: string | null;
  /** The unit codes that exist (only those named by providerUnitCode need to be in it). */
  unitCodes: ReadonlySet<string>;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** An ISO 8601 date-time with a zone (Z or ±hh:mm) that names a real calendar moment. */
export function isDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  );
  if (year < 2000 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59)
    return false;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  if (m[8] !== 'Z' && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

/** Stored form: fixed-width UTC (`2026-03-31T23:59:59.000Z`), so it compares correctly as text. */
export const normaliseDateTime = (value: string): string => new Date(value).toISOString();

const present = (s: string | null | undefined): s is string =>
  typeof s === 'string' && s.trim().length > 0;

/** Every problem of the definition, each with its field path (`questions[2].text.it`). */
export function validateDefinition(
  def: CampaignDefinitionInput,
  ctx: DefinitionContext,
): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const languages = def.languages;

  if (def.closesAt !== undefined && def.closesAt !== null && isDateTime(def.closesAt)) {
    const closesAt = normaliseDateTime(def.closesAt);
    if (closesAt <= ctx.now) add('closesAt', 'closesAt must be in the future');
    else if (ctx.opensAt && closesAt <= ctx.opensAt)
      add('closesAt', 'closesAt must be after opensAt');
  }

  const firstIndexOfKey = new Map<string, number>();
  def.questions.forEach((q, i) => {
    const at = `questions[${i}]`;
    const earlier = firstIndexOfKey.get(q.key);
    if (earlier === undefined) firstIndexOfKey.set(q.key, i);
    else add(`${at}.key`, `key "${q.key}" is already used by questions[${earlier}]`);

    checkTexts(q.text, languages, `${at}.text`, 'text', add);

    const hasOptions = q.options !== undefined && q.options !== null;
    const hasMultiple = q.multiple !== undefined && q.multiple !== null;
    if (q.type === 'choice') {
      const options = q.options ?? [];
      if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS)
        add(`${at}.options`, `a choice question needs ${MIN_OPTIONS} to ${MAX_OPTIONS} options`);
      const firstIndexOfValue = new Map<string, number>();
      options.forEach((o, k) => {
        const seen = firstIndexOfValue.get(o.value);
        if (seen === undefined) firstIndexOfValue.set(o.value, k);
        else
          add(
            `${at}.options[${k}].value`,
            `value "${o.value}" is already used by options[${seen}]`,
          );
        checkTexts(o.label, languages, `${at}.options[${k}].label`, 'label', add);
      });
    } else {
      if (hasOptions) add(`${at}.options`, 'only choice questions have options');
      if (hasMultiple) add(`${at}.multiple`, 'only choice questions can allow several answers');
    }

    const provider = q.providerUnitCode;
    if (provider !== undefined && provider !== null) {
      const field = `${at}.providerUnitCode`;
      if (def.audience !== 'internal')
        add(field, 'providerUnitCode is only allowed in internal campaigns');
      if (!isNumericType(q.type))
        add(
          field,
          'providerUnitCode is only allowed on numeric questions (nps, csat, ces, likert)',
        );
      if (!ctx.unitCodes.has(provider)) add(field, `unknown unit code "${provider}"`);
    }
  });

  const headlineIndex = firstIndexOfKey.get(def.headline);
  if (headlineIndex === undefined) {
    add('headline', 'headline must be the key of one of the questions');
  } else {
    const headline = def.questions[headlineIndex];
    if (!isNumericType(headline.type))
      add('headline', 'headline must be a numeric question (nps, csat, ces, likert)');
    if (headline.providerUnitCode !== undefined && headline.providerUnitCode !== null)
      add('headline', 'headline cannot be a question that rates a provider unit');
  }
  return errors;
}

/** A text or label: present and non-blank in every campaign language, and in no other. */
function checkTexts(
  texts: LocalisedText,
  languages: readonly Language[],
  at: string,
  what: string,
  add: (field: string, message: string) => void,
): void {
  for (const lang of languages) {
    if (!present(texts[lang])) add(`${at}.${lang}`, `${what} in "${lang}" is required`);
  }
  for (const lang of Object.keys(texts) as Language[]) {
    const value = texts[lang];
    if (value !== undefined && value !== null && !languages.includes(lang))
      add(`${at}.${lang}`, `"${lang}" is not one of the campaign languages`);
  }
}
