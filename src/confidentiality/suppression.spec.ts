import { filterAllowed, releasableSubtrees, suppressedKeys, UnitForest } from './suppression.js';

const g = (entries: Record<string, number>) =>
  Object.entries(entries).map(([key, n]) => ({ key, n }));

describe('suppressedKeys', () => {
  it('hides nothing when every group reaches k', () => {
    expect([...suppressedKeys(g({ A: 5, B: 9 }), 5)]).toEqual([]);
  });

  it('hides a small group and, since it alone could be recovered from the total, the next smallest', () => {
    expect([...suppressedKeys(g({ Sales: 4, Tech: 9, Ops: 7 }), 5)].sort()).toEqual([
      'Ops',
      'Sales',
    ]);
  });

  it('stops once the hidden groups together reach k', () => {
    expect([...suppressedKeys(g({ A: 2, B: 3, C: 20, D: 30 }), 5)].sort()).toEqual(['A', 'B']);
  });

  it('hides everything when even all groups together stay below k', () => {
    expect([...suppressedKeys(g({ A: 1, B: 2 }), 5)].sort()).toEqual(['A', 'B']);
  });

  it('ignores empty groups and is stable on ties', () => {
    expect([...suppressedKeys(g({ E: 0, A: 4, C: 6, B: 6 }), 5)].sort()).toEqual(['A', 'B']);
  });
});

describe('filterAllowed', () => {
  it('refuses a filter whose complement is below k (Culture Amp: Sales 4, Tech 9)', () => {
    expect(filterAllowed(9, 13, 5)).toBe(false);
    expect(filterAllowed(4, 13, 5)).toBe(false);
    expect(filterAllowed(8, 13, 5)).toBe(true);
  });
});

describe('suppressedKeys with responses already withheld', () => {
  it('hides the smallest visible group until the withheld part reaches k', () => {
    expect([...suppressedKeys(g({ A: 9, B: 6 }), 5, 2)]).toEqual(['B']);
  });

  it('hides nothing more when the withheld part already reaches k', () => {
    expect([...suppressedKeys(g({ A: 9, B: 6 }), 5, 5)]).toEqual([]);
  });
});

describe('filterAllowed with an empty remainder', () => {
  it('allows a filter that is the whole population', () => {
    expect(filterAllowed(13, 13, 5)).toBe(true);
    expect(filterAllowed(4, 4, 5)).toBe(false);
  });
});

describe('releasableSubtrees', () => {
  //   HQ ─┬─ SALES 4
  //       ├─ TECH 9
  //       └─ OPS 7
  const units = [
    { id: 'HQ', code: 'HQ', parentId: null },
    { id: 'SALES', code: 'SALES', parentId: 'HQ' },
    { id: 'TECH', code: 'TECH', parentId: 'HQ' },
    { id: 'OPS', code: 'OPS', parentId: 'HQ' },
  ];
  const forest = new UnitForest(units);
  const own = new Map([
    ['SALES', 4],
    ['TECH', 9],
    ['OPS', 7],
  ]);

  it('allows the root and the visible unit, refuses the complementary-hidden one', () => {
    const plan = releasableSubtrees(forest, own, new Set(['TECH']), 5);
    expect([...plan.allowed].sort()).toEqual(['HQ', 'TECH']);
    // OPS would leave SALES (4) alone in the HQ remainder.
    expect(plan.allowed.has('OPS')).toBe(false);
    expect(plan.residual.get('HQ')).toBe(11);
    expect(plan.residual.get(null)).toBe(0);
  });

  it('keeps to the candidates it is given', () => {
    const plan = releasableSubtrees(forest, own, new Set(['TECH']), 5, new Set(['TECH']));
    expect([...plan.allowed]).toEqual(['TECH']);
  });

  it('refuses a subtree whose hidden part is below k even if its total is not', () => {
    const deep = new UnitForest([...units, { id: 'T1', code: 'T1', parentId: 'TECH' }]);
    const counts = new Map([...own, ['T1', 2]]);
    const plan = releasableSubtrees(deep, counts, new Set(['TECH']), 5);
    // TECH's subtree = 9 visible + 2 hidden: its report would reveal T1 = 11 − 9.
    expect(plan.allowed.has('TECH')).toBe(false);
  });
});

describe('UnitForest', () => {
  it('survives cycles and dangling parents', () => {
    const f = new UnitForest([
      { id: 'a', code: 'a', parentId: 'b' },
      { id: 'b', code: 'b', parentId: 'a' },
      { id: 'c', code: 'c', parentId: 'gone' },
    ]);
    expect(f.selfAndAncestors('a')).toEqual(['a', 'b']);
    expect(f.parentOf('c')).toBeNull();
    expect([...f.subtree('c')]).toEqual(['c']);
  });
});
