import { readFileSync } from 'node:fs';
import {
  midRanks,
  spearman,
  spearmanExactP,
  spearmanSDistribution,
  tieGroupSizes,
} from './rank.js';
import {
  expectAllClose,
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;

describe('midRanks', () => {
  it('gives tied values the average of the ranks they span', () => {
    expectAllClose(
      midRanks(ref.spearman_ties_scipy_docs.y),
      ref.spearman_ties_scipy_docs.ranks_y,
      0,
    );
  });

  it('ranks untied values 1…n whatever the input order', () => {
    expect(midRanks([30, 10, 20])).toEqual([3, 1, 2]);
  });

  it('gives a constant series the middle rank everywhere', () => {
    expect(midRanks([7, 7, 7, 7])).toEqual([2.5, 2.5, 2.5, 2.5]);
  });

  it('returns an empty array for an empty input', () => {
    expect(midRanks([])).toEqual([]);
  });

  it('returns null for a NaN or infinite value', () => {
    expect(midRanks([1, NaN])).toBeNull();
    expect(midRanks([1, -Infinity])).toBeNull();
  });

  it('treats −0 and 0 as one tie', () => {
    expect(midRanks([-0, 0, 1])).toEqual([1.5, 1.5, 3]);
  });
});

describe('tieGroupSizes', () => {
  it('lists only groups of two or more', () => {
    expect(tieGroupSizes([8, 8, 8, 19, 8, 3, 3])!.sort()).toEqual([2, 4]);
  });

  it('returns null for a non-finite value', () => {
    expect(tieGroupSizes([1, NaN])).toBeNull();
  });
});

describe('spearman — reference values', () => {
  it.each(['I', 'II', 'III', 'IV'] as const)('matches scipy on Anscombe set %s', (set) => {
    const d = ref.anscombe[set];
    const result = spearman(d.x, d.y);
    expectClose(result?.rho, d.spearman_rho);
    expectClose(result?.p, d.spearman_p_tapprox);
    expect(result?.df).toBe(d.n - 2);
    expect(result?.method).toBe('asymptotic');
  });

  it('uses mid-ranks with ties (scipy docstring example), not the no-ties shortcut', () => {
    const d = ref.spearman_ties_scipy_docs;
    const result = spearman(d.x, d.y);
    expectClose(result?.rho, d.rho);
    expectClose(result?.p, d.p_tapprox);
    const n = d.x.length;
    const shortcut = 1 - (6 * result!.sumSquaredRankDifferences) / (n * (n * n - 1));
    expectClose(shortcut, d.wrong_no_ties_formula);
    expect(Math.abs(result!.rho - d.wrong_no_ties_formula)).toBeGreaterThan(1e-3);
  });

  it('matches R cor.test on the tuna data, one-sided, t approximation', () => {
    const d = ref.hollander_wolfe_tuna;
    const result = spearman(d.x, d.y, { alternative: 'greater' });
    expectClose(result?.rho, d.spearman_rho);
    expectClose(result?.sumSquaredRankDifferences, d.spearman_S_sum_d2);
    expectClose(result?.p, d.spearman_p_greater_tapprox);
  });

  it('matches R cor.test on the tuna data, one-sided, exact permutation p', () => {
    const d = ref.hollander_wolfe_tuna;
    const result = spearman(d.x, d.y, { alternative: 'greater', method: 'exact' });
    expect(result?.method).toBe('exact');
    expectClose(result?.p, d.spearman_p_greater_exact);
  });

  it('gives an exact two-sided p of twice the smaller tail, capped at 1', () => {
    const d = ref.hollander_wolfe_tuna;
    const result = spearman(d.x, d.y, { method: 'exact' });
    expectClose(result?.p, 2 * d.spearman_p_greater_exact);
    const reversed = spearman(d.x, d.y, { alternative: 'less', method: 'exact' });
    expect(reversed!.p!).toBeGreaterThan(0.9);
  });

  it('computes the exact p-value by enumeration for a tiny case (n = 3)', () => {
    // Of the 6 permutations of 3 ranks only the identity has Σd² = 0.
    expectClose(
      spearman([1, 2, 3], [1, 2, 3], { alternative: 'greater', method: 'exact' })?.p,
      1 / 6,
    );
  });

  it('reports a Fisher interval with the Fieller standard error √(1.06/(n − 3))', () => {
    const d = ref.anscombe.I;
    const result = spearman(d.x, d.y);
    const se = Math.sqrt(1.06 / (d.n - 3));
    expectClose(result?.ci?.lower, Math.tanh(Math.atanh(d.spearman_rho) - 1.959963984540054 * se));
    expectClose(result?.ci?.upper, Math.tanh(Math.atanh(d.spearman_rho) + 1.959963984540054 * se));
  });
});

describe('spearman — edge cases', () => {
  it('returns null for mismatched lengths', () => {
    expect(spearman([1, 2, 3], [1, 2, 3, 4])).toBeNull();
  });

  it('returns null for n < 3', () => {
    expect(spearman([1, 2], [1, 2])).toBeNull();
  });

  it('returns null when a variable is all ties', () => {
    expect(spearman([3, 3, 3, 3], [1, 2, 3, 4])).toBeNull();
  });

  it('returns null for a NaN or infinite input', () => {
    expect(spearman([1, 2, NaN, 4], [1, 2, 3, 4])).toBeNull();
    expect(spearman([1, 2, 3, 4], [1, 2, Infinity, 4])).toBeNull();
  });

  it('has no interval for n = 3', () => {
    expect(spearman([1, 2, 3], [1, 3, 2])?.ci).toBeNull();
  });

  it('reports t = null and p = smallest double for a perfect monotone relation', () => {
    const result = spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 25]);
    expect(result).toMatchObject({ rho: 1, t: null, p: Number.MIN_VALUE });
  });

  it('gives p = null for the exact method with ties (the exact distribution does not apply)', () => {
    const d = ref.spearman_ties_scipy_docs;
    const result = spearman(d.x, d.y, { method: 'exact' });
    expect(result?.p).toBeNull();
    expectClose(result?.rho, d.rho);
  });

  it('gives p = null for the exact method above n = 10 (unless ρ = ±1)', () => {
    const x = Array.from({ length: 11 }, (_, i) => i);
    const y = [0, 2, 1, 3, 5, 4, 6, 8, 7, 9, 10];
    expect(spearman(x, y, { method: 'exact' })?.p).toBeNull();
  });

  it('returns null for a confidence level outside (0, 1)', () => {
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4], { level: 1.5 })).toBeNull();
  });
});

/** Brute force: every permutation of 0…n − 1 visited, its Σd² counted. */
function bruteForceS(n: number): Map<number, number> {
  const out = new Map<number, number>();
  const used = new Array<boolean>(n).fill(false);
  const visit = (position: number, partial: number): void => {
    if (position === n) {
      out.set(partial, (out.get(partial) ?? 0) + 1);
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
  return out;
}

/** Two-sided exact p as R defines it, from a brute-force distribution. */
function bruteForceP(s: number, n: number): number {
  const counts = bruteForceS(n);
  let total = 0;
  let below = 0;
  let above = 0;
  for (const [v, c] of counts) {
    total += c;
    if (v <= s) below += c;
    if (v >= s) above += c;
  }
  const mean = (n * n * n - n) / 6;
  return Math.min(1, (2 * (s > mean ? above : below)) / total);
}

describe('spearman — exact permutation p-value (R cor.test, exact)', () => {
  it.each([
    [3, 1 / 3],
    [4, 1 / 12],
    [5, 1 / 60],
  ])('n = %i, ρ = 1: two-sided p = 2/n! = %d (not "p < 0.001")', (n, expected) => {
    const x = Array.from({ length: n }, (_, i) => i + 1);
    const up = spearman(x, x, { method: 'auto' });
    expect(up?.method).toBe('exact');
    expectClose(up?.p, expected);
    const down = spearman(
      x,
      x.map((v) => -v),
      { method: 'auto' },
    );
    expectClose(down?.p, expected);
    // One-sided: only the identity permutation has S = 0.
    expectClose(spearman(x, x, { method: 'auto', alternative: 'greater' })?.p, expected / 2);
    expectClose(spearman(x, x, { method: 'auto', alternative: 'less' })?.p, 1);
  });

  it('matches brute-force enumeration on a non-extreme case (n = 7)', () => {
    const x = [1, 2, 3, 4, 5, 6, 7];
    const y = [2, 1, 4, 3, 7, 5, 6];
    const result = spearman(x, y, { method: 'auto' });
    expect(result?.sumSquaredRankDifferences).toBe(10);
    expectClose(result?.p, bruteForceP(10, 7));
    // And a negative one, on the upper tail of S.
    const reversed = spearman(x, [...y].reverse(), { method: 'auto' });
    const s = reversed!.sumSquaredRankDifferences;
    expect(s).toBeGreaterThan((7 * 48) / 6);
    expectClose(reversed?.p, bruteForceP(s, 7));
  });

  it.each([3, 4, 5, 6, 7, 8])('counts Σd² like brute force for every S (n = %i)', (n) => {
    const dp = spearmanSDistribution(n)!;
    const brute = bruteForceS(n);
    dp.forEach((count, s) => expect([s, count]).toEqual([s, brute.get(s) ?? 0]));
  });

  it('n = 10: the 10! permutations, symmetric about (n³ − n)/6, 9 with S = 2', () => {
    const dp = spearmanSDistribution(10)!;
    expect(dp.reduce((a, b) => a + b, 0)).toBe(3_628_800);
    expect(dp[0]).toBe(1);
    expect(dp[2]).toBe(9);
    for (let s = 0; s <= 330; s++) expect(dp[s]).toBe(dp[330 - s]);
    expectClose(spearmanExactP(0, 10), 2 / 3_628_800);
    expect(spearman([...Array(10).keys()], [...Array(10).keys()], { method: 'auto' })?.p).toBe(
      2 / 3_628_800,
    );
  });

  it('n = 10 is fast: the distribution is computed once per n and cached', () => {
    spearmanSDistribution(10);
    const t0 = performance.now();
    spearmanExactP(164, 10);
    // Measured: about 11 ms for the first n = 10 distribution, 0.3 ms for a cached call; the
    // bound leaves room for a loaded machine.
    expect(performance.now() - t0).toBeLessThan(50);
    expect(spearmanSDistribution(10)).toBe(spearmanSDistribution(10));
  });

  it('auto uses the t approximation with ties (as R), and above n = 10', () => {
    const d = ref.spearman_ties_scipy_docs;
    const tied = spearman(d.x, d.y, { method: 'auto' });
    expect(tied?.method).toBe('asymptotic');
    expectClose(tied?.p, d.p_tapprox);
    const a = ref.anscombe.I;
    const big = spearman(a.x, a.y, { method: 'auto' });
    expect(big?.method).toBe('asymptotic');
    expectClose(big?.p, a.spearman_p_tapprox);
  });

  it('auto: a perfect monotone relation gets p = 2/n! at any n without ties (n = 12)', () => {
    const x = Array.from({ length: 12 }, (_, i) => i);
    const result = spearman(x, x.map(Math.exp), { method: 'auto' });
    expect(result?.method).toBe('exact');
    expectClose(result?.p, 2 / 479_001_600);
  });

  it('auto matches the tuna reference (n = 9, exact one-sided)', () => {
    const d = ref.hollander_wolfe_tuna;
    expectClose(
      spearman(d.x, d.y, { alternative: 'greater', method: 'auto' })?.p,
      d.spearman_p_greater_exact,
    );
  });

  it('spearmanExactP: null above n = 10 for a non-extreme S, null for a bad n', () => {
    expect(spearmanExactP(100, 11)).toBeNull();
    expect(spearmanExactP(2, 1.5)).toBeNull();
    expect(spearmanSDistribution(11)).toBeNull();
  });
});
