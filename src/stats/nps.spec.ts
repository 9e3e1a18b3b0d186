import { readFileSync } from 'node:fs';
import { npsFromCounts, npsFromScores } from './nps.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;

describe('npsFromCounts — reference values', () => {
  it.each(
    ref.nps.map((row) => [`${row.promoters}/${row.passives}/${row.detractors}`, row] as const),
  )('matches the fixture for %s', (_, row) => {
    const result = npsFromCounts(row);
    expect(result?.n).toBe(row.promoters + row.passives + row.detractors);
    expectClose(result?.score, row.nps);
    expectClose(result?.se, row.se);
    expectClose(result?.ci.lower, row.wald95[0]);
    expectClose(result?.ci.upper, row.wald95[1]);
  });

  it('uses the population variance (ddof = 0), not 7.4366 for 60/25/15', () => {
    expect(npsFromCounts({ promoters: 60, passives: 25, detractors: 15 })!.se).toBeLessThan(7.43);
  });

  it('reports the shares of the three groups', () => {
    expect(npsFromCounts({ promoters: 50, passives: 30, detractors: 20 })).toMatchObject({
      promoterShare: 0.5,
      passiveShare: 0.3,
      detractorShare: 0.2,
      degenerate: false,
    });
  });
});

describe('npsFromCounts — edge cases', () => {
  it('returns null for n = 0', () => {
    expect(npsFromCounts({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
  });

  it('flags all respondents in one group as degenerate (se = 0, point interval)', () => {
    expect(npsFromCounts({ promoters: 10, passives: 0, detractors: 0 })).toMatchObject({
      score: 100,
      se: 0,
      ci: { lower: 100, upper: 100 },
      degenerate: true,
    });
    expect(npsFromCounts({ promoters: 0, passives: 7, detractors: 0 })).toMatchObject({
      score: 0,
      se: 0,
      degenerate: true,
    });
  });

  it('clamps the interval to [−100, 100]', () => {
    const result = npsFromCounts({ promoters: 9, passives: 0, detractors: 1 })!;
    expect(result.ci.upper).toBe(100);
    expect(result.score + 1.96 * result.se).toBeGreaterThan(100);
  });

  it('returns null for a negative, fractional or non-finite count', () => {
    expect(npsFromCounts({ promoters: -1, passives: 2, detractors: 3 })).toBeNull();
    expect(npsFromCounts({ promoters: 1.5, passives: 2, detractors: 3 })).toBeNull();
    expect(npsFromCounts({ promoters: NaN, passives: 2, detractors: 3 })).toBeNull();
  });

  it('returns null for a confidence level outside (0, 1)', () => {
    expect(npsFromCounts({ promoters: 1, passives: 2, detractors: 3 }, 2)).toBeNull();
  });
});

describe('npsFromScores', () => {
  it('classifies 9–10 as promoters, 7–8 as passives and 0–6 as detractors', () => {
    const result = npsFromScores([10, 9, 8, 7, 6, 0, 9, 10, 5, 8]);
    expect(result).toMatchObject({ promoters: 4, passives: 3, detractors: 3, n: 10 });
    expectClose(result?.score, 10);
  });

  it('gives the same result as the counts', () => {
    const scores = [...Array<number>(3).fill(10), ...Array<number>(4).fill(7), 0, 3, 6];
    expect(npsFromScores(scores)).toEqual(
      npsFromCounts({ promoters: 3, passives: 4, detractors: 3 }),
    );
  });

  it('returns null for no answers', () => {
    expect(npsFromScores([])).toBeNull();
  });

  it('returns null for a score outside 0–10, a fraction or NaN', () => {
    expect(npsFromScores([10, 11])).toBeNull();
    expect(npsFromScores([10, -1])).toBeNull();
    expect(npsFromScores([10, 8.5])).toBeNull();
    expect(npsFromScores([10, NaN])).toBeNull();
  });
});
