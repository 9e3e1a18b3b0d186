import { readFileSync } from 'node:fs';
import {
  bcaInterval,
  bootstrapPearson,
  jackknifeAcceleration,
  mulberry32,
  percentileInterval,
  quantileSorted,
} from './bootstrap.js';
import { pearsonR } from './correlation.js';
import {
  BCA_REFERENCE_URL,
  expectAllClose,
  expectClose,
  REFERENCE_URL,
  type BcaReference,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;
const bca = JSON.parse(readFileSync(BCA_REFERENCE_URL, 'utf8')) as BcaReference;

describe('BCa and percentile intervals — scipy reference (law school, B = 2000)', () => {
  const result = bcaInterval(bca.theta_hat, bca.boot_replicates, bca.jackknife)!;

  it('matches the bias correction z0', () => {
    expectClose(result.z0, bca.expected.z0);
  });

  it('matches the acceleration a', () => {
    expectClose(result.acceleration, bca.expected.a);
    expectClose(jackknifeAcceleration(bca.jackknife), ref.law_school.jackknife_acceleration);
  });

  it('matches the adjusted levels alpha1 and alpha2', () => {
    expectClose(result.alpha1, bca.expected.alpha1);
    expectClose(result.alpha2, bca.expected.alpha2);
  });

  it('matches the BCa bounds', () => {
    expectClose(result.ci.lower, bca.expected.bca_low);
    expectClose(result.ci.upper, bca.expected.bca_high);
  });

  it('matches the percentile bounds (type 7 quantiles)', () => {
    const ci = percentileInterval(bca.boot_replicates)!;
    expectClose(ci.lower, bca.expected.percentile_low);
    expectClose(ci.upper, bca.expected.percentile_high);
  });

  it('reproduces the fixture jackknife and estimate with pearsonR', () => {
    expectClose(pearsonR(bca.x, bca.y), bca.theta_hat);
    const jackknife = bca.x.map((_, i) =>
      pearsonR(
        bca.x.filter((__, j) => j !== i),
        bca.y.filter((__, j) => j !== i),
      )!,
    );
    expectAllClose(jackknife, bca.jackknife);
  });
});

describe('bcaInterval — edge cases', () => {
  it('returns null when every replicate lies above the estimate (z0 = −∞)', () => {
    expect(bcaInterval(0.1, [0.2, 0.3, 0.4], bca.jackknife)).toBeNull();
  });

  it('returns null when every replicate lies below the estimate (z0 = +∞)', () => {
    expect(bcaInterval(0.9, [0.2, 0.3, 0.4], bca.jackknife)).toBeNull();
  });

  it('returns null when the jackknife values are all equal (no acceleration)', () => {
    expect(bcaInterval(0.3, [0.2, 0.3, 0.4], [0.5, 0.5, 0.5])).toBeNull();
  });

  it('returns null for no replicates, a NaN replicate or a level outside (0, 1)', () => {
    expect(bcaInterval(0.3, [], bca.jackknife)).toBeNull();
    expect(bcaInterval(0.3, [0.2, NaN, 0.4], bca.jackknife)).toBeNull();
    expect(bcaInterval(bca.theta_hat, bca.boot_replicates, bca.jackknife, 1)).toBeNull();
  });

  it('jackknifeAcceleration returns null for fewer than 2 values or NaN', () => {
    expect(jackknifeAcceleration([0.5])).toBeNull();
    expect(jackknifeAcceleration([0.5, NaN])).toBeNull();
  });
});

describe('quantileSorted and percentileInterval', () => {
  it('interpolates linearly between order statistics (R type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([10, 20], 0.25)).toBe(12.5);
  });

  it('returns null for no values or p outside [0, 1]', () => {
    expect(quantileSorted([], 0.5)).toBeNull();
    expect(quantileSorted([1], 1.5)).toBeNull();
  });

  it('percentileInterval returns null for no replicates, NaN or a bad level', () => {
    expect(percentileInterval([])).toBeNull();
    expect(percentileInterval([1, NaN])).toBeNull();
    expect(percentileInterval([1, 2], 0)).toBeNull();
  });
});

describe('mulberry32', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const c = mulberry32(124);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(c()).not.toBe(first[0]);
  });

  it('stays in [0, 1)', () => {
    const random = mulberry32(0);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
});

describe('bootstrapPearson', () => {
  const d = ref.law_school;

  it('is reproducible: the same seed gives the same intervals', () => {
    expect(bootstrapPearson(d.x, d.y, { seed: 2024, resamples: 500 })).toEqual(
      bootstrapPearson(d.x, d.y, { seed: 2024, resamples: 500 }),
    );
  });

  it('gives intervals around r close to scipy’s for the law-school data', () => {
    const result = bootstrapPearson(d.x, d.y, { resamples: 10_000, seed: 7 })!;
    expectClose(result.r, d.r);
    expect(result.replicates + result.dropped).toBe(10_000);
    expect(result.bca!.acceleration).toBeCloseTo(d.jackknife_acceleration, 12);
    // Different random draws than scipy's, so only Monte Carlo agreement is expected.
    expect(result.percentile!.lower).toBeCloseTo(bca.expected.percentile_low, 1);
    expect(result.percentile!.upper).toBeCloseTo(bca.expected.percentile_high, 1);
    expect(result.bca!.ci.lower).toBeCloseTo(bca.expected.bca_low, 1);
    expect(result.bca!.ci.upper).toBeCloseTo(bca.expected.bca_high, 1);
  });

  it('drops and counts resamples where r is undefined (few units, integer scale)', () => {
    const result = bootstrapPearson([1, 2, 1, 2], [2, 1, 1, 2.5], { resamples: 500, seed: 3 })!;
    expect(result.dropped).toBeGreaterThan(0);
    expect(result.replicates + result.dropped).toBe(500);
  });

  it('gives no BCa interval when a jackknife estimate is undefined', () => {
    // Leaving out the only 2 in x leaves a constant x.
    const result = bootstrapPearson([1, 1, 1, 2, 1], [1, 2, 3, 4, 2], { resamples: 200 })!;
    expect(result.bca).toBeNull();
  });

  it('returns null when r itself is undefined', () => {
    expect(bootstrapPearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(bootstrapPearson([1, 2], [1, 2])).toBeNull();
    expect(bootstrapPearson([1, 2, NaN], [1, 2, 3])).toBeNull();
    expect(bootstrapPearson([1, 2, 3], [1, 2])).toBeNull();
  });

  it('returns null for invalid options', () => {
    expect(bootstrapPearson(d.x, d.y, { resamples: 0 })).toBeNull();
    expect(bootstrapPearson(d.x, d.y, { resamples: 10.5 })).toBeNull();
    expect(bootstrapPearson(d.x, d.y, { level: 1 })).toBeNull();
  });
});
