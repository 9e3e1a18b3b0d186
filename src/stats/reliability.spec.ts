import { readFileSync } from 'node:fs';
import { cronbachAlpha, rwg, rwgJ } from './reliability.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;
const small = ref.cronbach_small;
const sf = ref.shrout_fleiss_1979;
const groups = ref.icc_unequal_groups;

describe('cronbachAlpha — reference values', () => {
  it('matches the fixture for 5 respondents × 3 items', () => {
    const result = cronbachAlpha(small.items);
    expectClose(result?.alpha, small.alpha);
    expect(result).toMatchObject({ k: 3, n: 5, dropped: 0 });
  });

  it('equals ICC(3,k) on the Shrout & Fleiss data (judges as items)', () => {
    expectClose(
      cronbachAlpha(sf.ratings_targets_by_judges)?.alpha,
      sf.cronbach_alpha_judges_as_items,
    );
    expectClose(cronbachAlpha(sf.ratings_targets_by_judges)?.alpha, sf.ICC_3_k);
  });
});

describe('cronbachAlpha — edge cases', () => {
  it('drops respondents with a missing answer (listwise) and reports them', () => {
    const withGaps = [...small.items, [5, null, 4], [NaN, 3, 3], [2, 2, undefined]];
    const result = cronbachAlpha(withGaps);
    expect(result).toMatchObject({ n: 5, dropped: 3 });
    expectClose(result?.alpha, small.alpha);
  });

  it('returns null for fewer than 2 items', () => {
    expect(cronbachAlpha([[1], [2], [3]])).toBeNull();
  });

  it('returns null for fewer than 2 complete respondents', () => {
    expect(
      cronbachAlpha([
        [1, 2, 3],
        [null, 2, 3],
      ]),
    ).toBeNull();
  });

  it('returns null when the total score has no variance', () => {
    expect(
      cronbachAlpha([
        [1, 5],
        [2, 4],
        [3, 3],
      ]),
    ).toBeNull();
  });

  it('returns null when the rows differ in length', () => {
    expect(
      cronbachAlpha([
        [1, 2, 3],
        [1, 2],
      ]),
    ).toBeNull();
  });

  it('returns null for no respondents', () => {
    expect(cronbachAlpha([])).toBeNull();
  });

  it('reports a negative alpha as it is', () => {
    const result = cronbachAlpha([
      [1, 3],
      [2, 1],
      [3, 2],
      [1, 2],
      [3, 1],
    ]);
    expect(result!.alpha).toBeLessThan(0);
  });
});

describe('rwg', () => {
  it.each(Object.keys(groups.rwg_5pt) as (keyof typeof groups.rwg_5pt)[])(
    'matches the fixture for group %s on a 5-point scale',
    (name) => {
      expectClose(rwg(groups.groups[name], 5), groups.rwg_5pt[name]);
    },
  );

  it('is 1 for perfect agreement', () => {
    expect(rwg([4, 4, 4], 5)).toBe(1);
  });

  it('is truncated at 0 when the variance exceeds the uniform one', () => {
    expect(rwg([1, 5, 1, 5], 5)).toBe(0);
  });

  it('returns null for a group of 1', () => {
    expect(rwg([4], 5)).toBeNull();
  });

  it('returns null for a scale with fewer than 2 points or a fractional one', () => {
    expect(rwg([1, 2], 1)).toBeNull();
    expect(rwg([1, 2], 4.5)).toBeNull();
  });

  it('returns null for a NaN answer', () => {
    expect(rwg([1, NaN], 5)).toBeNull();
  });
});

describe('rwgJ', () => {
  it('matches the fixture for 5 raters × 3 items on a 5-point scale', () => {
    expectClose(rwgJ(small.items, 5), small.rwgJ_5pt);
  });

  it('is 1 for perfect agreement on every item', () => {
    expect(
      rwgJ(
        [
          [4, 3],
          [4, 3],
          [4, 3],
        ],
        5,
      ),
    ).toBe(1);
  });

  it('is 0 when the mean item variance reaches the uniform one', () => {
    expect(
      rwgJ(
        [
          [1, 1],
          [5, 5],
          [1, 1],
          [5, 5],
        ],
        5,
      ),
    ).toBe(0);
  });

  it('returns null for fewer than 2 complete raters', () => {
    expect(
      rwgJ(
        [
          [4, 3],
          [null, 3],
        ],
        5,
      ),
    ).toBeNull();
  });

  it('returns null for no items or rows of different lengths', () => {
    expect(rwgJ([[], []], 5)).toBeNull();
    expect(rwgJ([[1, 2], [1]], 5)).toBeNull();
  });

  it('returns null for an invalid scale', () => {
    expect(rwgJ(small.items, 0)).toBeNull();
  });
});
