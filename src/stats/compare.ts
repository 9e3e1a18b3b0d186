/**
 * Comparing two correlations: independent samples, and dependent ones measured on the same units
 * (overlapping: r_jk vs r_jh; non-overlapping: r_jk vs r_hm, as the two cross-lags of a panel).
 * Formulas as implemented in R's cocor (Diedenhofen & Musch 2015).
 */
import { pFromZ } from './distributions.js';
import type { Alternative, ZTest } from './types.js';
import { isCorrelation } from './validate.js';

function zTest(z: number, alternative: Alternative): ZTest | null {
  if (!Number.isFinite(z)) return null;
  const p = pFromZ(z, alternative);
  return p === null ? null : { z, p };
}

/** A compared correlation must be strictly inside (−1, 1): atanh(±1) is infinite. */
function isOpenCorrelation(r: number): boolean {
  return isCorrelation(r) && Math.abs(r) < 1;
}

function isSampleSize(n: number): boolean {
  return Number.isSafeInteger(n) && n > 3;
}

export interface IndependentCorrelations {
  r1: number;
  n1: number;
  r2: number;
  n2: number;
}

/**
 * Fisher's z for two correlations from independent samples:
 * Z = (atanh r1 − atanh r2)/√(1/(n1 − 3) + 1/(n2 − 3)). Null when n ≤ 3 or |r| = 1.
 */
export function compareIndependentCorrelations(
  input: IndependentCorrelations,
  alternative: Alternative = 'two-sided',
): ZTest | null {
  const { r1, n1, r2, n2 } = input;
  if (!isOpenCorrelation(r1) || !isOpenCorrelation(r2)) return null;
  if (!isSampleSize(n1) || !isSampleSize(n2)) return null;
  const z = (Math.atanh(r1) - Math.atanh(r2)) / Math.sqrt(1 / (n1 - 3) + 1 / (n2 - 3));
  return zTest(z, alternative);
}

/** r_jk and r_jh share variable j; r_kh is the correlation of the two other variables. */
export interface OverlappingCorrelations {
  rJK: number;
  rJH: number;
  rKH: number;
  n: number;
}

/**
 * Steiger's (1980, formula 14) z for overlapping dependent correlations, with the pooled
 * r̄ = (r_jk + r_jh)/2: c = (r_kh(1 − 2r̄²) − ½r̄²(1 − 2r̄² − r_kh²))/(1 − r̄²)²,
 * Z = √(n − 3)(atanh r_jk − atanh r_jh)/√(2 − 2c). Null for invalid inputs or n ≤ 3.
 */
export function compareOverlappingCorrelations(
  input: OverlappingCorrelations,
  alternative: Alternative = 'two-sided',
): ZTest | null {
  const { rJK, rJH, rKH, n } = input;
  if (!isOpenCorrelation(rJK) || !isOpenCorrelation(rJH) || !isCorrelation(rKH)) return null;
  if (!isSampleSize(n)) return null;
  const m2 = ((rJK + rJH) / 2) ** 2;
  const c = (rKH * (1 - 2 * m2) - 0.5 * m2 * (1 - 2 * m2 - rKH * rKH)) / (1 - m2) ** 2;
  return fisherZDifference(rJK, rJH, c, n, alternative);
}

/** r_jk vs r_hm: four variables j, k, h, m, all measured on the same n units. */
export interface NonOverlappingCorrelations {
  rJK: number;
  rHM: number;
  rJH: number;
  rJM: number;
  rKH: number;
  rKM: number;
  n: number;
}

export type NonOverlappingMethod =
  'steiger1980' | 'pearsonFilon1898' | 'dunnClark1969' | 'raghunathan1996';

/**
 * Tests r_jk = r_hm for non-overlapping dependent correlations. The default is Steiger's (1980,
 * formula 15) z with the pooled r̄ = (r_jk + r_hm)/2:
 * ψ = (r_jh − r̄r_kh)(r_km − r_kh r̄) + (r_jm − r_jh r̄)(r_kh − r̄r_jh)
 *   + (r_jh − r_jm r̄)(r_km − r̄r_jm) + (r_jm − r̄r_km)(r_kh − r_km r̄),
 * c = ψ/(2(1 − r̄²)²), Z = √(n − 3)(atanh r_jk − atanh r_hm)/√(2 − 2c).
 * Null for invalid inputs, n ≤ 3, or a non-positive variance.
 */
export function compareNonOverlappingCorrelations(
  input: NonOverlappingCorrelations,
  options: { method?: NonOverlappingMethod; alternative?: Alternative } = {},
): ZTest | null {
  const { rJK, rHM, rJH, rJM, rKH, rKM, n } = input;
  if (!isOpenCorrelation(rJK) || !isOpenCorrelation(rHM)) return null;
  if (![rJH, rJM, rKH, rKM].every(isCorrelation) || !isSampleSize(n)) return null;
  const alternative = options.alternative ?? 'two-sided';
  switch (options.method ?? 'steiger1980') {
    case 'steiger1980': {
      const m = (rJK + rHM) / 2;
      const psi =
        (rJH - m * rKH) * (rKM - rKH * m) +
        (rJM - rJH * m) * (rKH - m * rJH) +
        (rJH - rJM * m) * (rKM - m * rJM) +
        (rJM - m * rKM) * (rKH - rKM * m);
      const c = psi / (2 * (1 - m * m) ** 2);
      return fisherZDifference(rJK, rHM, c, n, alternative);
    }
    case 'pearsonFilon1898': {
      const k =
        (rJH - rJK * rKH) * (rKM - rKH * rHM) +
        (rJM - rJH * rHM) * (rKH - rJK * rJH) +
        (rJH - rJM * rHM) * (rKM - rJK * rJM) +
        (rJM - rJK * rKM) * (rKH - rKM * rHM);
      const variance = (1 - rJK * rJK) ** 2 + (1 - rHM * rHM) ** 2 - k;
      if (!(variance > 0)) return null;
      return zTest((Math.sqrt(n) * (rJK - rHM)) / Math.sqrt(variance), alternative);
    }
    case 'dunnClark1969':
    case 'raghunathan1996': {
      // Raghunathan et al. (1996) reduce to Dunn & Clark's (1969) z for this design.
      const c =
        (0.5 * rJK * rHM * (rJH ** 2 + rJM ** 2 + rKH ** 2 + rKM ** 2) +
          rJH * rKM +
          rJM * rKH -
          (rJK * rJH * rJM + rJK * rKH * rKM + rJH * rKH * rHM + rJM * rKM * rHM)) /
        ((1 - rJK * rJK) * (1 - rHM * rHM));
      return fisherZDifference(rJK, rHM, c, n, alternative);
    }
    default:
      return null;
  }
}

/** Z = √(n − 3)(atanh r1 − atanh r2)/√(2 − 2c), the shared form of the Fisher-z tests. */
function fisherZDifference(
  r1: number,
  r2: number,
  c: number,
  n: number,
  alternative: Alternative,
): ZTest | null {
  const variance = 2 - 2 * c;
  if (!(variance > 0)) return null;
  return zTest(
    (Math.sqrt(n - 3) * (Math.atanh(r1) - Math.atanh(r2))) / Math.sqrt(variance),
    alternative,
  );
}
