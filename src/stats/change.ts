/**
 * Change between two independent samples (two waves of a survey): the difference of two means
 * (Welch), of two Net Promoter Scores (formula 2.13, SEs combined) and of two proportions
 * (Newcombe 1998, method 10: the hybrid score interval built from two Wilson intervals, 2.14).
 * Every difference is `later − earlier` when called as (later, earlier). Null for undefined cases.
 */
import { pFromT, tQuantile, zCritical } from './distributions.js';
import { npsFromCounts, type NpsCounts } from './nps.js';
import { wilsonInterval } from './proportion.js';
import type { Interval } from './types.js';
import { isCount } from './validate.js';

/** n, mean and sample variance (ddof = 1) of a sample. */
export interface SampleMoments {
  n: number;
  mean: number;
  /** Sample variance (ddof = 1); null when n < 2. */
  variance: number | null;
}

/**
 * n, mean and sample variance of answers given as counts per value (value → answers), computed
 * exactly from integer sums where the values are integers. Null when there is no answer or a
 * count is not a non-negative integer.
 */
export function momentsFromCounts(counts: ReadonlyMap<number, number>): SampleMoments | null {
  let n = 0;
  let total = 0;
  for (const [v, c] of counts) {
    if (!isCount(c) || !Number.isFinite(v)) return null;
    n += c;
    total += v * c;
  }
  if (n === 0) return null;
  const mean = total / n;
  if (n < 2) return { n, mean, variance: null };
  let ss = 0;
  for (const [v, c] of counts) ss += c * (v - mean) ** 2;
  return { n, mean, variance: ss / (n - 1) };
}

export interface MeanDifference {
  /** mean(a) − mean(b). */
  difference: number;
  /** √(s²a/na + s²b/nb). */
  se: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  t: number;
  p: number;
  ci: Interval;
}

/**
 * Welch's interval for the difference of two independent means:
 * d ± t(df)·√(s²a/na + s²b/nb), df = (va + vb)²/(va²/(na − 1) + vb²/(nb − 1)) with v = s²/n.
 * Null when a side has fewer than 2 answers, or both sides have no variation (se = 0: the
 * interval is undefined, not a point).
 */
export function welchDifference(
  a: SampleMoments,
  b: SampleMoments,
  level = 0.95,
): MeanDifference | null {
  if (a.variance === null || b.variance === null || a.n < 2 || b.n < 2) return null;
  if (![a.mean, b.mean, a.variance, b.variance].every(Number.isFinite)) return null;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (!(se > 0)) return null;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const q = tQuantile(1 - (1 - level) / 2, df);
  if (q === null || !(level > 0 && level < 1)) return null;
  const difference = a.mean - b.mean;
  const t = difference / se;
  const p = pFromT(t, df);
  if (p === null) return null;
  return {
    difference,
    se,
    df,
    t,
    p,
    ci: { lower: difference - q * se, upper: difference + q * se },
  };
}

export interface ScoreDifference {
  /** score(a) − score(b), in score points (NPS: −200…200). */
  difference: number;
  se: number;
  ci: Interval;
}

/**
 * Difference of two independent NPS (formula 2.13 for each SE, SE = √(SE²a + SE²b)), with the
 * Wald interval clamped to [−200, 200]. Null when a side has no answers, or both sides are
 * degenerate (everyone in one group: se = 0).
 */
export function npsDifference(a: NpsCounts, b: NpsCounts, level = 0.95): ScoreDifference | null {
  const z = zCritical(level);
  const na = npsFromCounts(a, level);
  const nb = npsFromCounts(b, level);
  if (z === null || !na || !nb) return null;
  const se = Math.sqrt(na.se ** 2 + nb.se ** 2);
  if (!(se > 0)) return null;
  const difference = na.score - nb.score;
  return {
    difference,
    se,
    ci: { lower: Math.max(-200, difference - z * se), upper: Math.min(200, difference + z * se) },
  };
}

export interface ProportionDifference {
  /** xa/na − xb/nb. */
  difference: number;
  ci: Interval;
}

/**
 * Newcombe's hybrid score interval (1998, method 10) for p_a − p_b from two Wilson intervals
 * [la, ua], [lb, ub]: lower = d − √((p_a − la)² + (ub − p_b)²), upper = d + √((ua − p_a)² +
 * (p_b − lb)²). Good at 0 and n. Null when a side has n = 0 or a count is invalid.
 */
export function newcombeDifference(
  xa: number,
  na: number,
  xb: number,
  nb: number,
  level = 0.95,
): ProportionDifference | null {
  const wa = wilsonInterval(xa, na, level);
  const wb = wilsonInterval(xb, nb, level);
  if (!wa || !wb) return null;
  const pa = xa / na;
  const pb = xb / nb;
  const difference = pa - pb;
  const lower = difference - Math.sqrt((pa - wa.lower) ** 2 + (wb.upper - pb) ** 2);
  const upper = difference + Math.sqrt((wa.upper - pa) ** 2 + (pb - wb.lower) ** 2);
  return { difference, ci: { lower: Math.max(-1, lower), upper: Math.min(1, upper) } };
}

/** True when the interval includes 0: the change is within the noise of the two samples. */
export function includesZero(ci: Interval): boolean {
  return ci.lower <= 0 && ci.upper >= 0;
}
