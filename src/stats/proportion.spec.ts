import { readFileSync } from 'node:fs';
import { proportion, topBoxShare, wilsonInterval } from './proportion.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;
const cases = Object.entries(ref.wilson95).filter((entry): entry is [string, [number, number]] =>
  Array.isArray(entry[1]),
);

describe('wilsonInterval — reference values', () => {
  it('covers every fixture case', () => {
    expect(cases.map(([key]) => key)).toEqual([
      '81/263',
      '15/148',
      '0/20',
      '1/29',
      '29/29',
      '4/5',
      '14/20',
      '170/200',
    ]);
  });

  it.each(cases)('matches Newcombe (1998) / the fixture for %s', (key, [lower, upper]) => {
    const [x, n] = key.split('/').map(Number);
    const ci = wilsonInterval(x, n);
    expectClose(ci?.lower, lower);
    expectClose(ci?.upper, upper);
  });
});

describe('wilsonInterval — edge cases', () => {
  it('gives exactly 0 as the lower bound at x = 0', () => {
    expect(wilsonInterval(0, 20)?.lower).toBe(0);
  });

  it('gives exactly 1 as the upper bound at x = n', () => {
    expect(wilsonInterval(29, 29)?.upper).toBe(1);
  });

  it('returns null for n = 0', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('returns null for x > n, a negative or fractional count, or NaN', () => {
    expect(wilsonInterval(5, 4)).toBeNull();
    expect(wilsonInterval(-1, 4)).toBeNull();
    expect(wilsonInterval(1.5, 4)).toBeNull();
    expect(wilsonInterval(NaN, 4)).toBeNull();
  });

  it('returns null for a confidence level outside (0, 1)', () => {
    expect(wilsonInterval(1, 4, 1)).toBeNull();
  });
});

describe('proportion and topBoxShare', () => {
  it('reports the share with its Wilson interval', () => {
    const result = proportion(14, 20)!;
    expect(result.share).toBe(0.7);
    expectClose(result.ci.lower, (ref.wilson95['14/20'] as [number, number])[0]);
  });

  it('counts top-2-box answers (≥ 4 on a 1–5 scale)', () => {
    const answers = [5, 4, 4, 3, 2, 5, 1, 4, 5, 3];
    expect(topBoxShare(answers, 4)).toEqual(proportion(6, 10));
  });

  it('returns null for no answers', () => {
    expect(topBoxShare([], 4)).toBeNull();
  });

  it('returns null for a NaN answer or threshold', () => {
    expect(topBoxShare([5, NaN], 4)).toBeNull();
    expect(topBoxShare([5, 4], NaN)).toBeNull();
  });
});
