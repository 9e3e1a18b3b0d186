import { compareNonOverlappingCorrelations } from './compare.js';
import { pearson, pearsonR } from './correlation.js';
import { standardDeviation } from './descriptive.js';
import { crossLaggedPanel } from './panel.js';
import { partialCorrelation } from './partial.js';
import { linearRegression } from './regression.js';
import { expectClose } from '../../test/helpers/stats-support.js';

/** Twelve units: EX (x) and CX (y) unit means at two waves. */
const panel = {
  x1: [3.1, 3.8, 4.2, 2.9, 3.5, 4.0, 3.3, 3.9, 4.4, 3.0, 3.6, 3.7],
  y1: [3.4, 3.9, 4.1, 3.2, 3.3, 4.2, 3.6, 3.7, 4.3, 3.1, 3.8, 3.5],
  x2: [3.3, 3.7, 4.3, 3.0, 3.4, 4.1, 3.5, 3.8, 4.2, 3.2, 3.9, 3.6],
  y2: [3.5, 4.0, 4.4, 3.1, 3.6, 4.1, 3.4, 4.0, 4.5, 3.0, 3.7, 3.8],
};

/** Standardized coefficient of a in y ~ a + b, by residualizing on b (Frisch–Waugh). */
function standardizedBeta(y: number[], a: number[], b: number[]): number {
  const residual = (v: number[]) => {
    const fit = linearRegression(b, v)!;
    return v.map((value, i) => value - fit.intercept - fit.slope * b[i]);
  };
  const slope = linearRegression(residual(a), residual(y))!.slope;
  return (slope * standardDeviation(a)!) / standardDeviation(y)!;
}

describe('crossLaggedPanel', () => {
  const result = crossLaggedPanel(panel)!;

  it('reports the synchronous correlations r(X1,Y1) and r(X2,Y2)', () => {
    expect(result.synchronous.wave1).toEqual(pearson(panel.x1, panel.y1));
    expect(result.synchronous.wave2).toEqual(pearson(panel.x2, panel.y2));
  });

  it('reports the stabilities r(X1,X2) and r(Y1,Y2)', () => {
    expect(result.stability.x).toEqual(pearson(panel.x1, panel.x2));
    expect(result.stability.y).toEqual(pearson(panel.y1, panel.y2));
  });

  it('reports the cross-lags r(X1,Y2) and r(Y1,X2)', () => {
    expect(result.crossLagged.x1y2).toEqual(pearson(panel.x1, panel.y2));
    expect(result.crossLagged.y1x2).toEqual(pearson(panel.y1, panel.x2));
  });

  it("compares the cross-lags with Steiger's Z (j = X1, k = Y2, h = Y1, m = X2)", () => {
    const r = (a: number[], b: number[]) => pearsonR(a, b)!;
    const expected = compareNonOverlappingCorrelations({
      rJK: r(panel.x1, panel.y2),
      rHM: r(panel.y1, panel.x2),
      rJH: r(panel.x1, panel.y1),
      rJM: r(panel.x1, panel.x2),
      rKH: r(panel.y2, panel.y1),
      rKM: r(panel.y2, panel.x2),
      n: 12,
    });
    expect(result.crossLagged.difference).toEqual(expected);
  });

  it('gives the standardized coefficients of Y2 ~ Y1 + X1 as OLS on the data', () => {
    const y2 = result.regression.y2!;
    expectClose(y2.autoregressive.beta, standardizedBeta(panel.y2, panel.y1, panel.x1));
    expectClose(y2.crossLagged.beta, standardizedBeta(panel.y2, panel.x1, panel.y1));
  });

  it('gives the standardized coefficients of X2 ~ X1 + Y1 as OLS on the data', () => {
    const x2 = result.regression.x2!;
    expectClose(x2.autoregressive.beta, standardizedBeta(panel.x2, panel.x1, panel.y1));
    expectClose(x2.crossLagged.beta, standardizedBeta(panel.x2, panel.y1, panel.x1));
  });

  it('tests each cross-lagged path with the t of the partial correlation (df = n − 3)', () => {
    const y2 = result.regression.y2!.crossLagged;
    const partial = partialCorrelation(panel.y2, panel.x1, panel.y1)!;
    expect(y2.df).toBe(9);
    expectClose(y2.t, partial.t!);
    expectClose(y2.p, partial.p);
  });

  it('carries the alternative and level through to every test', () => {
    const oneSided = crossLaggedPanel(panel, { alternative: 'greater', level: 0.9 })!;
    expect(oneSided.synchronous.wave1).toEqual(
      pearson(panel.x1, panel.y1, { alternative: 'greater', level: 0.9 }),
    );
  });

  it('never puts NaN or Infinity into the result', () => {
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });
});

describe('crossLaggedPanel — edge cases', () => {
  it('returns null for n < 4', () => {
    const short = { x1: [1, 2, 3], y1: [1, 3, 2], x2: [2, 1, 3], y2: [3, 1, 2] };
    expect(crossLaggedPanel(short)).toBeNull();
  });

  it('returns null when the series differ in length', () => {
    expect(crossLaggedPanel({ ...panel, y2: panel.y2.slice(1) })).toBeNull();
  });

  it('returns null for a NaN (pass complete units only)', () => {
    expect(crossLaggedPanel({ ...panel, x2: [NaN, ...panel.x2.slice(1)] })).toBeNull();
  });

  it('returns null when a series is constant', () => {
    expect(crossLaggedPanel({ ...panel, y1: panel.y1.map(() => 4) })).toBeNull();
  });

  it('reports no regressions when X1 and Y1 are perfectly correlated', () => {
    const collinear = crossLaggedPanel({ ...panel, y1: panel.x1.map((v) => 2 * v) })!;
    expect(collinear.regression).toEqual({ y2: null, x2: null });
    expect(collinear.synchronous.wave1.r).toBe(1);
  });

  it('returns null for a confidence level outside (0, 1)', () => {
    expect(crossLaggedPanel(panel, { level: 95 })).toBeNull();
  });
});
