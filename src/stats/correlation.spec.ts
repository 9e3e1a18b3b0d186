import { readFileSync } from 'node:fs';
import {
  correlationT,
  correlationTestOf,
  fisherInterval,
  fisherSe,
  pearson,
  pearsonR,
} from './correlation.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;

describe('pearson — reference values', () => {
  it.each(['I', 'II', 'III', 'IV'] as const)('matches scipy on Anscombe set %s', (set) => {
    const d = ref.anscombe[set];
    const result = pearson(d.x, d.y);
    expect(result).not.toBeNull();
    expect(result?.n).toBe(d.n);
    expect(result?.df).toBe(d.df);
    expectClose(result?.r, d.r);
    expectClose(result?.t, d.t);
    expectClose(result?.p, d.p_two_sided);
    expectClose(result?.ci?.lower, d.fisher95[0]);
    expectClose(result?.ci?.upper, d.fisher95[1]);
  });

  it('matches R cor.test on the Hollander & Wolfe tuna data', () => {
    const d = ref.hollander_wolfe_tuna;
    const result = pearson(d.x, d.y);
    expect(result?.df).toBe(d.pearson.df);
    expectClose(result?.r, d.pearson.r);
    expectClose(result?.t, d.pearson.t);
    expectClose(result?.p, d.pearson.p_two_sided);
    expectClose(result?.ci?.lower, d.pearson.fisher95[0]);
    expectClose(result?.ci?.upper, d.pearson.fisher95[1]);
  });

  it('matches the @stdlib pcorrtest README example', () => {
    const d = ref.stdlib_pcorrtest_docs;
    const result = pearson(d.x, d.y);
    expectClose(result?.r, d.r);
    expectClose(result?.t, d.t);
    expectClose(result?.p, d.p);
    expectClose(result?.ci?.lower, d.fisher95[0]);
    expectClose(result?.ci?.upper, d.fisher95[1]);
  });

  it('matches the law-school data (Efron & Tibshirani)', () => {
    const d = ref.law_school;
    const result = pearson(d.x, d.y);
    expect(result?.n).toBe(d.n);
    expect(result?.df).toBe(d.df);
    expectClose(result?.r, d.r);
    expectClose(result?.t, d.t);
    expectClose(result?.p, d.p_two_sided);
    expectClose(result?.ci?.lower, d.fisher95[0]);
    expectClose(result?.ci?.upper, d.fisher95[1]);
  });

  it('gives the one-sided p as half the two-sided one in the observed direction', () => {
    const d = ref.law_school;
    expectClose(pearson(d.x, d.y, { alternative: 'greater' })?.p, d.p_two_sided / 2);
    expectClose(pearson(d.x, d.y, { alternative: 'less' })?.p, 1 - d.p_two_sided / 2);
  });

  it('widens the interval for a higher confidence level', () => {
    const d = ref.law_school;
    const ci95 = pearson(d.x, d.y)?.ci;
    const ci99 = pearson(d.x, d.y, { level: 0.99 })?.ci;
    expect(ci99!.lower).toBeLessThan(ci95!.lower);
    expect(ci99!.upper).toBeGreaterThan(ci95!.upper);
  });
});

describe('pearson — numerical care', () => {
  it('keeps its digits on a 1–5 scale shifted far from zero (no one-pass formula)', () => {
    const x = [4, 5, 4, 3, 5, 4, 4, 5];
    const y = [3, 5, 4, 3, 4, 4, 5, 5];
    const shift = 1e9;
    expectClose(
      pearsonR(
        x.map((v) => v + shift),
        y.map((v) => v + shift),
      ),
      pearsonR(x, y)!,
      1e-12,
    );
  });

  it('is unchanged by rescaling huge or tiny values (no overflow or underflow)', () => {
    const d = ref.anscombe.I;
    expectClose(
      pearsonR(
        d.x.map((v) => v * 1e200),
        d.y,
      ),
      d.r,
    );
    expectClose(
      pearsonR(
        d.x.map((v) => v * 1e-200),
        d.y,
      ),
      d.r,
    );
  });

  it('clamps a perfect correlation to exactly ±1', () => {
    const x = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    expect(
      Math.abs(
        pearsonR(
          x,
          x.map((v) => 3 * v + 0.7),
        )!,
      ),
    ).toBeLessThanOrEqual(1);
    expect(
      pearsonR(
        x,
        x.map((v) => -v),
      ),
    ).toBe(-1);
  });
});

describe('pearson — edge cases', () => {
  it('returns null for mismatched lengths', () => {
    expect(pearson([1, 2, 3], [1, 2])).toBeNull();
  });

  it('returns null for n < 3 (n = 2 is always ±1 and cannot be tested)', () => {
    expect(pearson([1, 2], [2, 1])).toBeNull();
    expect(pearson([], [])).toBeNull();
  });

  it('returns null when x has no variation (never 0)', () => {
    expect(pearson([4, 4, 4, 4], [1, 2, 3, 5])).toBeNull();
  });

  it('returns null when y has no variation', () => {
    expect(pearson([1, 2, 3, 5], [4.1, 4.1, 4.1, 4.1])).toBeNull();
  });

  it('returns null for a NaN input', () => {
    expect(pearson([1, NaN, 3, 4], [1, 2, 3, 4])).toBeNull();
  });

  it('returns null for an infinite input', () => {
    expect(pearson([1, 2, 3, 4], [1, Infinity, 3, 4])).toBeNull();
  });

  it('reports r, t and p but no interval for n = 3 (Fisher needs n ≥ 4)', () => {
    const result = pearson([1, 2, 3], [1, 3, 2]);
    expect(result).toMatchObject({ n: 3, r: 0.5, df: 1, ci: null });
    expectClose(result?.t, 0.5 * Math.sqrt(1 / 0.75));
  });

  it('reports t = null, p = smallest double and a point interval for |r| = 1', () => {
    const result = pearson([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(result).toMatchObject({
      r: 1,
      t: null,
      p: Number.MIN_VALUE,
      ci: { lower: 1, upper: 1 },
    });
  });

  it('returns null for a confidence level outside (0, 1)', () => {
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4], { level: 1 })).toBeNull();
    expect(pearson([1, 2, 3], [1, 3, 2], { level: 0 })).toBeNull();
  });

  it('never puts NaN or Infinity into a result', () => {
    const result = pearson([1, 2, 3, 4, 5], [5, 4, 3, 1, 2]);
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity|null/);
  });
});

describe('correlation building blocks', () => {
  it('correlationT returns null for df < 1 or r outside [−1, 1]', () => {
    expect(correlationT(0.5, 0)).toBeNull();
    expect(correlationT(1.2, 5)).toBeNull();
    expect(correlationT(NaN, 5)).toBeNull();
  });

  it('correlationT gives t = 0 and p = 1 for r = 0', () => {
    expect(correlationT(0, 10)).toEqual({ t: 0, p: 1 });
  });

  it('fisherSe needs n ≥ 4 (n − 3 − covariates ≥ 1)', () => {
    expect(fisherSe(3)).toBeNull();
    expect(fisherSe(4)).toBe(1);
    expect(fisherSe(4, 1)).toBeNull();
  });

  it('fisherInterval returns null for a non-positive standard error', () => {
    expect(fisherInterval(0.3, 0)).toBeNull();
    expect(fisherInterval(0.3, NaN)).toBeNull();
  });

  it('correlationTestOf rebuilds the same test from r and n', () => {
    const d = ref.anscombe.II;
    expect(correlationTestOf(pearsonR(d.x, d.y)!, d.n)).toEqual(pearson(d.x, d.y));
  });

  it('correlationTestOf returns null for a non-integer or too small n', () => {
    expect(correlationTestOf(0.5, 2)).toBeNull();
    expect(correlationTestOf(0.5, 10.5)).toBeNull();
  });
});
