/** Descriptive helpers for reports: sums, means, variances and answer distributions. */
import { allFinite } from './validate.js';

/** Compensated (Neumaier) sum: exact to about one rounding, even for long 1–5 scale series. */
export function sum(values: readonly number[]): number {
  let s = 0;
  let c = 0;
  for (const v of values) {
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/** Arithmetic mean, refined by a second pass; null when empty or when a value is not finite. */
export function mean(values: readonly number[]): number | null {
  const n = values.length;
  if (n === 0 || !allFinite(values)) return null;
  const first = sum(values) / n;
  let correction = 0;
  for (const v of values) correction += v - first;
  const m = first + correction / n;
  return Number.isFinite(m) ? m : null;
}

/** Sample variance (ddof = 1, two-pass); null when n < 2 or a value is not finite. */
export function variance(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values);
  if (m === null) return null;
  let ss = 0;
  let comp = 0;
  for (const v of values) {
    const d = v - m;
    ss += d * d;
    comp += d;
  }
  // Second term: the classic two-pass correction for the rounding left in the mean.
  const s2 = (ss - (comp * comp) / n) / (n - 1);
  return Number.isFinite(s2) ? Math.max(0, s2) : null;
}

/** Sample standard deviation (ddof = 1); null when n < 2 or a value is not finite. */
export function standardDeviation(values: readonly number[]): number | null {
  const v = variance(values);
  return v === null ? null : Math.sqrt(v);
}

/** How the answers spread over a fixed list of categories (e.g. the points 1…5 of a scale). */
export interface Distribution {
  categories: number[];
  /** counts[i] = number of values equal to categories[i]. */
  counts: number[];
  /** Values that matched a category. */
  n: number;
  /** Values that matched no category (including NaN); they are not part of `n`. */
  outside: number;
  /** counts[i] / n; null when no value matched. */
  shares: number[] | null;
}

/** Counts the values per category; duplicate or non-finite categories give null. */
export function distribution(
  values: readonly number[],
  categories: readonly number[],
): Distribution | null {
  if (!allFinite(categories) || new Set(categories).size !== categories.length) return null;
  const index = new Map<number, number>();
  categories.forEach((c, i) => index.set(c, i)); // Map keys treat −0 and 0 as one
  const counts = categories.map(() => 0);
  let outside = 0;
  for (const v of values) {
    const i = index.get(v);
    if (i === undefined) outside++;
    else counts[i]++;
  }
  const n = values.length - outside;
  return {
    categories: [...categories],
    counts,
    n,
    outside,
    shares: n === 0 ? null : counts.map((c) => c / n),
  };
}

/** Columns reduced to the rows where every column holds a finite number (listwise deletion). */
export interface CompleteCases {
  columns: number[][];
  /** Rows kept. */
  n: number;
  /** Rows dropped because a value was missing or not finite. */
  dropped: number;
}

/** Listwise deletion over parallel columns; null when the columns differ in length. */
export function completeCases(
  columns: readonly (readonly (number | null | undefined)[])[],
): CompleteCases | null {
  if (columns.length === 0) return { columns: [], n: 0, dropped: 0 };
  const length = columns[0].length;
  if (columns.some((c) => c.length !== length)) return null;
  const kept: number[][] = columns.map(() => []);
  let dropped = 0;
  for (let i = 0; i < length; i++) {
    if (columns.every((c) => Number.isFinite(c[i]))) {
      columns.forEach((c, j) => kept[j].push(c[i] as number));
    } else {
      dropped++;
    }
  }
  return { columns: kept, n: length - dropped, dropped };
}

/** Rows (e.g. one respondent's answers to k items) kept only when every value is finite. */
export interface CompleteRows {
  rows: number[][];
  /** Values per row. */
  width: number;
  dropped: number;
}

/** Listwise deletion over rows; null when the rows differ in length. */
export function completeRows(
  rows: readonly (readonly (number | null | undefined)[])[],
): CompleteRows | null {
  const width = rows.length === 0 ? 0 : rows[0].length;
  if (rows.some((r) => r.length !== width)) return null;
  const kept = rows.filter((r) => r.every((v) => Number.isFinite(v))) as number[][];
  return { rows: kept, width, dropped: rows.length - kept.length };
}
