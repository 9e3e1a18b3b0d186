import type { FieldError } from '../common/domain-error.js';
import type { Strings } from '../common/i18n.js';
import { codePointLength, isCleanText } from '../common/text.js';
import { QUESTION_SCALES, type QuestionType } from '../domain/questions.js';

/** What the respondent side needs to know about a question. */
export interface AnswerableQuestion {
  key: string;
  type: QuestionType;
  required: boolean;
  multiple: boolean;
  options: string[];
}

export const MAX_TEXT = 5000;

/** One stored answer row: numbers in numValue, choices and comments in textValue. */
export interface AnswerRow {
  questionKey: string;
  seq: number;
  numValue: number | null;
  textValue: string | null;
}

/** Form posts carry strings; JSON carries typed values. The rules differ only in parsing. */
export type Source = 'json' | 'form';

export interface CheckedAnswers {
  errors: FieldError[];
  rows: AnswerRow[];
}

const isBlank = (v: unknown) =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0);

/**
 * Checks a submission against the questionnaire: every key known, every value of the right type and
 * range, every required question answered. Returns all problems at once, or the rows to store.
 */
export function checkAnswers(
  questions: AnswerableQuestion[],
  answers: Record<string, unknown>,
  source: Source,
  t: Strings & Record<string, string>,
): CheckedAnswers {
  const errors: FieldError[] = [];
  const rows: AnswerRow[] = [];
  const byKey = new Map(questions.map((q) => [q.key, q]));
  const keys = Object.keys(answers);
  // A flood of unknown fields gets one error, not one per field.
  if (keys.length > questions.length + 20)
    return { errors: [{ field: 'answers', message: t.unknownQuestion }], rows };
  for (const key of keys) {
    if (!byKey.has(key)) errors.push({ field: key, message: t.unknownQuestion });
  }
  for (const q of questions) {
    const raw = Object.hasOwn(answers, q.key) ? answers[q.key] : undefined;
    if (isBlank(raw)) {
      if (q.required) errors.push({ field: q.key, message: t.requiredError });
      continue;
    }
    const problem = checkOne(q, raw, source, t, rows);
    if (problem) errors.push({ field: q.key, message: problem });
  }
  return { errors, rows: errors.length ? [] : rows };
}

function checkOne(
  q: AnswerableQuestion,
  raw: unknown,
  source: Source,
  t: Strings & Record<string, string>,
  rows: AnswerRow[],
): string | undefined {
  if (q.type === 'text') {
    if (typeof raw !== 'string' || !isCleanText(raw)) return t.textError;
    if (codePointLength(raw) > MAX_TEXT) return t.tooLongError.replace('{max}', String(MAX_TEXT));
    rows.push({ questionKey: q.key, seq: 0, numValue: null, textValue: raw });
    return undefined;
  }
  if (q.type === 'choice') {
    let values: unknown[];
    if (q.multiple) {
      if (source === 'json' && !Array.isArray(raw)) return t.choiceListError;
      values = Array.isArray(raw) ? raw : [raw];
    } else {
      if (Array.isArray(raw) || typeof raw !== 'string') return t.choiceError;
      values = [raw];
    }
    if (values.some((v) => typeof v !== 'string' || !q.options.includes(v))) return t.choiceError;
    const unique = [...new Set(values as string[])];
    if (unique.length !== values.length) return t.choiceError;
    unique.forEach((v, seq) =>
      rows.push({ questionKey: q.key, seq, numValue: null, textValue: v }),
    );
    return undefined;
  }
  const { min, max } = QUESTION_SCALES[q.type];
  let n: number;
  if (source === 'json') {
    if (typeof raw !== 'number' || !Number.isInteger(raw) || Object.is(raw, -0))
      return range(t, min, max);
    n = raw;
  } else {
    if (typeof raw !== 'string' || !/^\d{1,2}$/.test(raw)) return range(t, min, max);
    n = Number(raw);
  }
  if (n < min || n > max) return range(t, min, max);
  rows.push({ questionKey: q.key, seq: 0, numValue: n, textValue: null });
  return undefined;
}

const range = (t: Record<string, string>, min: number, max: number) =>
  t.rangeError.replace('{min}', String(min)).replace('{max}', String(max));
