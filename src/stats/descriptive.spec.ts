import { readFileSync } from 'node:fs';
import {
  completeCases,
  completeRows,
  distribution,
  mean,
  standardDeviation,
  sum,
  variance,
} from './descriptive.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;

describe('sum', () => {
  it('compensates rounding (0.1 ten times is 1)', () => {
    expect(sum(Array<number>(10).fill(0.1))).toBe(1);
  });

  it('keeps small terms next to large ones', () => {
    expect(sum([1e16, 1, -1e16])).toBe(1);
  });

  it('is 0 for no values', () => {
    expect(sum([])).toBe(0);
  });
});

describe('mean', () => {
  it('gives the documented Anscombe means (x̄ = 9)', () => {
    expect(mean(ref.anscombe.I.x)).toBe(9);
    expectClose(mean(ref.anscombe.I.y), 7.500909090909091, 1e-12);
  });

  it('returns null for no values', () => {
    expect(mean([])).toBeNull();
  });

  it('returns null for NaN or ±Infinity', () => {
    expect(mean([1, NaN])).toBeNull();
    expect(mean([1, Infinity])).toBeNull();
  });

  it('is exact for a 1–5 scale shifted far from zero', () => {
    expect(mean([1e9 + 4, 1e9 + 5, 1e9 + 3])).toBe(1e9 + 4);
  });
});

describe('variance and standardDeviation', () => {
  it('gives the documented Anscombe variance of x (11, ddof = 1)', () => {
    expect(variance(ref.anscombe.I.x)).toBe(11);
    expectClose(standardDeviation(ref.anscombe.I.x), Math.sqrt(11), 1e-15);
  });

  it('is 0 for a constant series', () => {
    expect(variance([4.1, 4.1, 4.1])).toBe(0);
  });

  it('keeps its digits far from zero (two-pass, not Σx² − n·x̄²)', () => {
    expectClose(variance([1e9 + 4, 1e9 + 5, 1e9 + 3]), 1, 1e-12);
  });

  it('returns null for n < 2', () => {
    expect(variance([3])).toBeNull();
    expect(standardDeviation([])).toBeNull();
  });

  it('returns null for a non-finite value', () => {
    expect(variance([1, 2, NaN])).toBeNull();
    expect(standardDeviation([1, -Infinity])).toBeNull();
  });

  it('returns null instead of Infinity when the squares overflow', () => {
    expect(variance([-1e200, 1e200])).toBeNull();
  });
});

describe('distribution', () => {
  it('counts answers per scale point, with shares', () => {
    expect(distribution([1, 5, 5, 4, 3, 5], [1, 2, 3, 4, 5])).toEqual({
      categories: [1, 2, 3, 4, 5],
      counts: [1, 0, 1, 1, 3],
      n: 6,
      outside: 0,
      shares: [1 / 6, 0, 1 / 6, 1 / 6, 0.5],
    });
  });

  it('counts values that match no category (including NaN) apart', () => {
    expect(distribution([1, 7, NaN, 2], [1, 2])).toMatchObject({
      counts: [1, 1],
      n: 2,
      outside: 2,
    });
  });

  it('counts −0 as the category 0', () => {
    expect(distribution([-0, 0, 1], [0, 1])?.counts).toEqual([2, 1]);
  });

  it('gives shares = null when no value matched', () => {
    expect(distribution([], [1, 2, 3])).toMatchObject({ n: 0, shares: null });
  });

  it('returns null for duplicate or non-finite categories', () => {
    expect(distribution([1], [1, 1])).toBeNull();
    expect(distribution([1], [1, NaN])).toBeNull();
  });
});

describe('completeCases', () => {
  it('keeps the rows complete in every column and counts the rest', () => {
    expect(
      completeCases([
        [1, null, 3, 4],
        [5, 6, NaN, 8],
      ]),
    ).toEqual({
      columns: [
        [1, 4],
        [5, 8],
      ],
      n: 2,
      dropped: 2,
    });
  });

  it('returns null when the columns differ in length', () => {
    expect(completeCases([[1, 2], [1]])).toBeNull();
  });

  it('handles no columns', () => {
    expect(completeCases([])).toEqual({ columns: [], n: 0, dropped: 0 });
  });
});

describe('completeRows', () => {
  it('drops rows with a missing or non-finite value', () => {
    expect(
      completeRows([
        [1, 2],
        [undefined, 2],
        [3, Infinity],
        [4, 5],
      ]),
    ).toEqual({
      rows: [
        [1, 2],
        [4, 5],
      ],
      width: 2,
      dropped: 2,
    });
  });

  it('returns null when the rows differ in length', () => {
    expect(completeRows([[1, 2], [1]])).toBeNull();
  });
});
