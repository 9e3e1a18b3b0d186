import { readFileSync } from 'node:fs';
import {
  benjaminiHochberg,
  benjaminiYekutieli,
  bonferroni,
  countRejections,
} from './multiple-testing.js';
import {
  expectAllClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;
const bh = ref.benjamini_hochberg_1995;

describe('benjaminiHochberg', () => {
  it('matches the Benjamini & Hochberg (1995) example, m = 15', () => {
    expectAllClose(benjaminiHochberg(bh.p), bh.bh_adjusted);
  });

  it('rejects 4 hypotheses at q = 0.05, as in the paper', () => {
    expect(countRejections(benjaminiHochberg(bh.p), 0.05)).toBe(bh.rejections_q05);
  });

  it('keeps the original order of the input', () => {
    const order = [14, 3, 0, 9, 6, 1, 12, 5, 2, 8, 11, 7, 4, 13, 10];
    const shuffled = order.map((i) => bh.p[i]);
    expectAllClose(
      benjaminiHochberg(shuffled),
      order.map((i) => bh.bh_adjusted[i]),
    );
  });

  it('is monotone in p and capped at 1', () => {
    const adjusted = benjaminiHochberg([0.9, 0.8, 0.95, 0.99]) as number[];
    expect(adjusted.every((q) => q <= 1)).toBe(true);
    expect(benjaminiHochberg([0.04, 0.03, 0.02, 0.01])).toEqual([0.04, 0.04, 0.04, 0.04]);
  });

  it('returns null for NaN, null or out-of-range entries and leaves them out of m', () => {
    const adjusted = benjaminiHochberg([0.01, NaN, 0.02, null, 1.5, -0.1, undefined]);
    expect(adjusted).toEqual([0.02, null, 0.02, null, null, null, null]);
  });

  it('returns an empty array for no tests', () => {
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it('leaves a single p-value unchanged', () => {
    expect(benjaminiHochberg([0.03])).toEqual([0.03]);
  });

  it('gives equal p-values equal adjusted values', () => {
    expect(benjaminiHochberg([0.02, 0.02, 0.02])).toEqual([0.02, 0.02, 0.02]);
  });
});

describe('benjaminiYekutieli', () => {
  it('matches the fixture BY-adjusted values', () => {
    expectAllClose(benjaminiYekutieli(bh.p), bh.by_adjusted);
  });

  it('returns null for invalid entries', () => {
    expect(benjaminiYekutieli([NaN, 0.5])).toEqual([null, 0.5]);
  });
});

describe('bonferroni', () => {
  it('rejects 3 hypotheses at 0.05 in the BH example, as the paper says', () => {
    expect(countRejections(bonferroni(bh.p), 0.05)).toBe(bh.bonferroni_rejections);
  });

  it('multiplies by m and caps at 1', () => {
    expect(bonferroni([0.01, 0.5, null])).toEqual([0.02, 1, null]);
  });
});

describe('countRejections', () => {
  it('ignores null entries', () => {
    expect(countRejections([0.01, null, 0.2], 0.05)).toBe(1);
  });
});
