import { readFileSync } from 'node:fs';
import { pearsonR } from './correlation.js';
import { standardDeviation } from './descriptive.js';
import { partialCorrelation } from './partial.js';
import { linearRegression, standardizedTwoPredictor } from './regression.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;

describe('linearRegression', () => {
  it.each(['I', 'II', 'III', 'IV'] as const)(
    'gives slope r·s_y/s_x, R² = r² and the documented ≈0.500 / ≈3.00 on Anscombe %s',
    (set) => {
      const d = ref.anscombe[set];
      const fit = linearRegression(d.x, d.y);
      expectClose(fit?.slope, (d.r * standardDeviation(d.y)!) / standardDeviation(d.x)!);
      expectClose(fit?.rSquared, d.r * d.r);
      expect(fit!.slope).toBeCloseTo(0.5, 3);
      expect(fit!.intercept).toBeCloseTo(3, 2);
      expect(fit?.n).toBe(11);
    },
  );

  it('recovers an exact line', () => {
    expect(linearRegression([1, 2, 3, 4], [3, 5, 7, 9])).toEqual({
      n: 4,
      slope: 2,
      intercept: 1,
      rSquared: 1,
    });
  });

  it('returns null for mismatched lengths', () => {
    expect(linearRegression([1, 2, 3], [1, 2])).toBeNull();
  });

  it('returns null for n < 3', () => {
    expect(linearRegression([1, 2], [1, 2])).toBeNull();
  });

  it('returns null when x has no variation', () => {
    expect(linearRegression([2, 2, 2], [1, 2, 3])).toBeNull();
  });

  it('gives slope 0 and R² = null when y has no variation', () => {
    expect(linearRegression([1, 2, 3], [4, 4, 4])).toEqual({
      n: 3,
      slope: 0,
      intercept: 4,
      rSquared: null,
    });
  });

  it('returns null instead of Infinity when the sums of squares overflow', () => {
    expect(linearRegression([1, 2, 3], [1e200, -1e200, 1e200])).toBeNull();
  });

  it('returns null for a NaN or infinite input', () => {
    expect(linearRegression([1, 2, NaN], [1, 2, 3])).toBeNull();
    expect(linearRegression([1, 2, 3], [1, -Infinity, 3])).toBeNull();
  });
});

/** Unstandardized coefficient of a in y ~ a + b by Frisch–Waugh: residualize on b first. */
function frischWaugh(y: number[], a: number[], b: number[]): number {
  const residual = (v: number[]) => {
    const fit = linearRegression(b, v)!;
    return v.map((value, i) => value - fit.intercept - fit.slope * b[i]);
  };
  return linearRegression(residual(a), residual(y))!.slope;
}

describe('standardizedTwoPredictor', () => {
  const d = ref.weighted_and_partial;
  const correlations = {
    rYA: pearsonR(d.y, d.x)!,
    rYB: pearsonR(d.y, d.w)!,
    rAB: pearsonR(d.x, d.w)!,
    n: d.x.length,
  };

  it('equals OLS on the raw data, standardized (Frisch–Waugh)', () => {
    const fit = standardizedTwoPredictor(correlations)!;
    const sdY = standardDeviation(d.y)!;
    expectClose(fit.first.beta, (frischWaugh(d.y, d.x, d.w) * standardDeviation(d.x)!) / sdY);
    expectClose(fit.second.beta, (frischWaugh(d.y, d.w, d.x) * standardDeviation(d.w)!) / sdY);
  });

  it('has the t and p of the partial correlation (df = n − 3), as a regression coefficient must', () => {
    const fit = standardizedTwoPredictor(correlations)!;
    expect(fit.first.df).toBe(d.partial_df);
    expectClose(fit.first.t, d.partial_t);
    expectClose(fit.first.p, d.partial_p);
    expectClose(fit.first.t, partialCorrelation(d.y, d.x, d.w)!.t!);
  });

  it('gives R² = β_a·r_ya + β_b·r_yb', () => {
    const fit = standardizedTwoPredictor(correlations)!;
    expectClose(
      fit.rSquared,
      fit.first.beta * correlations.rYA + fit.second.beta * correlations.rYB,
    );
  });

  it('reduces to the simple correlation when the predictors are uncorrelated', () => {
    const fit = standardizedTwoPredictor({ rYA: 0.4, rYB: 0.3, rAB: 0, n: 50 })!;
    expectClose(fit.first.beta, 0.4);
    expectClose(fit.second.beta, 0.3);
    expectClose(fit.rSquared, 0.25);
  });

  it('returns null for collinear predictors (|r_ab| = 1)', () => {
    expect(standardizedTwoPredictor({ rYA: 0.5, rYB: 0.5, rAB: 1, n: 20 })).toBeNull();
  });

  it('returns null for n < 4 (no residual degrees of freedom)', () => {
    expect(standardizedTwoPredictor({ rYA: 0.5, rYB: 0.2, rAB: 0.1, n: 3 })).toBeNull();
  });

  it('returns null for correlations that cannot come from one data set (R² > 1)', () => {
    expect(standardizedTwoPredictor({ rYA: 0.9, rYB: -0.9, rAB: 0.9, n: 20 })).toBeNull();
  });

  it('returns null for a value outside [−1, 1] or NaN', () => {
    expect(standardizedTwoPredictor({ rYA: 1.1, rYB: 0.2, rAB: 0.1, n: 20 })).toBeNull();
    expect(standardizedTwoPredictor({ rYA: NaN, rYB: 0.2, rAB: 0.1, n: 20 })).toBeNull();
  });

  it('reports se = 0, t = null and p = smallest double for a perfect fit', () => {
    const fit = standardizedTwoPredictor({ rYA: 0.6, rYB: 0.8, rAB: 0, n: 20 })!;
    expect(fit.rSquared).toBeCloseTo(1, 12);
    expect(fit.first).toMatchObject({ se: 0, t: null, p: Number.MIN_VALUE });
  });
});
