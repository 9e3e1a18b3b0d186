import { filterAllowed, suppressedKeys } from './confidentiality.js';

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
