/**
 * Ranking with average (mid) ranks for ties, and Spearman's ρ as Pearson's r on those ranks.
 * The shortcut 1 − 6Σd²/(n(n² − 1)) is deliberately not used: it is wrong with ties.
 */
import { correlationT, fisherInterval, pearsonR } from './correlation.js';
import { clampP } from './distributions.js';
import type { Alternative, Interval, TestOptions } from './types.js';
import { allFinite, isLevel, validPairs } from './validate.js';

/** Ranks 1…n, ties sharing the average of the ranks they span; null if a value is not finite. */
export function midRanks(values: readonly number[]): number[] | null {
  if (!allFinite(values)) return null;
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(n);
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]] === values[order[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Sizes of the groups of tied values (only groups of two or more); null if not finite. */
export function tieGroupSizes(values: readonly number[]): number[] | null {
  if (!allFinite(values)) return null;
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].filter((c) => c > 1);
}

export interface SpearmanOptions extends TestOptions {
  /**
   * `asymptotic` (default, as scipy): t = ρ√((n − 2)/(1 − ρ²)) with n − 2 df.
   * `exact`: the permutation distribution of S = Σd², only without ties and for n ≤
   * SPEARMAN_EXACT_MAX_N (or at any n for a perfect monotone relation); p is null otherwise.
   * `auto` (as R's `cor.test(method = "spearman")` by default): exact where `exact` applies, else
   * asymptotic. With ties R, too, falls back to the t approximation (and warns that it "cannot
   * compute exact p-value with ties"); so does `auto`.
   */
  method?: 'asymptotic' | 'exact' | 'auto';
}

export interface SpearmanResult {
  n: number;
  rho: number;
  /** Σd² of the (mid) ranks. */
  sumSquaredRankDifferences: number;
  /** t of the asymptotic test (n − 2 df); null when |ρ| = 1. */
  t: number | null;
  df: number;
  /**
   * p-value for the alternative, in (0, 1]. Null only for `method: 'exact'` when there are ties
   * or n > SPEARMAN_EXACT_MAX_N (and ρ is not ±1), where the exact distribution is not computed.
   */
  p: number | null;
  /** The method the p-value comes from (`auto` resolves to one of the two). */
  method: 'asymptotic' | 'exact';
  /** Fisher-z interval with se = √(1.06/(n − 3)) (Fieller et al. 1957); null when n < 4. */
  ci: Interval | null;
}

/**
 * Largest n for the exact permutation p-value (10! = 3,628,800 permutations, counted by dynamic
 * programming, not visited). R's AS 89 enumerates up to n = 9 and uses an Edgeworth series from
 * n = 10 on, so at n = 10 this p is the exact one where R's is an approximation (they differ in
 * the third decimal at most).
 */
export const SPEARMAN_EXACT_MAX_N = 10;

/**
 * Spearman's rank correlation with average ranks for ties. Null when the lengths differ, n < 3,
 * a value is not finite, or either variable is constant (all ties).
 */
export function spearman(
  x: readonly number[],
  y: readonly number[],
  options: SpearmanOptions = {},
): SpearmanResult | null {
  if (!validPairs(x, y, 3) || !isLevel(options.level)) return null;
  const rx = midRanks(x);
  const ry = midRanks(y);
  if (rx === null || ry === null) return null;
  const rho = pearsonR(rx, ry);
  if (rho === null) return null;
  const n = x.length;
  const test = correlationT(rho, n - 2, options);
  if (test === null) return null;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (rx[i] - ry[i]) ** 2;
  const asked = options.method ?? 'asymptotic';
  let method: SpearmanResult['method'] = 'asymptotic';
  let p: number | null = test.p;
  if (asked !== 'asymptotic') {
    const untied = tieGroupSizes(x)?.length === 0 && tieGroupSizes(y)?.length === 0;
    const exact = untied ? spearmanExactP(d2, n, options.alternative) : null;
    if (exact !== null || asked === 'exact') {
      method = 'exact';
      p = exact;
    }
  }
  const ci = n >= 4 ? fisherInterval(rho, Math.sqrt(1.06 / (n - 3)), options.level) : null;
  return { n, rho, sumSquaredRankDifferences: d2, t: test.t, df: n - 2, p, method, ci };
}

/** Per n, how many of the n! permutations give each S = Σd² (index S), computed once. */
const sDistributions = new Map<number, Float64Array>();

/**
 * The null distribution of S = Σ(i − π(i))² over the n! permutations π of 1…n, by dynamic
 * programming over the set of ranks already placed (2ⁿ subsets × the reachable sums): about
 * 3.4 million additions for n = 10 instead of visiting 3.6 million permutations. Counts stay
 * below 2⁵³, so they are exact.
 */
export function spearmanSDistribution(n: number): Float64Array | null {
  if (!Number.isSafeInteger(n) || n < 1 || n > SPEARMAN_EXACT_MAX_N) return null;
  const cached = sDistributions.get(n);
  if (cached) return cached;
  const maxS = (n * (n * n - 1)) / 3;
  const width = maxS + 1;
  const full = (1 << n) - 1;
  // counts[mask · width + s]: ways to place ranks `mask` at positions 0…popcount(mask) − 1.
  const counts = new Float64Array((full + 1) * width);
  counts[0] = 1;
  const bits = new Uint8Array(full + 1);
  for (let mask = 1; mask <= full; mask++) bits[mask] = bits[mask >> 1] + (mask & 1);
  // Every transition adds a bit, so increasing masks visit each subset after all its subsets.
  for (let mask = 0; mask < full; mask++) {
    const position = bits[mask];
    const from = mask * width;
    let top = -1;
    for (let s = maxS; s >= 0; s--) {
      if (counts[from + s] !== 0) {
        top = s;
        break;
      }
    }
    if (top < 0) continue;
    for (let rank = 0; rank < n; rank++) {
      if (mask & (1 << rank)) continue;
      const step = (position - rank) ** 2;
      const to = (mask | (1 << rank)) * width + step;
      for (let s = 0; s <= top && s + step <= maxS; s++) counts[to + s] += counts[from + s];
    }
  }
  const out = counts.slice(full * width, full * width + width);
  sDistributions.set(n, out);
  return out;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * Exact permutation p-value of S = Σd² for n untied pairs (small S = positive association), as
 * R's `cor.test(method = "spearman", exact = TRUE)`: `greater` is P(S ≤ s), `less` P(S ≥ s), and
 * two-sided twice the tail on the observed side of the mean (n³ − n)/6, capped at 1 (the
 * distribution is symmetric about that mean). Null when n > SPEARMAN_EXACT_MAX_N, except for
 * S = 0 or its maximum (ρ = ±1), which only one of the n! permutations reaches at any n.
 */
export function spearmanExactP(
  sObserved: number,
  n: number,
  alternative: Alternative = 'two-sided',
): number | null {
  if (!Number.isSafeInteger(n) || n < 2 || !Number.isFinite(sObserved)) return null;
  // Without ties S is an even integer; rounding only absorbs floating-point noise.
  const s = Math.round(sObserved);
  const maxS = (n * (n * n - 1)) / 3;
  const mean = maxS / 2;
  let atMost: number; // P(S ≤ s)
  let atLeast: number; // P(S ≥ s)
  const distribution = spearmanSDistribution(n);
  if (distribution) {
    const total = factorial(n);
    let below = 0;
    for (let v = 0; v <= Math.min(s, maxS); v++) below += distribution[v];
    let above = 0;
    for (let v = Math.max(s, 0); v <= maxS; v++) above += distribution[v];
    atMost = below / total;
    atLeast = above / total;
  } else if (s === 0 || s === maxS) {
    const one = 1 / factorial(n);
    atMost = s === 0 ? one : 1;
    atLeast = s === 0 ? 1 : one;
  } else {
    return null;
  }
  const p =
    alternative === 'greater'
      ? atMost
      : alternative === 'less'
        ? atLeast
        : 2 * (s > mean ? atLeast : atMost);
  return clampP(p);
}
