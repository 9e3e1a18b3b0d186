/**
 * The only place that touches @stdlib: tail probabilities and quantiles, computed so that small
 * p-values keep their digits (lower tail of −|t| rather than 1 − CDF(|t|)).
 */
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import normalCdfStd from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileStd from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import type { Alternative } from './types.js';

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return normalCdfStd(z, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p); ±Infinity at p = 0 or 1. */
export function normalQuantile(p: number): number {
  return normalQuantileStd(p, 0, 1);
}

/**
 * Keeps a probability inside (0, 1]: an underflow (or the limit of an infinite statistic) becomes
 * the smallest positive double, so a p-value is never 0. NaN stays null.
 */
export function clampP(p: number): number | null {
  if (Number.isNaN(p)) return null;
  if (p > 1) return 1;
  return p > Number.MIN_VALUE ? p : Number.MIN_VALUE;
}

/** p-value of a Student t statistic with `df` degrees of freedom (df may be fractional). */
export function pFromT(
  t: number,
  df: number,
  alternative: Alternative = 'two-sided',
): number | null {
  if (Number.isNaN(t) || !(df > 0) || !Number.isFinite(df)) return null;
  if (alternative === 'greater') return clampP(tCdf(-t, df));
  if (alternative === 'less') return clampP(tCdf(t, df));
  return clampP(2 * tCdf(-Math.abs(t), df));
}

/** p-value of a standard normal statistic. */
export function pFromZ(z: number, alternative: Alternative = 'two-sided'): number | null {
  if (Number.isNaN(z)) return null;
  if (alternative === 'greater') return clampP(normalCdf(-z));
  if (alternative === 'less') return clampP(normalCdf(z));
  return clampP(2 * normalCdf(-Math.abs(z)));
}

/**
 * Upper tail P(F ≥ f) of the F(df1, df2) distribution, computed as the lower tail of 1/f under
 * F(df2, df1) so that small p-values do not cancel.
 */
export function fUpperTail(f: number, df1: number, df2: number): number | null {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0) || f < 0) return null;
  if (f === 0) return 1;
  return clampP(fCdf(1 / f, df2, df1));
}

/** The two-sided critical value z₁₋α/₂ for a confidence level, or null for a level outside (0, 1). */
export function zCritical(level: number): number | null {
  if (!(level > 0 && level < 1)) return null;
  return -normalQuantile((1 - level) / 2);
}

/**
 * Student t quantile: the t with P(T ≤ t) = p for `df` degrees of freedom (df may be fractional,
 * as Welch's). Found by bisection on the CDF to the last representable digit; null for p outside
 * (0, 1) or df not positive and finite.
 */
export function tQuantile(p: number, df: number): number | null {
  if (!(p > 0 && p < 1) || !(df > 0) || !Number.isFinite(df)) return null;
  if (p === 0.5) return 0;
  if (p < 0.5) {
    const upper = tQuantile(1 - p, df);
    return upper === null ? null : -upper;
  }
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return null;
  }
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
