import type { FieldError } from '../common/domain-error.js';
import {
  codePointLength,
  isCleanText,
  isEmail,
  isSingleLine,
  normaliseEmail,
} from '../common/text.js';
import { AUDIENCES, type Audience } from '../domain/audience.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import { fieldProblem } from './problems.js';

/**
 * Field rules for units and contacts, shared by the JSON API, the admin forms and the CSV imports
 * so that one input is judged the same way whichever door it came through. Pure functions.
 */

export const UNIT_CODE = /^[A-Za-z0-9_.-]{1,64}$/;
export const MAX_NAME = 200;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: FieldError };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
/** A refusal: a message key of `organisation.problem` (English for the API, any language on pages). */
const fail = (field: string, key: string, vars?: Record<string, unknown>): Checked<never> => ({
  ok: false,
  error: fieldProblem(field, key, vars),
});
const missing = (raw: unknown) => raw === undefined || raw === null;

/** A short, quoted echo of user input for messages (escaped later by JSON or Handlebars). */
export function echo(value: string, max = 60): string {
  const chars = [...value];
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max).join('')}…` : value);
}

/** Unit codes: trimmed, 1–64 characters of letters, digits, "_", "." or "-"; case-sensitive. */
export function checkUnitCode(raw: unknown, field = 'code'): Checked<string> {
  if (missing(raw)) return fail(field, 'required');
  if (typeof raw !== 'string' || !isCleanText(raw)) return fail(field, 'notText');
  const code = raw.trim();
  if (!code) return fail(field, 'required');
  if (!UNIT_CODE.test(code)) return fail(field, 'codePattern', { value: echo(code) });
  return ok(code);
}

/** Display names (units and contacts): trimmed, one line, 1–200 characters, clean text. */
export function checkName(raw: unknown, field = 'name'): Checked<string> {
  if (missing(raw)) return fail(field, 'required');
  if (typeof raw !== 'string' || !isCleanText(raw)) return fail(field, 'nameText');
  if (!isSingleLine(raw)) return fail(field, 'singleLine');
  const name = raw.trim();
  if (!name) return fail(field, 'required');
  if (codePointLength(name) > MAX_NAME) return fail(field, 'tooLong', { max: MAX_NAME });
  return ok(name);
}

/** E-mail: trimmed, NFC, lower-cased, then validated. */
export function checkEmail(raw: unknown, field = 'email'): Checked<string> {
  if (missing(raw)) return fail(field, 'required');
  if (typeof raw !== 'string' || !isCleanText(raw)) return fail(field, 'notText');
  const email = normaliseEmail(raw);
  if (!email) return fail(field, 'required');
  if (!isEmail(email)) return fail(field, 'emailInvalid', { value: echo(email) });
  return ok(email);
}

/** CSV cells are forgiving about case ("Internal"); the JSON API is strict through its DTO. */
export function checkAudience(raw: unknown, field = 'audience'): Checked<Audience> {
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!value) return fail(field, 'audienceRequired');
  return (AUDIENCES as readonly string[]).includes(value)
    ? ok(value as Audience)
    : fail(field, 'audienceInvalid', { value: echo(String(raw)) });
}

/** Empty means the default language, English. */
export function checkLanguage(raw: unknown, field = 'language'): Checked<Language> {
  if (missing(raw)) return ok('en');
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '\u0000';
  if (!value) return ok('en');
  return (LANGUAGES as readonly string[]).includes(value)
    ? ok(value as Language)
    : fail(field, 'languageInvalid', { value: echo(String(raw)), languages: LANGUAGES.join(', ') });
}

export interface ContactFields {
  email: string;
  name: string;
  audience: Audience;
  unitCode: string;
  language: Language;
}

/** All the per-field rules of a contact at once; unit existence is checked later, against the database. */
export function checkContactFields(
  input: {
    email?: unknown;
    name?: unknown;
    audience?: unknown;
    unitCode?: unknown;
    language?: unknown;
  },
  unitField = 'unitCode',
): { value?: ContactFields; errors: FieldError[] } {
  const email = checkEmail(input.email);
  const name = checkName(input.name);
  const audience = checkAudience(input.audience);
  const unitCode = checkUnitCode(input.unitCode, unitField);
  const language = checkLanguage(input.language);
  const errors = [email, name, audience, unitCode, language].flatMap((c) =>
    c.ok ? [] : [c.error],
  );
  if (!email.ok || !name.ok || !audience.ok || !unitCode.ok || !language.ok) return { errors };
  return {
    value: {
      email: email.value,
      name: name.value,
      audience: audience.value,
      unitCode: unitCode.value,
      language: language.value,
    },
    errors,
  };
}
