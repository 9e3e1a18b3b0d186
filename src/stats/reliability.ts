/** Scale reliability (Cronbach's α) and within-unit agreement (rwg, rwg(J)). */
import { completeRows, variance } from './descriptive.js';

export interface CronbachAlpha {
  alpha: number;
  /** Items. */
  k: number;
  /** Respondents with every item answered (listwise). */
  n: number;
  /** Respondents dropped for a missing or non-finite answer. */
  dropped: number;
}

/**
 * Cronbach's α = k/(k − 1)·(1 − Σ s²_item / s²_total) with sample variances (ddof = 1), over the
 * respondents who answered every item. `responses[i][j]` is respondent i's answer to item j.
 * α can be negative (report it, and flag it). Null when rows differ in length, k < 2, fewer than
 * 2 complete respondents remain, or the total score has no variance.
 */
export function cronbachAlpha(
  responses: readonly (readonly (number | null | undefined)[])[],
): CronbachAlpha | null {
  const complete = completeRows(responses);
  if (complete === null) return null;
  const { rows, width: k, dropped } = complete;
  if (k < 2 || rows.length < 2) return null;
  let itemVariances = 0;
  for (let j = 0; j < k; j++) {
    const v = variance(rows.map((row) => row[j]));
    if (v === null) return null;
    itemVariances += v;
  }
  const total = variance(rows.map((row) => row.reduce((a, b) => a + b, 0)));
  if (total === null || total === 0) return null;
  const alpha = (k / (k - 1)) * (1 - itemVariances / total);
  return Number.isFinite(alpha) ? { alpha, k, n: rows.length, dropped } : null;
}

/** Variance of the uniform null distribution on an A-point scale: (A² − 1)/12. */
function uniformVariance(scalePoints: number): number | null {
  return Number.isSafeInteger(scalePoints) && scalePoints >= 2
    ? (scalePoints * scalePoints - 1) / 12
    : null;
}

/**
 * rwg = 1 − s²/σ²_EU for one unit's answers to one item on an A-point scale (James, Demaree &
 * Wolf 1984). As R's multilevel::rwg, s² is truncated at σ²_EU, so rwg is in [0, 1].
 * Null for fewer than 2 answers, a non-finite answer, or a scale with fewer than 2 points.
 */
export function rwg(values: readonly number[], scalePoints: number): number | null {
  const expected = uniformVariance(scalePoints);
  const observed = variance(values);
  if (expected === null || observed === null) return null;
  return 1 - Math.min(observed, expected) / expected;
}

/**
 * rwg(J) = J(1 − s̄²/σ²)/(J(1 − s̄²/σ²) + s̄²/σ²) for J parallel items, s̄² the mean item variance
 * (truncated at σ²_EU, so the result is in [0, 1]). `responses[i][j]` is member i's answer to
 * item j; incomplete members are dropped. Null when rows differ in length, there are no items,
 * fewer than 2 complete members remain, or the scale has fewer than 2 points.
 */
export function rwgJ(
  responses: readonly (readonly (number | null | undefined)[])[],
  scalePoints: number,
): number | null {
  const expected = uniformVariance(scalePoints);
  const complete = completeRows(responses);
  if (expected === null || complete === null) return null;
  const { rows, width: items } = complete;
  if (items === 0 || rows.length < 2) return null;
  let sum = 0;
  for (let j = 0; j < items; j++) sum += variance(rows.map((row) => row[j])) ?? NaN;
  if (!Number.isFinite(sum)) return null;
  const ratio = Math.min(sum / items, expected) / expected;
  const agreement = items * (1 - ratio);
  return agreement / (agreement + ratio);
}
