/** Partial correlation of x and y controlling for one covariate z (e.g. unit size). */
import {
  correlationT,
  fisherInterval,
  fisherSe,
  pearsonR,
  type CorrelationTest,
} from './correlation.js';
import type { TestOptions } from './types.js';
import { clampUnit, isCorrelation, isLevel } from './validate.js';

/**
 * r_xy·z = (r_xy − r_xz·r_yz)/√((1 − r_xz²)(1 − r_yz²)) from three correlations; null when an
 * input is not a correlation or |r_xz| = 1 or |r_yz| = 1.
 */
export function partialR(rXY: number, rXZ: number, rYZ: number): number | null {
  if (![rXY, rXZ, rYZ].every(isCorrelation)) return null;
  const denominator = Math.sqrt((1 - rXZ) * (1 + rXZ) * (1 - rYZ) * (1 + rYZ));
  if (!(denominator > 0)) return null;
  const r = (rXY - rXZ * rYZ) / denominator;
  // Beyond rounding, |r| > 1 means the three correlations are not one correlation matrix.
  return Number.isFinite(r) && Math.abs(r) <= 1 + 1e-12 ? clampUnit(r) : null;
}

/**
 * Partial correlation with its t test on df = n − 3 and a Fisher-z interval with
 * se = 1/√(n − 4) (n ≥ 5). It equals the correlation of the residuals of x ~ z and y ~ z.
 * Null when lengths differ, n < 4, a value is not finite, a variable is constant, or z is
 * perfectly correlated with x or y.
 */
export function partialCorrelation(
  x: readonly number[],
  y: readonly number[],
  z: readonly number[],
  options: TestOptions = {},
): CorrelationTest | null {
  const n = x.length;
  if (n < 4 || z.length !== n || !isLevel(options.level)) return null;
  const rXY = pearsonR(x, y);
  const rXZ = pearsonR(x, z);
  const rYZ = pearsonR(y, z);
  if (rXY === null || rXZ === null || rYZ === null) return null;
  const r = partialR(rXY, rXZ, rYZ);
  if (r === null) return null;
  const test = correlationT(r, n - 3, options);
  if (test === null) return null;
  const se = fisherSe(n, 1);
  const ci = se === null ? null : fisherInterval(r, se, options.level);
  return { n, r, t: test.t, df: n - 3, p: test.p, ci };
}
