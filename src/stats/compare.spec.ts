import { readFileSync } from 'node:fs';
import {
  compareIndependentCorrelations,
  compareNonOverlappingCorrelations,
  compareOverlappingCorrelations,
} from './compare.js';
import { normalCdf } from './distributions.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;
const c = ref.dependent_nonoverlap_cocor_example;
const cocor = {
  rJK: c.r_jk,
  rHM: c.r_hm,
  rJH: c.r_jh,
  rJM: c.r_jm,
  rKH: c.r_kh,
  rKM: c.r_km,
  n: c.n,
};

describe('compareNonOverlappingCorrelations — reference values', () => {
  it('matches Steiger (1980) z of the cocor example (the default method)', () => {
    const result = compareNonOverlappingCorrelations(cocor);
    expectClose(result?.z, c.steiger1980_z);
    expectClose(result?.p, 2 * normalCdf(-Math.abs(c.steiger1980_z)), 1e-8);
  });

  it('matches Pearson & Filon (1898) z of the cocor example', () => {
    expectClose(
      compareNonOverlappingCorrelations(cocor, { method: 'pearsonFilon1898' })?.z,
      c.pearson1898_z,
    );
  });

  it('matches Dunn & Clark (1969) z of the cocor example', () => {
    expectClose(
      compareNonOverlappingCorrelations(cocor, { method: 'dunnClark1969' })?.z,
      c.dunn1969_z,
    );
  });

  it('matches Raghunathan et al. (1996) z of the cocor example', () => {
    expectClose(
      compareNonOverlappingCorrelations(cocor, { method: 'raghunathan1996' })?.z,
      c.raghunathan1996_z,
    );
  });

  it('matches the cross-lagged worked example of STATISTICS.md 2.12 (n = 134)', () => {
    // j = E1, k = C2, h = C1, m = E2.
    const result = compareNonOverlappingCorrelations({
      rJK: 0.45,
      rHM: 0.3,
      rJH: 0.5,
      rJM: 0.65,
      rKH: 0.7,
      rKM: 0.55,
      n: 134,
    });
    expectClose(result?.z, 1.8429309067);
    expectClose(result?.p, 0.0653390991); // published to 10 decimals
  });

  it('gives one-sided p-values in the direction of the alternative', () => {
    const greater = compareNonOverlappingCorrelations(cocor, { alternative: 'greater' })!;
    const less = compareNonOverlappingCorrelations(cocor, { alternative: 'less' })!;
    expectClose(less.p, normalCdf(c.steiger1980_z), 1e-8);
    expect(greater.p).toBeGreaterThan(0.999);
  });
});

describe('compareNonOverlappingCorrelations — edge cases', () => {
  it('returns null when a compared correlation is ±1 (infinite Fisher z)', () => {
    expect(compareNonOverlappingCorrelations({ ...cocor, rJK: 1 })).toBeNull();
    expect(compareNonOverlappingCorrelations({ ...cocor, rHM: -1 })).toBeNull();
  });

  it('returns null for n ≤ 3 or a non-integer n', () => {
    expect(compareNonOverlappingCorrelations({ ...cocor, n: 3 })).toBeNull();
    expect(compareNonOverlappingCorrelations({ ...cocor, n: 10.5 })).toBeNull();
  });

  it('returns null for a correlation outside [−1, 1] or NaN', () => {
    expect(compareNonOverlappingCorrelations({ ...cocor, rKM: 1.2 })).toBeNull();
    expect(compareNonOverlappingCorrelations({ ...cocor, rJH: NaN })).toBeNull();
  });

  it('returns null for an unknown method', () => {
    expect(
      compareNonOverlappingCorrelations(cocor, { method: 'nope' as 'steiger1980' }),
    ).toBeNull();
  });

  it('gives z = 0 and p = 1 for equal correlations', () => {
    expect(compareNonOverlappingCorrelations({ ...cocor, rHM: c.r_jk })).toEqual({ z: 0, p: 1 });
  });
});

describe('compareOverlappingCorrelations', () => {
  const example = { rJK: 0.2, rJH: 0.5, rKH: 0.1, n: 315 }; // cocor's overlap example

  it('follows Steiger (1980) formula 14 with the pooled r̄', () => {
    const m2 = 0.35 ** 2;
    const cc = (0.1 * (1 - 2 * m2) - 0.5 * m2 * (1 - 2 * m2 - 0.01)) / (1 - m2) ** 2;
    const z = (Math.sqrt(312) * (Math.atanh(0.2) - Math.atanh(0.5))) / Math.sqrt(2 - 2 * cc);
    expectClose(compareOverlappingCorrelations(example)?.z, z, 1e-12);
  });

  it('is antisymmetric in the two compared correlations', () => {
    const swapped = compareOverlappingCorrelations({ ...example, rJK: 0.5, rJH: 0.2 })!;
    expectClose(swapped.z, -compareOverlappingCorrelations(example)!.z, 1e-12);
  });

  it('gives z = 0 for equal correlations', () => {
    expect(compareOverlappingCorrelations({ ...example, rJH: 0.2 })?.z).toBe(0);
  });

  it('returns null when a compared correlation is ±1', () => {
    expect(compareOverlappingCorrelations({ ...example, rJK: 1 })).toBeNull();
  });

  it('returns null when the variance of the difference is 0 (r_kh = 1 and equal r)', () => {
    expect(compareOverlappingCorrelations({ rJK: 0.5, rJH: 0.5, rKH: 1, n: 50 })).toBeNull();
  });

  it('returns null for n ≤ 3 or an invalid r_kh', () => {
    expect(compareOverlappingCorrelations({ ...example, n: 2 })).toBeNull();
    expect(compareOverlappingCorrelations({ ...example, rKH: -1.5 })).toBeNull();
  });
});

describe('compareIndependentCorrelations', () => {
  it('matches the MedCalc manual example (0.86 vs 0.62, n = 42 each: z = 2.5097, p = 0.0121)', () => {
    const result = compareIndependentCorrelations({ r1: 0.86, n1: 42, r2: 0.62, n2: 42 });
    expectClose(result?.z, 2.5097, 1e-4);
    expectClose(result?.p, 0.0121, 1e-2); // published to 4 decimals
  });

  it('follows (atanh r1 − atanh r2)/√(1/(n1 − 3) + 1/(n2 − 3))', () => {
    const z = (Math.atanh(0.4) - Math.atanh(0.6)) / Math.sqrt(1 / 97 + 1 / 147);
    expectClose(compareIndependentCorrelations({ r1: 0.4, n1: 100, r2: 0.6, n2: 150 })?.z, z);
  });

  it('returns null when a correlation is ±1', () => {
    expect(compareIndependentCorrelations({ r1: 1, n1: 42, r2: 0.62, n2: 42 })).toBeNull();
  });

  it('returns null for n ≤ 3 in either sample', () => {
    expect(compareIndependentCorrelations({ r1: 0.5, n1: 3, r2: 0.62, n2: 42 })).toBeNull();
    expect(compareIndependentCorrelations({ r1: 0.5, n1: 30, r2: 0.62, n2: 0 })).toBeNull();
  });

  it('returns null for NaN', () => {
    expect(compareIndependentCorrelations({ r1: NaN, n1: 30, r2: 0.62, n2: 42 })).toBeNull();
  });
});
