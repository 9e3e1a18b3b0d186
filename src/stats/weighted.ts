/** Precision-weighted Pearson correlation (a sensitivity check beside the unweighted one). */
import { correlationT, rootProduct } from './correlation.js';
import type { Alternative } from './types.js';
import { allFinite, clampUnit, validPairs } from './validate.js';

export interface WeightedCorrelation {
  /** Units with a positive weight. */
  n: number;
  r: number;
  /** Kish's effective sample size (Σw)²/Σw². */
  effectiveN: number;
  /**
   * Approximate t test with effectiveN − 2 (fractional) df; t, df and p are null when
   * effectiveN ≤ 3, and t is null when |r| = 1.
   */
  t: number | null;
  df: number | null;
  p: number | null;
}

/** Largest value, by a loop: spreading a long array into Math.max can overflow the stack. */
function largest(values: readonly number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** Kish's effective sample size (Σw)²/Σw²; null for negative, non-finite or all-zero weights. */
export function kishEffectiveN(weights: readonly number[]): number | null {
  if (!allFinite(weights) || weights.some((w) => w < 0)) return null;
  const max = largest(weights);
  if (max === 0) return null;
  let s = 0;
  let s2 = 0;
  for (const w of weights) {
    const v = w / max; // scale-free, so huge weights cannot overflow
    s += v;
    s2 += v * v;
  }
  return (s * s) / s2;
}

/**
 * r_w = Σw(x − m_x)(y − m_y)/√(Σw(x − m_x)²·Σw(y − m_y)²) with weighted means m. With integer
 * frequency weights it equals Pearson's r of the replicated data. Units with w = 0 drop out.
 * Null when lengths differ, a value is not finite, a weight is negative, fewer than 3 units have
 * a positive weight, or either variable is constant over those units.
 */
export function weightedPearson(
  x: readonly number[],
  y: readonly number[],
  weights: readonly number[],
  alternative: Alternative = 'two-sided',
): WeightedCorrelation | null {
  if (!validPairs(x, y, 3) || weights.length !== x.length) return null;
  const effectiveN = kishEffectiveN(weights);
  if (effectiveN === null) return null;
  const kept = weights.flatMap((w, i) => (w > 0 ? [i] : []));
  if (kept.length < 3) return null;
  const max = largest(weights);
  const w = kept.map((i) => weights[i] / max);
  const xs = kept.map((i) => x[i]);
  const ys = kept.map((i) => y[i]);
  if (xs.every((v) => v === xs[0]) || ys.every((v) => v === ys[0])) return null;
  const weightedMean = (v: readonly number[]): number => {
    let sw = 0;
    let swv = 0;
    for (let i = 0; i < v.length; i++) {
      sw += w[i];
      swv += w[i] * v[i];
    }
    const first = swv / sw;
    let correction = 0;
    for (let i = 0; i < v.length; i++) correction += w[i] * (v[i] - first);
    return first + correction / sw;
  };
  const mx = weightedMean(xs);
  const my = weightedMean(ys);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxx += w[i] * dx * dx;
    syy += w[i] * dy * dy;
    sxy += w[i] * dx * dy;
  }
  const raw = sxy / rootProduct(sxx, syy);
  if (!Number.isFinite(raw)) return null;
  const r = clampUnit(raw);
  const df = effectiveN - 2;
  const test = df > 1 ? correlationT(r, df, { alternative }) : null;
  return {
    n: kept.length,
    r,
    effectiveN,
    t: test?.t ?? null,
    df: test === null ? null : df,
    p: test?.p ?? null,
  };
}
