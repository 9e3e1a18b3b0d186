import { readFileSync } from 'node:fs';
import { pearson, pearsonR } from './correlation.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';
import { kishEffectiveN, weightedPearson } from './weighted.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;
const d = ref.weighted_and_partial;

describe('weightedPearson — reference values', () => {
  it('matches the fixture weighted r and Kish n_eff', () => {
    const result = weightedPearson(d.x, d.y, d.w);
    expectClose(result?.r, d.weighted_r);
    expectClose(result?.effectiveN, d.kish_neff);
    expect(result?.n).toBe(6);
  });

  it('differs from the unweighted r of the fixture', () => {
    expectClose(pearsonR(d.x, d.y), d.unweighted_r);
    expect(Math.abs(weightedPearson(d.x, d.y, d.w)!.r - d.unweighted_r)).toBeGreaterThan(1e-3);
  });

  it('equals Pearson r of the replicated data for integer frequency weights', () => {
    const xs = d.x.flatMap((v, i) => Array<number>(d.w[i]).fill(v));
    const ys = d.y.flatMap((v, i) => Array<number>(d.w[i]).fill(v));
    expectClose(weightedPearson(d.x, d.y, d.w)?.r, pearsonR(xs, ys)!, 1e-12);
  });

  it('is unchanged when every weight is scaled', () => {
    expectClose(
      weightedPearson(
        d.x,
        d.y,
        d.w.map((w) => w * 1e-7),
      )?.r,
      d.weighted_r,
    );
  });

  it('equals the unweighted test when all weights are equal', () => {
    const weighted = weightedPearson(d.x, d.y, [1, 1, 1, 1, 1, 1])!;
    const plain = pearson(d.x, d.y)!;
    expectClose(weighted.r, plain.r);
    expect(weighted.df).toBe(plain.df);
    expectClose(weighted.p, plain.p);
  });

  it('tests with effectiveN − 2 (fractional) degrees of freedom', () => {
    expectClose(weightedPearson(d.x, d.y, d.w)?.df, d.kish_neff - 2);
  });
});

describe('weightedPearson — edge cases', () => {
  it('drops units with weight 0', () => {
    const result = weightedPearson([...d.x, 100], [...d.y, -100], [...d.w, 0]);
    expectClose(result?.r, d.weighted_r);
    expect(result?.n).toBe(6);
  });

  it('returns null for a negative weight', () => {
    expect(weightedPearson(d.x, d.y, [1, 1, 1, 1, 1, -1])).toBeNull();
  });

  it('returns null for a non-finite weight or value', () => {
    expect(weightedPearson(d.x, d.y, [1, 1, 1, 1, 1, NaN])).toBeNull();
    expect(weightedPearson([NaN, ...d.x.slice(1)], d.y, d.w)).toBeNull();
  });

  it('returns null for mismatched lengths', () => {
    expect(weightedPearson(d.x, d.y, d.w.slice(1))).toBeNull();
    expect(weightedPearson(d.x, d.y.slice(1), d.w)).toBeNull();
  });

  it('returns null with fewer than 3 positive weights', () => {
    expect(weightedPearson(d.x, d.y, [1, 1, 0, 0, 0, 0])).toBeNull();
  });

  it('returns null when a variable is constant over the weighted units', () => {
    expect(weightedPearson([1, 1, 1, 5], [1, 2, 3, 4], [1, 1, 1, 0])).toBeNull();
  });

  it('reports r but no test when effectiveN ≤ 3', () => {
    const result = weightedPearson([1, 2, 3, 4], [1, 3, 2, 4], [100, 1, 1, 1]);
    expect(result).toMatchObject({ t: null, df: null, p: null });
    expect(result!.effectiveN).toBeLessThan(3);
  });
});

describe('kishEffectiveN', () => {
  it('is n for equal weights', () => {
    expect(kishEffectiveN([2, 2, 2, 2])).toBe(4);
  });

  it('returns null for all-zero, negative or non-finite weights', () => {
    expect(kishEffectiveN([0, 0])).toBeNull();
    expect(kishEffectiveN([1, -1])).toBeNull();
    expect(kishEffectiveN([1, Infinity])).toBeNull();
  });

  it('does not overflow on huge weights', () => {
    expectClose(kishEffectiveN(d.w.map((w) => w * 1e300)), d.kish_neff);
  });
});
