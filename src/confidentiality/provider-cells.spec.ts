import {
  exportedProviderUnits,
  mapRollupTotals,
  providerColumn,
  type ReleasedTotals,
} from './provider-cells.js';
import { UnitForest } from './suppression.js';

const K = 5;
const forest = new UnitForest([
  { id: 'root', code: 'R', parentId: null },
  { id: 'g', code: 'G', parentId: 'root' },
  { id: 'g1', code: 'G1', parentId: 'g' },
  { id: 'g2', code: 'G2', parentId: 'g' },
  { id: 'x', code: 'X', parentId: 'root' },
  { id: 'y', code: 'Y', parentId: 'root' },
  { id: 'z', code: 'Z', parentId: 'root' },
]);
const map = (o: Record<string, number>) => new Map(Object.entries(o));
const all = (m: Map<string, number>) => new Set(m.keys());

describe('providerColumn', () => {
  it('shows big cells, hides a small one with its smallest sibling', () => {
    const c = providerColumn(map({ b1: 10, b2: 8, b3: 2 }), K);
    expect(c.totalShown).toBe(true);
    expect(['b1', 'b2', 'b3'].map((r) => c.cellShown(r))).toEqual([true, false, false]);
  });

  it('hides the total and every cell below k; an empty column shows its total', () => {
    const c = providerColumn(map({ b1: 3 }), K);
    expect(c.totalShown).toBe(false);
    expect(c.cellShown('b1')).toBe(false);
    expect(providerColumn(new Map(), K).totalShown).toBe(true);
  });
});

describe('exportedProviderUnits', () => {
  it('exports exactly the cells the map shows when nothing else is released', () => {
    const people = map({ x: 10, y: 3, z: 6, g1: 8 });
    const got = exportedProviderUnits({ forest, people, ownGroups: all(people), totals: [], k: K });
    // y < k, complementary: z (smallest visible) → 9 hidden.
    expect(got).toEqual(new Set(['x', 'g1']));
  });

  it('never exports a unit whose export rows hold other units too, or a hidden provider', () => {
    const people = map({ x: 10, z: 10 });
    const ownGroups = new Set(['x']);
    expect(exportedProviderUnits({ forest, people, ownGroups, totals: [], k: K })).toEqual(
      new Set(['x']),
    );
    const small = map({ x: 3 });
    expect(
      exportedProviderUnits({ forest, people: small, ownGroups: all(small), totals: [], k: K }),
    ).toEqual(new Set());
  });

  it('withdraws cells a rolled-up map cell could be differenced against (issue 7, route 1)', () => {
    // Leaf: G1 4, G2 4, Y 3 hidden (11), Z 6 and X 10 shown. Level 1: G 8 shown, Y 3 + Z 6 hidden.
    // Exporting Z and X next to the released G cell and total would give Y = 27 − 8 − 6 − 10 = 3.
    const people = map({ g1: 4, g2: 4, y: 3, z: 6, x: 10 });
    const rollups = mapRollupTotals(forest, people, K);
    expect(rollups.subtrees).toEqual(new Set(['root', 'g']));
    const got = exportedProviderUnits({
      forest,
      people,
      ownGroups: all(people),
      totals: [rollups],
      k: K,
    });
    expect(got).toEqual(new Set(['x']));
    // Every residual is now 0 or ≥ k: G 8 (all hidden), root residual y + z = 9.
  });

  it('withdraws cells a per-question figure of the report could be differenced against', () => {
    // Pooled: X 10, Z 10 both shown. Question q2 was answered by 3 people of Z and 10 of X; a
    // report filter on Z alone (the subtree Z) is not there, but the campaign figure is: exporting
    // X's q2 answers alone would leave Z's 3.
    const people = map({ x: 10, z: 10 });
    const q2: ReleasedTotals = { counts: map({ x: 10, z: 3 }), subtrees: new Set() };
    const ownGroups = new Set(['x']); // Z's rows are coarsened with others
    expect(exportedProviderUnits({ forest, people, ownGroups, totals: [q2], k: K })).toEqual(
      new Set(),
    );
    // With Z exported too the residual is 0: both stay.
    expect(
      exportedProviderUnits({ forest, people, ownGroups: all(people), totals: [q2], k: K }),
    ).toEqual(new Set(['x', 'z']));
  });

  it('checks each released filter region on its own', () => {
    // Filter G is released for the question: G − G1 = G2's 2 answers unless G1 is withdrawn too.
    const people = map({ g1: 9, g2: 9, x: 9 });
    const q: ReleasedTotals = { counts: map({ g1: 9, g2: 2, x: 9 }), subtrees: new Set(['g']) };
    const got = exportedProviderUnits({
      forest,
      people,
      ownGroups: new Set(['g1', 'x']),
      totals: [q],
      k: K,
    });
    expect(got).toEqual(new Set(['x']));
  });
});
