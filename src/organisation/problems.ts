import type { FieldError } from '../common/domain-error.js';
import { formatNumber } from '../common/format.js';
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';

/**
 * What is wrong with an input, in words both doors can use. The JSON API answers in English, as
 * it always did; the admin pages show the same problem in their own language. A problem is a
 * message key under `organisation.problem` (locales/<lang>/organisation.json) with its values;
 * its English text is what goes into `message`, and a side table remembers the key for the pages,
 * so no extra property ever reaches a JSON answer. Numbers among the values are formatted for the
 * language (line numbers are passed as text: they are labels, not amounts); a value that is itself
 * a problem is put in words in the same language.
 */
export interface ProblemPart {
  key: string;
  vars?: Readonly<Record<string, unknown>>;
}

const PARTS = new WeakMap<object, readonly ProblemPart[]>();

/** A value may itself be a problem (a file's header is unreadable because of a line's problem). */
const isPart = (value: unknown): value is ProblemPart =>
  typeof value === 'object' && value !== null && typeof (value as ProblemPart).key === 'string';

/** The text of the parts in one language, joined by "; " (one CSV line can have several). */
export function problemText(lang: Language, parts: readonly ProblemPart[]): string {
  return parts
    .map(({ key, vars }) => {
      const values: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(vars ?? {}))
        values[name] =
          typeof value === 'number'
            ? formatNumber(value, lang)
            : isPart(value)
              ? problemText(lang, [value])
              : value;
      return translate(lang, `organisation.problem.${key}`, values);
    })
    .join('; ');
}

/** Remembers the parts of something whose `message` is their English text. */
export function remember<T extends object>(target: T, parts: readonly ProblemPart[]): T {
  PARTS.set(target, parts);
  return target;
}

export const partsOf = (target: object): readonly ProblemPart[] | undefined => PARTS.get(target);

/** One part, for a field. */
export function fieldProblem(
  field: string,
  key: string,
  vars: Readonly<Record<string, unknown>> = {},
): FieldError {
  const parts = [{ key, vars: { field, ...vars } }];
  return remember({ field, message: problemText('en', parts) }, parts);
}

/** A CSV line's problem: one part, or all the parts of several field errors. */
export function lineProblem(
  line: number,
  problem: ProblemPart | readonly { message: string }[],
): { line: number; message: string } {
  const parts = Array.isArray(problem)
    ? (problem as readonly { message: string }[]).flatMap(
        (e) => partsOf(e) ?? [{ key: 'plain', vars: { text: e.message } }],
      )
    : [problem as ProblemPart];
  return remember({ line, message: problemText('en', parts) }, parts);
}

/** The English text of a problem (for errors and messages the API shows). */
export const english = (key: string, vars: Readonly<Record<string, unknown>> = {}) =>
  problemText('en', [{ key, vars }]);

/** A message (a field error, a CSV line's problem, a domain error) in the page's language. */
export function localised(lang: Language, target: { message: string }): string {
  const parts = partsOf(target);
  return parts ? problemText(lang, parts) : target.message;
}
