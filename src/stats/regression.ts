/** Ordinary least squares: the simple line, and two standardized predictors from correlations. */
import { mean } from './descriptive.js';
import { pFromT } from './distributions.js';
import type { Alternative } from './types.js';
import { isConstant, isCorrelation, validPairs } from './validate.js';

export interface LinearRegression {
  n: number;
  slope: number;
  intercept: number;
  /** Share of the variance of y explained; null when y is constant. */
  rSquared: number | null;
}

/**
 * OLS line y = intercept + slope·x (two-pass sums). Null when the lengths differ, n < 3,
 * a value is not finite, or x is constant.
 */
export function linearRegression(
  x: readonly number[],
  y: readonly number[],
): LinearRegression | null {
  if (!validPairs(x, y, 3) || isConstant(x)) return null;
  const mx = mean(x);
  const my = mean(y);
  if (mx === null || my === null) return null;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  if (![slope, intercept, sxx, syy].every(Number.isFinite)) return null;
  const rSquared = isConstant(y) ? null : Math.min(1, (sxy / sxx) * (sxy / syy));
  return { n: x.length, slope, intercept, rSquared };
}

/** One standardized coefficient with its t test. */
export interface StandardizedCoefficient {
  beta: number;
  /** Standard error of beta; 0 for a perfect fit. */
  se: number;
  /** beta/se; null for a perfect fit (infinite). */
  t: number | null;
  df: number;
  /** In (0, 1]; `Number.MIN_VALUE` for a perfect fit. */
  p: number;
}

export interface TwoPredictorRegression {
  first: StandardizedCoefficient;
  second: StandardizedCoefficient;
  rSquared: number;
}

/** Correlations among an outcome y and two predictors a, b, over n complete units. */
export interface TwoPredictorCorrelations {
  rYA: number;
  rYB: number;
  rAB: number;
  n: number;
}

/**
 * Standardized coefficients of y ~ a + b from the three correlations, with t tests on n − 3 df:
 * β_a = (r_ya − r_yb·r_ab)/(1 − r_ab²), se = √((1 − R²)/((n − 3)(1 − r_ab²))).
 * Null when n < 4, a correlation is invalid, the predictors are collinear (|r_ab| = 1), or the
 * three correlations are not a valid correlation matrix (R² > 1).
 */
export function standardizedTwoPredictor(
  input: TwoPredictorCorrelations,
  alternative: Alternative = 'two-sided',
): TwoPredictorRegression | null {
  const { rYA, rYB, rAB, n } = input;
  if (![rYA, rYB, rAB].every(isCorrelation) || !Number.isSafeInteger(n) || n < 4) return null;
  const shared = (1 - rAB) * (1 + rAB);
  if (shared <= 0) return null;
  const betaA = (rYA - rYB * rAB) / shared;
  const betaB = (rYB - rYA * rAB) / shared;
  const rSquared = betaA * rYA + betaB * rYB;
  // A tiny tolerance for rounding; beyond it the correlations cannot come from one data set.
  if (!(rSquared <= 1 + 1e-12) || rSquared < -1e-12) return null;
  const df = n - 3;
  const se = Math.sqrt(Math.max(0, 1 - rSquared) / (df * shared));
  const coefficient = (beta: number): StandardizedCoefficient | null => {
    const t = beta / se;
    const p = pFromT(se === 0 ? (beta === 0 ? 0 : Math.sign(beta) * Infinity) : t, df, alternative);
    return p === null ? null : { beta, se, t: Number.isFinite(t) ? t : null, df, p };
  };
  const first = coefficient(betaA);
  const second = coefficient(betaB);
  if (first === null || second === null) return null;
  return { first, second, rSquared: Math.min(1, Math.max(0, rSquared)) };
}
