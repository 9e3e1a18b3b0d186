/**
 * Bootstrap confidence intervals for Pearson's r, resampling units in pairs with a seeded PRNG so
 * that a report shows the same interval every time. Percentile and BCa (Efron 1987, computed as
 * scipy.stats.bootstrap does); quantiles by linear interpolation (R type 7, numpy's default).
 */
import { pearsonR } from './correlation.js';
import { normalCdf, normalQuantile } from './distributions.js';
import type { Interval } from './types.js';
import { allFinite, validPairs } from './validate.js';

/** mulberry32: a small, fast 32-bit PRNG; returns uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Quantile of ascending sorted values by linear interpolation (type 7); null when empty. */
export function quantileSorted(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0 || !(p >= 0 && p <= 1)) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The (1 − level)/2 and (1 + level)/2 quantiles of the replicates; null if empty or invalid. */
export function percentileInterval(replicates: readonly number[], level = 0.95): Interval | null {
  if (!(level > 0 && level < 1) || !allFinite(replicates)) return null;
  const sorted = sortedCopy(replicates);
  const lower = quantileSorted(sorted, (1 - level) / 2);
  const upper = quantileSorted(sorted, (1 + level) / 2);
  return lower === null || upper === null ? null : { lower, upper };
}

/**
 * Acceleration a = Σ(θ̄ − θ_(i))³ / (6·(Σ(θ̄ − θ_(i))²)^{3/2}) from leave-one-out estimates.
 * Null when fewer than 2 values, a value is not finite, or all are equal.
 */
export function jackknifeAcceleration(jackknife: readonly number[]): number | null {
  if (jackknife.length < 2 || !allFinite(jackknife)) return null;
  const mean = jackknife.reduce((a, b) => a + b, 0) / jackknife.length;
  let s2 = 0;
  let s3 = 0;
  for (const v of jackknife) {
    const d = mean - v;
    s2 += d * d;
    s3 += d * d * d;
  }
  const a = s3 / (6 * s2 ** 1.5);
  return s2 > 0 && Number.isFinite(a) ? a : null;
}

export interface BcaInterval {
  /** Bias correction Φ⁻¹(share of replicates below the estimate, ties counted half). */
  z0: number;
  /** Acceleration from the jackknife. */
  acceleration: number;
  /** The adjusted quantile levels used for the bounds. */
  alpha1: number;
  alpha2: number;
  ci: Interval;
}

/**
 * BCa interval from the estimate, its bootstrap replicates and its jackknife (leave-one-out)
 * values. Null when z0 is infinite (all replicates on one side), the acceleration is undefined,
 * an input is not finite, or the level is outside (0, 1).
 */
export function bcaInterval(
  estimate: number,
  replicates: readonly number[],
  jackknife: readonly number[],
  level = 0.95,
): BcaInterval | null {
  if (!(level > 0 && level < 1) || !Number.isFinite(estimate) || replicates.length === 0) {
    return null;
  }
  if (!allFinite(replicates)) return null;
  const acceleration = jackknifeAcceleration(jackknife);
  if (acceleration === null) return null;
  let below = 0;
  let atOrBelow = 0;
  for (const v of replicates) {
    if (v < estimate) below++;
    if (v <= estimate) atOrBelow++;
  }
  const z0 = normalQuantile((below + atOrBelow) / (2 * replicates.length));
  if (!Number.isFinite(z0)) return null;
  const adjusted = (zAlpha: number): number => {
    const shifted = z0 + zAlpha;
    return normalCdf(z0 + shifted / (1 - acceleration * shifted));
  };
  const alpha1 = adjusted(normalQuantile((1 - level) / 2));
  const alpha2 = adjusted(normalQuantile((1 + level) / 2));
  const sorted = sortedCopy(replicates);
  const lower = quantileSorted(sorted, alpha1);
  const upper = quantileSorted(sorted, alpha2);
  if (lower === null || upper === null) return null;
  return { z0, acceleration, alpha1, alpha2, ci: { lower, upper } };
}

export interface BootstrapOptions {
  /** Resamples drawn; default 2000 (prefer ≥ 10,000 for BCa when time allows). */
  resamples?: number;
  /** PRNG seed; default 1. The same seed and data give the same interval. */
  seed?: number;
  /** Default 0.95. */
  level?: number;
}

export interface BootstrapCorrelation {
  n: number;
  r: number;
  /** Resamples whose r was defined and used. */
  replicates: number;
  /**
   * Resamples dropped because r was undefined (e.g. a constant variable in the resample, common
   * with few units on integer scales). Warn when this exceeds about 1 % of the resamples.
   */
  dropped: number;
  percentile: Interval | null;
  /** Null when undefined (see `bcaInterval`). */
  bca: BcaInterval | null;
}

/**
 * Percentile and BCa bootstrap intervals for Pearson's r, resampling units (pairs) with
 * replacement. Null when r itself is undefined (see `pearsonR`), the options are invalid, or
 * no resample gives a defined r.
 */
export function bootstrapPearson(
  x: readonly number[],
  y: readonly number[],
  options: BootstrapOptions = {},
): BootstrapCorrelation | null {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  if (!Number.isSafeInteger(resamples) || resamples < 1 || !(level > 0 && level < 1)) return null;
  if (!validPairs(x, y, 3)) return null;
  const r = pearsonR(x, y);
  if (r === null) return null;
  const n = x.length;
  const random = mulberry32(options.seed ?? 1);
  const bx = new Array<number>(n);
  const by = new Array<number>(n);
  const replicates: number[] = [];
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      bx[i] = x[j];
      by[i] = y[j];
    }
    const rb = pearsonR(bx, by);
    if (rb !== null) replicates.push(rb);
  }
  if (replicates.length === 0) return null;
  const jackknife: number[] = [];
  for (let i = 0; i < n; i++) {
    const ri = pearsonR(
      x.filter((_, j) => j !== i),
      y.filter((_, j) => j !== i),
    );
    if (ri === null) break;
    jackknife.push(ri);
  }
  return {
    n,
    r,
    replicates: replicates.length,
    dropped: resamples - replicates.length,
    percentile: percentileInterval(replicates, level),
    bca: jackknife.length === n ? bcaInterval(r, replicates, jackknife, level) : null,
  };
}
