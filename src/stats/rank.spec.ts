import { readFileSync } from 'node:fs';
import { midRanks, spearman, tieGroupSizes } from './rank.js';
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

  it('gives p = null for the exact method above n = 9', () => {
    const x = Array.from({ length: 10 }, (_, i) => i);
    const y = [0, 2, 1, 3, 5, 4, 6, 8, 7, 9];
    expect(spearman(x, y, { method: 'exact' })?.p).toBeNull();
  });

  it('returns null for a confidence level outside (0, 1)', () => {
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4], { level: 1.5 })).toBeNull();
  });
});
