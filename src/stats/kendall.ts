/**
 * Kendall's τ-b with the tie-corrected variance of S (Kendall 1970; as scipy and R), counted in
 * O(n log n) by sorting and merge-sort inversions (Knight 1966), so it also scales to
 * individual-level data.
 */
import { fisherInterval, rootProduct } from './correlation.js';
import { pFromZ } from './distributions.js';
import type { Interval, TestOptions } from './types.js';
import { clampUnit, isLevel, validPairs } from './validate.js';

export interface KendallOptions extends TestOptions {
  /**
   * `asymptotic` (default): Z = S/√Var(S) with the tie correction.
   * `exact`: the permutation distribution of S, only without ties (n ≤ KENDALL_EXACT_MAX_N).
   */
  method?: 'asymptotic' | 'exact';
}

export interface KendallResult {
  n: number;
  tauB: number;
  /** Pairs ordered the same way in x and y. */
  concordant: number;
  /** Pairs ordered oppositely. */
  discordant: number;
  /** S = concordant − discordant. */
  s: number;
  /** Var(S) under independence, with the tie correction. */
  varS: number;
  /** z = S/√Var(S). */
  z: number;
  /**
   * p-value for the alternative, in (0, 1]. Null only for `method: 'exact'` with ties or with
   * n above KENDALL_EXACT_MAX_N.
   */
  p: number | null;
  method: 'asymptotic' | 'exact';
  /** Fisher-z interval with se = √(0.437/(n − 4)) (Fieller et al. 1957); null when n < 5. */
  ci: Interval | null;
}

/** Largest n for the exact p-value (the distribution costs about n³/6 additions). */
export const KENDALL_EXACT_MAX_N = 300;

interface TieStats {
  /** Σ t(t − 1)/2: pairs tied. */
  pairs: number;
  /** Σ t(t − 1)(t − 2). */
  cubic: number;
  /** Σ t(t − 1)(2t + 5). */
  variance: number;
}

/** Tie statistics of a sorted series. */
function tieStats(sorted: Float64Array): TieStats {
  const stats: TieStats = { pairs: 0, cubic: 0, variance: 0 };
  for (let start = 0; start < sorted.length;) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end++;
    const t = end - start;
    stats.pairs += (t * (t - 1)) / 2;
    stats.cubic += t * (t - 1) * (t - 2);
    stats.variance += t * (t - 1) * (2 * t + 5);
    start = end;
  }
  return stats;
}

/** Pairs i < j with a[i] > a[j] (strict), by bottom-up merge sort; also returns `a` sorted. */
function countInversions(a: Float64Array): { inversions: number; sorted: Float64Array } {
  let inversions = 0;
  let src = a.slice();
  let dst = new Float64Array(a.length);
  for (let width = 1; width < a.length; width *= 2) {
    for (let lo = 0; lo < a.length; lo += 2 * width) {
      const mid = Math.min(lo + width, a.length);
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (src[j] < src[i]) {
          inversions += mid - i;
          dst[k++] = src[j++];
        } else {
          dst[k++] = src[i++];
        }
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    [src, dst] = [dst, src];
  }
  return { inversions, sorted: src };
}

/**
 * Kendall's τ-b. Null when the lengths differ, n < 3, a value is not finite, or either variable
 * is constant (all ties).
 */
export function kendall(
  x: readonly number[],
  y: readonly number[],
  options: KendallOptions = {},
): KendallResult | null {
  if (!validPairs(x, y, 3) || !isLevel(options.level)) return null;
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const xs = Float64Array.from(order, (i) => x[i]);
  const ys = Float64Array.from(order, (i) => y[i]);

  let tiedBoth = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && xs[end] === xs[start] && ys[end] === ys[start]) end++;
    tiedBoth += ((end - start) * (end - start - 1)) / 2;
    start = end;
  }
  const tx = tieStats(xs);
  // Within equal x the ys are ascending, so strict inversions are exactly the discordant pairs.
  const { inversions: discordant, sorted: ySorted } = countInversions(ys);
  const ty = tieStats(ySorted);

  const total = (n * (n - 1)) / 2;
  if (tx.pairs === total || ty.pairs === total) return null;
  const s = total - tx.pairs - ty.pairs + tiedBoth - 2 * discordant;
  const concordant = s + discordant;
  const tauB = clampUnit(s / rootProduct(total - tx.pairs, total - ty.pairs));

  const m = n * (n - 1);
  const varS =
    (m * (2 * n + 5) - tx.variance - ty.variance) / 18 +
    (2 * tx.pairs * ty.pairs) / m +
    (tx.cubic * ty.cubic) / (9 * m * (n - 2));
  const z = s / Math.sqrt(varS);
  if (!Number.isFinite(z)) return null;

  const method = options.method ?? 'asymptotic';
  let p: number | null;
  if (method === 'exact') {
    const untied = tx.pairs === 0 && ty.pairs === 0;
    p = untied && n <= KENDALL_EXACT_MAX_N ? kendallExactP(discordant, n, options) : null;
  } else {
    p = pFromZ(z, options.alternative);
    if (p === null) return null;
  }
  const ci = n >= 5 ? fisherInterval(tauB, Math.sqrt(0.437 / (n - 4)), options.level) : null;
  return { n, tauB, concordant, discordant, s, varS, z, p, method, ci };
}

/**
 * Exact p-value from the distribution of the number of discordant pairs (inversions) of a random
 * permutation: P_m(k) = (1/m)·Σ_{j<m} P_{m−1}(k − j), accumulated with prefix sums.
 */
function kendallExactP(discordant: number, n: number, options: TestOptions): number {
  const total = (n * (n - 1)) / 2;
  let dist = new Float64Array(total + 1);
  dist[0] = 1;
  for (let m = 2; m <= n; m++) {
    const maxK = (m * (m - 1)) / 2;
    const next = new Float64Array(total + 1);
    let window = 0;
    for (let k = 0; k <= maxK; k++) {
      window += dist[k];
      if (k - m >= 0) window -= dist[k - m];
      next[k] = window / m;
    }
    dist = next;
  }
  const cdf = (k: number): number => {
    let acc = 0;
    for (let i = 0; i <= k; i++) acc += dist[i];
    return Math.min(1, acc);
  };
  const alternative = options.alternative ?? 'two-sided';
  // Few discordant pairs = positive association; the distribution is symmetric in k ↔ total − k.
  if (alternative === 'greater') return cdf(discordant);
  if (alternative === 'less') return cdf(total - discordant);
  return Math.min(1, 2 * cdf(Math.min(discordant, total - discordant)));
}
