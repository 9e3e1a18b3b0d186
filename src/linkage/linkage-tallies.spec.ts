import { addValue, answerCount, emptyCounts, scoreOf, type ValueCounts } from './linkage-scores.js';

import {
  overall,
  pairingUnits,
  reportCounts,
  rollUp,
  rollupTargets,
  sideTallies,
  unitContext,
} from './linkage-tallies.js';

function counts(type: string, values: Record<number, number>): ValueCounts {
  const c = emptyCounts();
  for (const [v, n] of Object.entries(values)) addValue(c, type, Number(v), n);
  return c;
}

describe('roll-up', () => {
  const units = [
    { id: 'r', code: 'R', name: 'R', parentId: null },
    { id: 'a', code: 'A', name: 'A', parentId: 'r' },
    { id: 'a1', code: 'A1', name: 'A1', parentId: 'a' },
    { id: 'b', code: 'B', name: 'B', parentId: null },
  ];

  it('maps every unit to its ancestor at the level; shallower units keep their own', () => {
    expect(Object.fromEntries(rollupTargets(units, 0))).toEqual({
      r: 'r',
      a: 'r',
      a1: 'r',
      b: 'b',
    });
    expect(Object.fromEntries(rollupTargets(units, 1))).toEqual({
      r: 'r',
      a: 'a',
      a1: 'a',
      b: 'b',
    });
    expect(Object.fromEntries(rollupTargets(units, null))).toEqual({
      r: 'r',
      a: 'a',
      a1: 'a1',
      b: 'b',
    });
  });

  it('survives a corrupt cycle', () => {
    const cyclic = [
      { id: 'x', code: 'X', name: 'X', parentId: 'y' },
      { id: 'y', code: 'Y', name: 'Y', parentId: 'x' },
    ];
    expect(rollupTargets(cyclic, 0).size).toBe(2);
  });

  it('adds the counts of descendants', () => {
    const per = new Map([
      ['a', counts('csat', { 5: 2 })],
      ['a1', counts('csat', { 1: 2, 5: 1 })],
    ]);
    const rolled = rollUp(per, rollupTargets(units, 0));
    expect([...rolled.keys()]).toEqual(['r']);
    expect(answerCount(rolled.get('r') as ValueCounts)).toBe(5);
    expect(scoreOf(rolled.get('r') as ValueCounts, 'mean')).toBe(3.4);
  });
});

describe('sideTallies', () => {
  const { targets } = unitContext(
    [
      { id: 'r', code: 'R', name: 'R', parentId: null },
      { id: 'a', code: 'A', name: 'A', parentId: 'r' },
      { id: 'b', code: 'B', name: 'B', parentId: 'r' },
    ],
    0,
  );

  it('counts member respondents as answers, rolled up', () => {
    const tallies = sideTallies(
      {
        perspective: 'member',
        rows: [
          { unitId: 'a', type: 'csat', value: 5, count: 2 },
          { unitId: 'b', type: 'csat', value: 3, count: 4 },
          { unitId: 'b', type: 'text', value: 1, count: 9 },
        ],
      },
      targets,
    );
    expect([...tallies.keys()]).toEqual(['r']);
    expect(tallies.get('r')?.n).toBe(6);
    expect(scoreOf(tallies.get('r')!.counts, 'mean')).toBeCloseTo(11 / 3, 12);
  });

  it('counts provider respondents as people, not ratings', () => {
    const tallies = sideTallies(
      {
        perspective: 'provider',
        ratings: [
          { providerUnitId: 'a', type: 'csat', value: 4, count: 6 },
          { providerUnitId: 'a', type: 'ces', value: 7, count: 6 },
        ],
        respondents: [
          { providerGroup: 'r', respondents: 4 },
          { providerGroup: 'r', respondents: 2 },
        ],
      },
      targets,
    );
    expect(tallies.get('r')?.n).toBe(6);
    expect(answerCount(tallies.get('r')!.counts)).toBe(12);
  });

  it('reads member counts from the campaign report, numeric questions only', () => {
    const numeric = new Map([
      ['sat', new Map([['a', new Map([[4, 3]])]])],
      ['comment', new Map([['a', new Map([[1, 3]])]])],
    ]);
    const c = reportCounts(['sat', 'comment'], numeric, new Map([['sat', 'csat']]));
    expect(c).toEqual({
      perspective: 'member',
      rows: [{ unitId: 'a', type: 'csat', value: 4, count: 3 }],
    });
  });
});

describe('overall', () => {
  it('adds every group up; null score without respondents', () => {
    const tallies = new Map([
      ['a', { n: 2, counts: counts('csat', { 5: 2 }) }],
      ['b', { n: 2, counts: counts('csat', { 1: 2 }) }],
    ]);
    expect(overall({ metric: 'mean', pomp: false }, tallies)).toEqual({ n: 4, score: 3 });
    expect(overall({ metric: 'mean', pomp: false }, new Map())).toEqual({ n: 0, score: null });
  });
});

describe('two campaigns, two frozen trees', () => {
  // Internal launched first: C under R1, A named "Old A". External launched after C moved to R2,
  // A was renamed and H created under R2.
  const internal = unitContext(
    [
      { id: 'r1', code: 'R1', name: 'R1', parentId: null },
      { id: 'r2', code: 'R2', name: 'R2', parentId: null },
      { id: 'a', code: 'A', name: 'Old A', parentId: 'r1' },
      { id: 'c', code: 'C', name: 'C', parentId: 'r1' },
    ],
    0,
  );
  const external = unitContext(
    [
      { id: 'r1', code: 'R1', name: 'R1', parentId: null },
      { id: 'r2', code: 'R2', name: 'R2', parentId: null },
      { id: 'a', code: 'A', name: 'New A', parentId: 'r1' },
      { id: 'c', code: 'C', name: 'C', parentId: 'r2' },
      { id: 'h', code: 'H', name: 'H', parentId: 'r2' },
    ],
    0,
  );

  it('rolls each side up by its own tree', () => {
    expect(internal.targets.get('c')).toBe('r1');
    expect(external.targets.get('c')).toBe('r2');
    expect(internal.targets.has('h')).toBe(false);
  });

  it('names groups from the internal tree, and units only the external tree has from it', () => {
    const units = pairingUnits(internal, external);
    expect(units.get('a')?.name).toBe('Old A');
    expect(units.get('h')?.code).toBe('H');
    expect([...units.keys()].sort()).toEqual(['a', 'c', 'h', 'r1', 'r2']);
  });
});
