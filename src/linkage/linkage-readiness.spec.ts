import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import { addValue, emptyCounts } from './linkage-scores.js';
import type { SideTallies } from './linkage-pairing.js';
import { nextSteps, readiness } from './linkage-readiness.js';
import type { ResolvedSide } from './linkage-sides.js';
import type { GroupTally } from './linkage-tallies.js';

const K = 5;
const side = (audience: 'internal' | 'external', minResponses = K): ResolvedSide => ({
  audience,
  campaign: { id: `c-${audience}`, headline: 'sat' } as CampaignEntity,
  perspective: 'member',
  questionKeys: ['sat'],
  providerOf: new Map(),
  types: ['csat'],
  metric: 'mean',
  scale: { min: 1, max: 5 },
  pomp: false,
  minResponses,
});
const tally = (n: number): GroupTally => {
  const counts = emptyCounts();
  addValue(counts, 'csat', 4, n);
  return { n, counts };
};
const sideOf = (s: ResolvedSide, tallies: Record<string, number>): SideTallies => ({
  side: s,
  tallies: new Map(Object.entries(tallies).map(([id, n]) => [id, tally(n)])),
});
// A root with four branches: the root has no respondents of its own and is not listed.
const ids = ['root', 'a', 'b', 'c', 'd'];
const units = new Map(
  ids.map((id) => [
    id,
    { id, code: id.toUpperCase(), name: `Unit ${id}`, parentId: id === 'root' ? null : 'root' },
  ]),
);
const targets = new Map(ids.map((id) => [id, id]));
const released = (granted: string[]) => ({
  released: true,
  group: (id: string) => granted.includes(id),
});

describe('readiness', () => {
  it('lists every branch with exact external counts and the internal release status only', () => {
    const rows = readiness(
      sideOf(side('internal'), { a: 8, b: 3, c: 6 }),
      sideOf(side('external'), { a: 2, b: 5, d: 7 }),
      { k: K, units, targets: [targets], release: released(['a', 'c']) },
    );
    expect(rows).toEqual([
      {
        unitCode: 'A',
        unitName: 'Unit a',
        internal: { status: 'enough' },
        external: { responses: 2, needed: 5, missing: 3 },
      },
      {
        unitCode: 'B',
        unitName: 'Unit b',
        internal: { status: 'notEnough' },
        external: { responses: 5, needed: 5, missing: 0 },
      },
      {
        unitCode: 'C',
        unitName: 'Unit c',
        internal: { status: 'enough' },
        external: { responses: 0, needed: 5, missing: 5 },
      },
      {
        unitCode: 'D',
        unitName: 'Unit d',
        internal: { status: 'notEnough' },
        external: { responses: 7, needed: 5, missing: 0 },
      },
    ]);
    // No internal count anywhere in a row.
    expect(JSON.stringify(rows)).not.toMatch(/"internal":\{[^}]*\d/);
  });

  it('says "pending" for every unit while the internal campaign is open', () => {
    const rows = readiness(sideOf(side('internal'), { a: 8 }), sideOf(side('external'), { a: 1 }), {
      k: K,
      units,
      targets: [targets],
      release: { released: false, group: () => true },
    });
    expect(rows.map((r) => r.internal.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('needs the internal minimum, never below k, on a released group', () => {
    const rows = readiness(
      sideOf(side('internal', 10), { a: 8 }),
      sideOf(side('external', 2), {}),
      {
        k: K,
        units,
        targets: [targets],
        release: released(['a']),
      },
    );
    expect(rows[0].internal.status).toBe('notEnough');
    expect(rows[0].external).toEqual({ responses: 0, needed: 2, missing: 2 });
  });
});

describe('nextSteps', () => {
  const row = (code: string, status: 'enough' | 'notEnough' | 'pending', missing: number) => ({
    unitCode: code,
    unitName: code,
    internal: { status },
    external: { responses: 5 - missing, needed: 5, missing },
  });

  it('asks for the fewest external answers in units whose internal side is ready', () => {
    const s = nextSteps(
      [
        row('A', 'enough', 3),
        row('B', 'enough', 1),
        row('C', 'notEnough', 1),
        row('D', 'enough', 4),
        row('E', 'enough', 0),
      ],
      1,
    );
    expect(s.closeInternal).toBe(false);
    expect(s.collect.map((c) => [c.unitCode, c.missing])).toEqual([
      ['B', 1],
      ['A', 3],
    ]);
    expect(s.internalShort).toBe(0);
  });

  it('says what is still short on the internal side', () => {
    const s = nextSteps(
      [row('A', 'enough', 3), row('B', 'notEnough', 1), row('C', 'notEnough', 0)],
      0,
    );
    expect(s.collect).toHaveLength(1);
    expect(s.internalShort).toBe(2);
    expect(s.tooFewUnits).toBe(false);
  });

  it('asks for nothing impossible when the level has fewer units than a comparison needs', () => {
    const s = nextSteps([row('A', 'enough', 3), row('B', 'pending', 1)], 0);
    expect(s).toEqual({
      closeInternal: false,
      collect: [],
      internalShort: 0,
      target: 3,
      tooFewUnits: true,
    });
  });

  it('asks to close an open internal campaign', () => {
    const s = nextSteps(
      [
        row('A', 'pending', 2),
        row('B', 'pending', 0),
        row('C', 'pending', 5),
        row('D', 'pending', 1),
      ],
      0,
    );
    expect(s.closeInternal).toBe(true);
    expect(s.collect.map((c) => c.unitCode)).toEqual(['D', 'A', 'C']);
    expect(s.internalShort).toBe(0);
  });
});
