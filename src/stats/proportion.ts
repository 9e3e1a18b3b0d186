/** Proportions such as CSAT top-2-box, with the Wilson score interval (good at 0 and n). */
import { zCritical } from './distributions.js';
import type { Interval } from './types.js';
import { allFinite, isCount } from './validate.js';

/**
 * Wilson score interval for x successes out of n:
 * centre = (p̂ + z²/2n)/(1 + z²/n), half = z·√(p̂(1 − p̂)/n + z²/4n²)/(1 + z²/n).
 * The bounds are exactly 0 at x = 0 and 1 at x = n. Null when n = 0, x is not a count ≤ n,
 * or the level is outside (0, 1).
 */
export function wilsonInterval(successes: number, n: number, level = 0.95): Interval | null {
  const z = zCritical(level);
  if (z === null || !isCount(successes) || !isCount(n) || n === 0 || successes > n) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return {
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === n ? 1 : Math.min(1, centre + half),
  };
}

export interface Proportion {
  n: number;
  successes: number;
  /** successes / n. */
  share: number;
  /** Wilson score interval. */
  ci: Interval;
}

/** A share with its Wilson interval; null in the cases where `wilsonInterval` is null. */
export function proportion(successes: number, n: number, level = 0.95): Proportion | null {
  const ci = wilsonInterval(successes, n, level);
  return ci === null ? null : { n, successes, share: successes / n, ci };
}

/**
 * Top-box share: the answers at or above `threshold` (e.g. 4 on a 1–5 scale for top-2-box).
 * Null when there are no answers, an answer is not finite, or the threshold is not finite.
 */
export function topBoxShare(
  values: readonly number[],
  threshold: number,
  level = 0.95,
): Proportion | null {
  if (!Number.isFinite(threshold) || !allFinite(values)) return null;
  const successes = values.filter((v) => v >= threshold).length;
  return proportion(successes, values.length, level);
}
