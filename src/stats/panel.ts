/**
 * Two-wave cross-lagged panel over units (e.g. EX = X and CX = Y at waves 1 and 2).
 * The cross-lagged correlations are compared with Steiger's Z; because that comparison is biased
 * when the two stabilities differ (Rogosa 1980), the cross-lagged regressions Y2 ~ Y1 + X1 and
 * X2 ~ X1 + Y1 are reported too. Association, not proof of causation.
 */
import { correlationTestOf, pearsonR, type CorrelationTest } from './correlation.js';
import { compareNonOverlappingCorrelations } from './compare.js';
import { standardizedTwoPredictor, type StandardizedCoefficient } from './regression.js';
import type { TestOptions, ZTest } from './types.js';
import { isLevel } from './validate.js';

export interface CrossLaggedPanelInput {
  x1: readonly number[];
  y1: readonly number[];
  x2: readonly number[];
  y2: readonly number[];
}

/** Standardized regression of one wave-2 variable on both wave-1 variables (df = n − 3). */
export interface CrossLaggedRegression {
  /** The outcome's own wave-1 value (stability path). */
  autoregressive: StandardizedCoefficient;
  /** The other variable at wave 1 (the cross-lagged path). */
  crossLagged: StandardizedCoefficient;
  rSquared: number;
}

export interface CrossLaggedPanel {
  n: number;
  synchronous: { wave1: CorrelationTest; wave2: CorrelationTest };
  stability: { x: CorrelationTest; y: CorrelationTest };
  crossLagged: {
    /** r(X1, Y2): X leading Y. */
    x1y2: CorrelationTest;
    /** r(Y1, X2): Y leading X. */
    y1x2: CorrelationTest;
    /** Steiger's Z for r(X1, Y2) − r(Y1, X2); null when undefined (a cross-lag of ±1). */
    difference: ZTest | null;
  };
  regression: {
    /** Y2 ~ Y1 + X1; null when X1 and Y1 are perfectly correlated. */
    y2: CrossLaggedRegression | null;
    /** X2 ~ X1 + Y1; null when X1 and Y1 are perfectly correlated. */
    x2: CrossLaggedRegression | null;
  };
}

/**
 * The six correlations of a two-wave panel with their tests, Steiger's Z for the cross-lags and
 * the cross-lagged standardized regressions. Pass complete units only (see `completeCases`).
 * Null when the series differ in length, n < 4, a value is not finite, or a series is constant.
 */
export function crossLaggedPanel(
  input: CrossLaggedPanelInput,
  options: TestOptions = {},
): CrossLaggedPanel | null {
  const { x1, y1, x2, y2 } = input;
  const n = x1.length;
  if (n < 4 || [y1, x2, y2].some((s) => s.length !== n) || !isLevel(options.level)) return null;
  const correlate = (a: readonly number[], b: readonly number[]): CorrelationTest | null => {
    const r = pearsonR(a, b);
    return r === null ? null : correlationTestOf(r, n, options);
  };
  const wave1 = correlate(x1, y1);
  const wave2 = correlate(x2, y2);
  const stableX = correlate(x1, x2);
  const stableY = correlate(y1, y2);
  const x1y2 = correlate(x1, y2);
  const y1x2 = correlate(y1, x2);
  if (!wave1 || !wave2 || !stableX || !stableY || !x1y2 || !y1x2) return null;
  // j = X1, k = Y2, h = Y1, m = X2: r_jk = r(X1,Y2) against r_hm = r(Y1,X2).
  const difference = compareNonOverlappingCorrelations(
    { rJK: x1y2.r, rHM: y1x2.r, rJH: wave1.r, rJM: stableX.r, rKH: stableY.r, rKM: wave2.r, n },
    { alternative: options.alternative },
  );
  const toPanelRegression = (
    fit: ReturnType<typeof standardizedTwoPredictor>,
  ): CrossLaggedRegression | null =>
    fit && { autoregressive: fit.first, crossLagged: fit.second, rSquared: fit.rSquared };
  return {
    n,
    synchronous: { wave1, wave2 },
    stability: { x: stableX, y: stableY },
    crossLagged: { x1y2, y1x2, difference },
    regression: {
      y2: toPanelRegression(
        standardizedTwoPredictor(
          { rYA: stableY.r, rYB: x1y2.r, rAB: wave1.r, n },
          options.alternative,
        ),
      ),
      x2: toPanelRegression(
        standardizedTwoPredictor(
          { rYA: stableX.r, rYB: y1x2.r, rAB: wave1.r, n },
          options.alternative,
        ),
      ),
    },
  };
}
