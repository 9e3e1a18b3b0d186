import { numericFacts, releaseFamily, safeGroup, type GroupFacts } from './release-gate.js';
import { UnitForest } from './suppression.js';

const K = 5;
// R ─┬─ A ─┬─ A1
//    │     └─ A2
//    └─ B
const forest = new UnitForest([
  { id: 'R', code: 'R', parentId: null },
  { id: 'A', code: 'A', parentId: 'R' },
  { id: 'A1', code: 'A1', parentId: 'A' },
  { id: 'A2', code: 'A2', parentId: 'A' },
  { id: 'B', code: 'B', parentId: 'R' },
]);
const counts = (m: Record<string, number>) =>
  new Map(Object.entries(m).map(([u, n]) => [u, { n } as GroupFacts]));
/** Answers as a list of values; csat (top box from 4). */
const answers = (m: Record<string, number[]>) =>
  new Map(
    Object.entries(m).map(([u, values]) => {
      const byValue = new Map<number, number>();
      for (const v of values) byValue.set(v, (byValue.get(v) ?? 0) + 1);
      return [u, numericFacts(byValue, 4)];
    }),
  );
const sorted = (s: ReadonlySet<string>) => [...s].sort();

describe('safeGroup', () => {
  it('nobody, or at least k of whom at least k differ from the mode and the top box splits', () => {
    expect(safeGroup({ n: 0 }, K)).toBe(true);
    expect(safeGroup({ n: 4 }, K)).toBe(false);
    expect(safeGroup({ n: 5 }, K)).toBe(true);
    const g = (values: number[]) => answers({ x: values }).get('x')!;
    expect(safeGroup(g([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]), K)).toBe(true);
    // 8 answered 5: only 2 differ from the most common answer.
    expect(safeGroup(g([5, 5, 5, 5, 5, 5, 5, 5, 3, 2]), K)).toBe(false);
    // Varied, but everyone in the top box (a top-box share of 1 tells each answer's side).
    expect(safeGroup(g([4, 4, 4, 4, 4, 5, 5, 5, 5, 5]), K)).toBe(false);
  });
});

describe('releaseFamily', () => {
  it('releases the campaign, then groups that leave every atom at 0 or at least k', () => {
    // A1 3, A2 6, B 8: A1 is small; A (9) minus A2 (6) would give A1, so A2 is withheld.
    const family = releaseFamily(forest, counts({ A1: 3, A2: 6, B: 8 }), K);
    expect(family.campaign).toBe(true);
    expect(sorted(family.subtree)).toEqual(['A', 'B', 'R']);
    expect(sorted(family.own)).toEqual(['B']);
  });

  it('never lets a deeper group cut a small remainder out of a released one at another level', () => {
    // Own respondents of A (2) sit beside A1 (6) and A2 (6): releasing A (14) and both children
    // would give A's own 2 by subtraction; one child is withheld instead.
    const family = releaseFamily(forest, counts({ A: 2, A1: 6, A2: 6, B: 5 }), K);
    expect(sorted(family.subtree)).toEqual(['A', 'A1', 'B', 'R']);
    expect(family.subtree.has('A2')).toBe(false);
    expect(family.own.has('A')).toBe(false);
  });

  it('releases nothing below a campaign below k', () => {
    const family = releaseFamily(forest, counts({ A1: 2, B: 2 }), K);
    expect(family.campaign).toBe(false);
    expect(family.subtree.size + family.own.size).toBe(0);
  });

  it('treats a homogeneous group like a small one, and its remainder too', () => {
    const family = releaseFamily(
      forest,
      answers({
        A1: [5, 5, 5, 5, 5, 5, 4], // 7 answers, 1 differs from the mode
        A2: [1, 2, 3, 4, 5, 1, 2, 3, 4, 5],
        B: [1, 2, 3, 4, 5, 1, 2, 3, 4, 5],
      }),
      K,
    );
    expect(family.subtree.has('A1')).toBe(false);
    // A minus A2 would be A1: A2 is withheld, though it is varied.
    expect(family.subtree.has('A2')).toBe(false);
    expect(family.subtree.has('A')).toBe(true);
  });

  it('is limited to the candidates', () => {
    const all = releaseFamily(forest, counts({ A1: 6, A2: 6, B: 8 }), K);
    expect(sorted(all.own)).toEqual(['A1', 'A2', 'B']);
    const limited = releaseFamily(forest, counts({ A1: 6, A2: 6, B: 8 }), K, {
      campaign: true,
      subtree: new Set(['R', 'A']),
      own: new Set(),
    });
    expect(sorted(limited.subtree)).toEqual(['A', 'R']);
    expect(limited.own.size).toBe(0);
  });
});
