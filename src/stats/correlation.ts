/** Pearson's r with its t test (n − 2 df) and Fisher-z confidence interval. */
import { mean } from './descriptive.js';
import { pFromT, zCritical } from './distributions.js';
import type { Interval, TestOptions } from './types.js';
import { clampUnit, isConstant, isCorrelation, isLevel, validPairs } from './validate.js';

/** A correlation with its test against ρ = 0. */
export interface CorrelationTest {
  /** Pairs used. */
  n: number;
  /** The coefficient, in [−1, 1]. */
  r: number;
  /** t = r·√(df/(1 − r²)); null when |r| = 1 (the statistic is infinite). */
  t: number | null;
  /** Degrees of freedom of the t test: n − 2 (n − 3 for a partial correlation). */
  df: number;
  /** p-value for the requested alternative, in (0, 1] (|r| = 1 gives `Number.MIN_VALUE`). */
  p: number;
  /** Fisher-z interval at the requested level; null when the sample is too small for it. */
  ci: Interval | null;
}

/** Largest magnitude before the sums of squares risk overflow (or smallest before underflow). */
const SAFE_HIGH = 1e100;
const SAFE_LOW = 1e-100;

function rescaled(values: readonly number[]): readonly number[] {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max > SAFE_HIGH || max < SAFE_LOW ? values.map((v) => v / max) : values;
}

/**
 * √(a·b), taken in one square root when the product is representable: that keeps exact cases
 * exact (r = 1 for y = 2x), and falls back to √a·√b when a·b would overflow or underflow.
 */
export function rootProduct(a: number, b: number): number {
  const product = a * b;
  return product > 0 && Number.isFinite(product) ? Math.sqrt(product) : Math.sqrt(a) * Math.sqrt(b);
}

/**
 * Pearson's r, two-pass (means first, then the centred cross-products), clamped to [−1, 1].
 * Null when the lengths differ, n < 3, a value is not finite, or either series is constant.
 */
export function pearsonR(x: readonly number[], y: readonly number[]): number | null {
  if (!validPairs(x, y, 3) || isConstant(x) || isConstant(y)) return null;
  const xs = rescaled(x);
  const ys = rescaled(y);
  const mx = mean(xs);
  const my = mean(ys);
  if (mx === null || my === null) return null;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const r = sxy / rootProduct(sxx, syy);
  return Number.isFinite(r) ? clampUnit(r) : null;
}

/**
 * t statistic and p-value of a correlation-type coefficient with `df` degrees of freedom.
 * Null when r is not a correlation or df < 1.
 */
export function correlationT(
  r: number,
  df: number,
  options: TestOptions = {},
): { t: number | null; p: number } | null {
  if (!isCorrelation(r) || !(df >= 1)) return null;
  // (1 − r)(1 + r) keeps the digits of 1 − r² when |r| is close to 1.
  const t = r * Math.sqrt(df / ((1 - r) * (1 + r)));
  const p = pFromT(t, df, options.alternative);
  if (p === null) return null;
  return { t: Number.isFinite(t) ? t : null, p };
}

/**
 * Fisher-z interval tanh(atanh r ± z·se). `se` defaults to 1/√(n − 3) (Pearson); pass another
 * standard error for Spearman, Kendall or partial correlations. Null when se is not positive and
 * finite or the level is outside (0, 1). |r| = 1 gives [r, r].
 */
export function fisherInterval(r: number, se: number, level = 0.95): Interval | null {
  const z = zCritical(level);
  if (z === null || !isCorrelation(r) || !(se > 0) || !Number.isFinite(se)) return null;
  if (Math.abs(r) === 1) return { lower: r, upper: r };
  const centre = Math.atanh(r);
  return { lower: Math.tanh(centre - z * se), upper: Math.tanh(centre + z * se) };
}

/** Standard error of atanh(r) for a Pearson correlation: 1/√(n − 3); null when n < 4. */
export function fisherSe(n: number, covariates = 0): number | null {
  const m = n - 3 - covariates;
  return m >= 1 ? 1 / Math.sqrt(m) : null;
}

/**
 * Pearson correlation with its t test (df = n − 2) and Fisher-z interval (n ≥ 4).
 * Null when the lengths differ, n < 3, a value is not finite, or either series is constant.
 * Missing values are not skipped silently: drop them first with `completeCases`.
 */
export function pearson(
  x: readonly number[],
  y: readonly number[],
  options: TestOptions = {},
): CorrelationTest | null {
  const r = pearsonR(x, y);
  if (r === null) return null;
  return correlationTestOf(r, x.length, options);
}

/** Wraps an already computed Pearson-type r of n pairs into a CorrelationTest. */
export function correlationTestOf(
  r: number,
  n: number,
  options: TestOptions = {},
): CorrelationTest | null {
  if (!Number.isSafeInteger(n) || n < 3 || !isLevel(options.level)) return null;
  const test = correlationT(r, n - 2, options);
  if (test === null) return null;
  const se = fisherSe(n);
  const ci = se === null ? null : fisherInterval(r, se, options.level);
  return { n, r, t: test.t, df: n - 2, p: test.p, ci };
}
