import { decideDisclosure, type DisclosureInput } from './disclosure-plan.js';
import { UnitForest } from './suppression.js';

const K = 5;
// R ─┬─ A ─┬─ A1 (8)
//    │     └─ A2 (3)
//    └─ B (12)
const forest = new UnitForest([
  { id: 'R', code: 'R', parentId: null },
  { id: 'A', code: 'A', parentId: 'R' },
  { id: 'A1', code: 'A1', parentId: 'A' },
  { id: 'A2', code: 'A2', parentId: 'A' },
  { id: 'B', code: 'B', parentId: 'R' },
]);
/** `n` varied csat answers (1–5 in turn). */
const varied = (n: number, offset = 0) => {
  const byValue = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = 1 + ((i + offset) % 5);
    byValue.set(v, (byValue.get(v) ?? 0) + 1);
  }
  return byValue;
};
const sizes = { A1: 8, A2: 3, B: 12 };
function input(over: Partial<DisclosureInput> = {}): DisclosureInput {
  const responses = new Map(Object.entries(sizes));
  return {
    internal: true,
    released: true,
    forest,
    responses,
    answered: new Map([
      ['sat', responses],
      ['opt', new Map([['B', 12]])],
    ]),
    numeric: new Map([
      ['sat', new Map(Object.entries(sizes).map(([u, n]) => [u, varied(n)]))],
      ['opt', new Map([['B', varied(12, 2)]])],
    ]),
    choice: new Map(),
    types: new Map([
      ['sat', 'csat'],
      ['opt', 'likert'],
    ]),
    headline: 'sat',
    k: K,
    kComments: 10,
    ...over,
  };
}

describe('decideDisclosure', () => {
  it('decides every view from one family per variable', () => {
    const d = decideDisclosure(input());
    // A (11) is released; A1 (8) would leave A2's 3 to subtraction, so only B stands alone.
    expect([...d.filters].sort()).toEqual(['A', 'B', 'R']);
    expect([...d.visibleUnits].sort()).toEqual(['B']);
    expect([...d.headlineUnits].sort()).toEqual(['B']);
    expect(d.questionShown('sat', null)).toBe(true);
    expect(d.questionShown('sat', 'A')).toBe(true);
    expect(d.questionShown('sat', 'A1')).toBe(false);
    expect(d.questionOwnShown('sat', 'B')).toBe(true);
    expect(d.questionOwnShown('sat', 'A1')).toBe(false);
    // opt: only B answered it, so A's figure would be empty and B's is the campaign's.
    expect(d.questionShown('opt', null)).toBe(true);
    expect(d.questionShown('opt', 'B')).toBe(true);
  });

  it('labels export rows by released groups and keeps an answer only where its question releases the label', () => {
    const d = decideDisclosure(input());
    expect(d.exportUnit('B')).toBe('B');
    expect(d.exportUnit('A1')).toBe('A');
    expect(d.exportUnit('A2')).toBe('A');
    expect(d.exportKeeps('sat', 'A1')).toBe(true);
    expect(d.exportKeeps('opt', 'B')).toBe(true);
    // No one in A answered opt: nothing to keep, and A's opt group is not released.
    expect(d.exportKeeps('opt', 'A2')).toBe(false);
  });

  it('releases nothing of an open internal campaign', () => {
    const d = decideDisclosure(input({ released: false }));
    expect(d.released).toBe(false);
    expect(d.filters.size + d.visibleUnits.size + d.headlineUnits.size).toBe(0);
    expect(d.questionShown('sat', null)).toBe(false);
    expect(d.exportUnit('B')).toBeNull();
    expect(d.exportKeeps('sat', 'B')).toBe(false);
  });

  it('releases everything of an external campaign', () => {
    const d = decideDisclosure(input({ internal: false, released: false }));
    expect(d.questionOwnShown('sat', 'A2')).toBe(true);
    expect(d.exportUnit('A2')).toBe('A2');
  });
});
