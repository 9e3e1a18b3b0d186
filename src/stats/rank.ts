/**
 * Ranking with average (mid) ranks for ties, and Spearman's ρ as Pearson's r on those ranks.
 * The shortcut 1 − 6Σd²/(n(n² − 1)) is deliberately not used: it is wrong with ties.
 */
import { correlationT, fisherInterval, pearsonR } from './correlation.js';
import type { Interval, TestOptions } from './types.js';
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
   * `exact`: the permutation distribution of Σd², only without ties and for n ≤ 9 (as R).
   */
  method?: 'asymptotic' | 'exact';
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
   * or n > 9, where the exact distribution is not computed.
   */
  p: number | null;
  method: 'asymptotic' | 'exact';
  /** Fisher-z interval with se = √(1.06/(n − 3)) (Fieller et al. 1957); null when n < 4. */
  ci: Interval | null;
}

/** Largest n for the exact permutation p-value (9! = 362,880 permutations). */
export const SPEARMAN_EXACT_MAX_N = 9;

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
  const method = options.method ?? 'asymptotic';
  let p: number | null = test.p;
  if (method === 'exact') {
    const untied = tieGroupSizes(x)?.length === 0 && tieGroupSizes(y)?.length === 0;
    p = untied && n <= SPEARMAN_EXACT_MAX_N ? spearmanExactP(d2, n, options) : null;
  }
  const ci = n >= 4 ? fisherInterval(rho, Math.sqrt(1.06 / (n - 3)), options.level) : null;
  return { n, rho, sumSquaredRankDifferences: d2, t: test.t, df: n - 2, p, method, ci };
}

/** Exact permutation p-value of S = Σd² for n untied pairs (small S = positive association). */
function spearmanExactP(s: number, n: number, options: TestOptions): number {
  let atMost = 0;
  let atLeast = 0;
  let total = 0;
  const used = new Array<boolean>(n).fill(false);
  const visit = (position: number, partial: number): void => {
    if (position === n) {
      total++;
      // Σd² is an even integer here, so a small tolerance only absorbs rounding.
      if (partial <= s + 0.5) atMost++;
      if (partial >= s - 0.5) atLeast++;
      return;
    }
    for (let v = 0; v < n; v++) {
      if (used[v]) continue;
      used[v] = true;
      visit(position + 1, partial + (position - v) ** 2);
      used[v] = false;
    }
  };
  visit(0, 0);
  const alternative = options.alternative ?? 'two-sided';
  if (alternative === 'greater') return atMost / total;
  if (alternative === 'less') return atLeast / total;
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / total);
}
