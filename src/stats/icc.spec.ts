import { readFileSync } from 'node:fs';
import { iccOneWay, iccTwoWay } from './icc.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;
const sf = ref.shrout_fleiss_1979;
const u = ref.icc_unequal_groups;
const unequal = Object.values(u.groups);

describe('iccOneWay — unequal group sizes (fixture)', () => {
  const result = iccOneWay(unequal)!;

  it('matches MSB, MSW, F, its df and p', () => {
    expectClose(result.msb, u.MSB);
    expectClose(result.msw, u.MSW);
    expectClose(result.f, u.F);
    expect([result.df1, result.df2]).toEqual(u.df);
    expectClose(result.p, u.p);
    expect(result).toMatchObject({ groups: 5, n: 22 });
  });

  it('uses k0 for ICC(1)', () => {
    expectClose(result.k0, u.k0);
    expectClose(result.icc1, u.ICC1_k0);
  });

  it('also reports ICC(1) with the mean group size N/J (as R multilevel::ICC1)', () => {
    expect(result.meanGroupSize).toBe(4.4);
    expectClose(result.icc1MeanGroupSize, u.ICC1_mean_group_size);
  });

  it('matches ICC(2) = 1 − 1/F', () => {
    expectClose(result.icc2, u.ICC2);
    expectClose(result.icc2, 1 - 1 / u.F);
  });

  it('ICC(2) is Spearman–Brown of ICC(1) at k0', () => {
    expectClose(result.icc2, (result.k0 * result.icc1) / (1 + (result.k0 - 1) * result.icc1));
  });

  it('ignores empty groups', () => {
    expect(iccOneWay([...unequal, []])).toEqual(result);
  });
});

describe('iccOneWay — equal group sizes (Shrout & Fleiss 1979, targets as units)', () => {
  const result = iccOneWay(sf.ratings_targets_by_judges)!;

  it('gives ICC(1) = ICC(1,1) and ICC(2) = ICC(1,k)', () => {
    expectClose(result.icc1, sf.ICC_1_1);
    expectClose(result.icc2, sf.ICC_1_k);
  });

  it('has MSB = BMS and MSW = WMS', () => {
    expectClose(result.msb, sf.BMS);
    expectClose(result.msw, sf.WMS);
  });

  it('has k0 = mean group size, so both ICC(1) variants agree', () => {
    expect(result.k0).toBe(4);
    expectClose(result.icc1MeanGroupSize, result.icc1, 1e-15);
  });

  it('matches F = 1.7946785 on (5, 18) df and p = 0.1647688 (STATISTICS.md, 7 digits)', () => {
    expect([result.df1, result.df2]).toEqual([5, 18]);
    expectClose(result.f, 1.7946785, 1e-7);
    expectClose(result.p, 0.1647688, 1e-6);
  });
});

describe('iccOneWay — edge cases', () => {
  it('returns null for fewer than 2 groups', () => {
    expect(iccOneWay([[1, 2, 3]])).toBeNull();
  });

  it('returns null when no group has 2 answers (N ≤ J)', () => {
    expect(iccOneWay([[1], [2], [3]])).toBeNull();
  });

  it('returns null when every answer is the same', () => {
    expect(
      iccOneWay([
        [3, 3],
        [3, 3, 3],
      ]),
    ).toBeNull();
  });

  it('returns null for a NaN or infinite answer', () => {
    expect(
      iccOneWay([
        [1, NaN],
        [2, 3],
      ]),
    ).toBeNull();
    expect(
      iccOneWay([
        [1, 2],
        [Infinity, 3],
      ]),
    ).toBeNull();
  });

  it('reports F = null, p = smallest double and ICCs of 1 when there is no within-unit variance', () => {
    expect(
      iccOneWay([
        [2, 2],
        [4, 4, 4],
      ]),
    ).toMatchObject({
      f: null,
      p: Number.MIN_VALUE,
      icc1: 1,
      icc2: 1,
    });
  });

  it('reports ICC(2) = null and a negative ICC(1) when the unit means are identical', () => {
    const result = iccOneWay([
      [1, 3],
      [2, 2],
      [3, 1],
    ])!;
    expect(result.icc2).toBeNull();
    expect(result.f).toBe(0);
    expect(result.p).toBe(1);
    expect(result.icc1).toBeLessThan(0);
  });

  it('reports negative ICCs when MSB < MSW', () => {
    const result = iccOneWay([
      [1, 5, 3],
      [2, 4, 3.5],
      [1.5, 4.5, 2.5],
    ])!;
    expect(result.icc1).toBeLessThan(0);
    expect(result.icc2!).toBeLessThan(0);
  });
});

describe('iccTwoWay — Shrout & Fleiss (1979) Table 2', () => {
  const result = iccTwoWay(sf.ratings_targets_by_judges)!;

  it('matches the four mean squares', () => {
    expectClose(result.bms, sf.BMS);
    expectClose(result.wms, sf.WMS);
    expectClose(result.jms, sf.JMS);
    expectClose(result.ems, sf.EMS);
  });

  it('matches the six ICCs', () => {
    expectClose(result.icc11, sf.ICC_1_1);
    expectClose(result.icc21, sf.ICC_2_1);
    expectClose(result.icc31, sf.ICC_3_1);
    expectClose(result.icc1k, sf.ICC_1_k);
    expectClose(result.icc2k, sf.ICC_2_k);
    expectClose(result.icc3k, sf.ICC_3_k);
  });

  it('rounds to the published 2-decimal values', () => {
    const published = sf.published_2dp;
    expect(result.icc11!.toFixed(2)).toBe(published.ICC_1_1.toFixed(2));
    expect(result.icc21!.toFixed(2)).toBe(published.ICC_2_1.toFixed(2));
    expect(result.icc31!.toFixed(2)).toBe(published.ICC_3_1.toFixed(2));
    expect(result.icc1k!.toFixed(2)).toBe(published.ICC_1_4.toFixed(2));
    expect(result.icc2k!.toFixed(2)).toBe(published.ICC_2_4.toFixed(2));
    expect(result.icc3k!.toFixed(2)).toBe(published.ICC_3_4.toFixed(2));
  });
});

describe('iccTwoWay — edge cases', () => {
  it('drops targets with a missing rating', () => {
    const withGap = [...sf.ratings_targets_by_judges, [5, null, 3, 4]];
    const result = iccTwoWay(withGap)!;
    expect(result).toMatchObject({ n: 6, k: 4, dropped: 1 });
    expectClose(result.icc21, sf.ICC_2_1);
  });

  it('returns null for fewer than 2 judges or 2 targets', () => {
    expect(iccTwoWay([[1], [2], [3]])).toBeNull();
    expect(iccTwoWay([[1, 2, 3]])).toBeNull();
  });

  it('returns null when the rows differ in length', () => {
    expect(
      iccTwoWay([
        [1, 2],
        [1, 2, 3],
      ]),
    ).toBeNull();
  });

  it('returns null when every rating is identical', () => {
    expect(
      iccTwoWay([
        [2, 2],
        [2, 2],
      ]),
    ).toBeNull();
  });

  it('gives a null ICC where its denominator is 0 (no between-target variance)', () => {
    const result = iccTwoWay([
      [1, 2],
      [1, 2],
      [1, 2],
    ])!;
    expect(result.bms).toBe(0);
    expect(result.icc1k).toBeNull();
    expect(result.icc3k).toBeNull();
  });
});
