import { readFileSync } from 'node:fs';
import { pearsonR } from './correlation.js';
import { linearRegression } from './regression.js';
import { partialCorrelation, partialR } from './partial.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;
const d = ref.weighted_and_partial;

function residuals(v: number[], z: number[]): number[] {
  const fit = linearRegression(z, v)!;
  return v.map((value, i) => value - fit.intercept - fit.slope * z[i]);
}

describe('partialCorrelation — reference values', () => {
  it('matches the fixture r, t, df and p controlling for w', () => {
    const result = partialCorrelation(d.x, d.y, d.w);
    expectClose(result?.r, d.partial_r_controlling_w);
    expectClose(result?.t, d.partial_t);
    expect(result?.df).toBe(d.partial_df);
    expectClose(result?.p, d.partial_p);
  });

  it('equals the correlation of the residuals of x ~ z and y ~ z', () => {
    expectClose(
      pearsonR(residuals(d.x, d.w), residuals(d.y, d.w)),
      d.partial_r_controlling_w,
      1e-12,
    );
  });

  it('reports a Fisher interval with se = 1/√(n − 4)', () => {
    const result = partialCorrelation(d.x, d.y, d.w)!;
    const z = Math.atanh(d.partial_r_controlling_w);
    const se = 1 / Math.sqrt(d.x.length - 4);
    expectClose(result.ci?.lower, Math.tanh(z - 1.959963984540054 * se));
    expectClose(result.ci?.upper, Math.tanh(z + 1.959963984540054 * se));
  });

  it('equals the plain correlation when z is uncorrelated with x and y', () => {
    expect(partialR(0.4, 0, 0)).toBe(0.4);
  });
});

describe('partialCorrelation — edge cases', () => {
  it('returns null for n < 4 (df = n − 3 must be ≥ 1)', () => {
    expect(partialCorrelation([1, 2, 3], [1, 3, 2], [2, 1, 3])).toBeNull();
  });

  it('has no interval for n = 4', () => {
    const result = partialCorrelation([1, 2, 3, 4], [1, 3, 2, 5], [2, 1, 4, 3]);
    expect(result?.df).toBe(1);
    expect(result?.ci).toBeNull();
  });

  it('returns null for mismatched lengths', () => {
    expect(partialCorrelation(d.x, d.y, d.w.slice(1))).toBeNull();
  });

  it('returns null when the covariate is constant', () => {
    expect(partialCorrelation(d.x, d.y, [5, 5, 5, 5, 5, 5])).toBeNull();
  });

  it('returns null when the covariate is perfectly correlated with x', () => {
    expect(
      partialCorrelation(
        d.x,
        d.y,
        d.x.map((v) => 2 * v + 1),
      ),
    ).toBeNull();
  });

  it('returns null for a NaN input', () => {
    expect(partialCorrelation(d.x, d.y, [NaN, ...d.w.slice(1)])).toBeNull();
  });

  it('partialR returns null for |r_xz| = 1 or an impossible correlation matrix', () => {
    expect(partialR(0.5, 1, 0.2)).toBeNull();
    expect(partialR(-0.9, 0.9, 0.9)).toBeNull();
    expect(partialR(0.5, 1.5, 0.2)).toBeNull();
  });
});
