import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { Disclosure } from '../confidentiality/disclosure-plan.js';
import { addValue, emptyCounts } from './linkage-scores.js';
import { pairUnits, pairedScores, releasePredicate, type SideTallies } from './linkage-pairing.js';
import type { ResolvedSide } from './linkage-sides.js';
import type { GroupTally } from './linkage-tallies.js';

const K = 5;
const side = (
  audience: 'internal' | 'external',
  over: Partial<ResolvedSide> = {},
): ResolvedSide => ({
  audience,
  campaign: { id: `c-${audience}`, headline: 'sat' } as CampaignEntity,
  perspective: 'member',
  questionKeys: ['sat'],
  providerOf: new Map(),
  types: ['csat'],
  metric: 'mean',
  scale: { min: 1, max: 5 },
  pomp: false,
  minResponses: K,
  ...over,
});
/** `n` respondents who all answered `value`. */
const tally = (n: number, value: number): GroupTally => {
  const counts = emptyCounts();
  addValue(counts, 'csat', value, n);
  return { n, counts };
};
const sideOf = (s: ResolvedSide, tallies: Record<string, GroupTally>): SideTallies => ({
  side: s,
  tallies: new Map(Object.entries(tallies)),
});
const units = new Map(
  ['a', 'b', 'c', 'd'].map((id) => [
    id,
    { id, code: id.toUpperCase(), name: `Unit ${id}`, parentId: null },
  ]),
);
const rules = { k: K, units, lang: 'en' as const };

describe('pairUnits', () => {
  it('keeps units with enough respondents on both sides, sorted by code', () => {
    const p = pairUnits(
      sideOf(side('internal'), { b: tally(6, 4), a: tally(8, 3) }),
      sideOf(side('external'), { a: tally(10, 5), b: tally(7, 2) }),
      rules,
    );
    expect(p.ids).toEqual(['a', 'b']);
    expect(p.units[0]).toEqual({
      unitCode: 'A',
      unitName: 'Unit a',
      internal: { n: 8, score: 3 },
      external: { n: 10, score: 5 },
    });
    expect(pairedScores(p)).toEqual([
      { x: 3, y: 5, nx: 8, ny: 10 },
      { x: 4, y: 2, nx: 6, ny: 7 },
    ]);
  });

  it('gives each left-out unit its reasons', () => {
    const p = pairUnits(
      sideOf(side('internal'), {
        b: tally(20, 4),
        c: tally(20, 4),
        d: tally(20, 4),
      }),
      sideOf(side('external', { minResponses: 8 }), {
        a: tally(9, 4),
        b: tally(2, 4),
        d: tally(9, 4),
      }),
      rules,
    );
    expect(p.excluded).toEqual([
      { unitCode: 'A', unitName: 'Unit a', reason: 'no internal responses' },
      { unitCode: 'B', unitName: 'Unit b', reason: 'external n=2 < 8' },
      { unitCode: 'C', unitName: 'Unit c', reason: 'no external responses' },
    ]);
    expect(p.ids).toEqual(['d']);
  });

  it('hides internal groups below k, with the one neutral reason', () => {
    const p = pairUnits(
      sideOf(side('internal'), { a: tally(3, 4), b: tally(6, 4), c: tally(30, 4) }),
      sideOf(side('external'), { a: tally(9, 4), b: tally(9, 4), c: tally(9, 4) }),
      { ...rules, lang: 'it' },
    );
    expect(p.excluded.map((x) => x.reason)).toEqual(['nascosto per tutelare la riservatezza']);
    expect(p.ids).toEqual(['b', 'c']);
  });

  it('leaves out groups the disclosure plan does not release', () => {
    const p = pairUnits(
      sideOf(side('internal'), { a: tally(10, 4), b: tally(10, 4), c: tally(10, 4) }),
      sideOf(side('external'), { a: tally(9, 4), b: tally(9, 4), c: tally(9, 4) }),
      { ...rules, release: { released: true, group: (id) => id !== 'b' } },
    );
    expect(p.ids).toEqual(['a', 'c']);
    expect(p.excluded[0].unitCode).toBe('B');
  });

  it('lists no internal group while the internal campaign is open', () => {
    const p = pairUnits(
      sideOf(side('internal'), { a: tally(10, 4), b: tally(10, 4) }),
      sideOf(side('external'), { a: tally(9, 4) }),
      { ...rules, release: { released: false, group: () => false } },
    );
    // b has internal answers only: listing it would tell that someone there answered.
    expect(p.excluded).toEqual([
      {
        unitCode: 'A',
        unitName: 'Unit a',
        reason: 'internal results are released when the campaign closes',
      },
    ]);
    expect(p.ids).toEqual([]);
  });
});

describe('releasePredicate', () => {
  const disclosure = {
    released: true,
    questionShown: (key: string, unitId: string | null) =>
      (key === 'sat' && unitId === 'r') || (key === 'p1' && unitId === null),
    questionOwnShown: (key: string, unitId: string) =>
      (key === 'sat' && unitId === 'a') || (key === 'q2' && unitId === 'b'),
  } as unknown as Disclosure;
  const targets = new Map([
    ['a', 'r'],
    ['r', 'r'],
    ['b', 'b'],
  ]);

  it('asks the question family: own groups for units, subtrees for rolled-up groups', () => {
    const headline = releasePredicate(side('internal'), targets, disclosure)!.group;
    expect(['a', 'b', 'r'].map(headline)).toEqual([true, false, true]);
    const other = releasePredicate(
      side('internal', { questionKeys: ['q2'] }),
      targets,
      disclosure,
    )!.group;
    expect(['a', 'b', 'r'].map(other)).toEqual([false, true, false]);
  });

  it('provider groups: released only when every pooled question is released campaign-wide', () => {
    const provider = releasePredicate(
      side('internal', {
        perspective: 'provider',
        questionKeys: ['p1', 'p2'],
        providerOf: new Map([
          ['p1', 'b'],
          ['p2', 'a'],
        ]),
      }),
      targets,
      disclosure,
    )!.group;
    // p1 (provider b) is released campaign-wide; p2 (provider a, rolled up into r) is not.
    expect(['b', 'r'].map(provider)).toEqual([true, false]);
  });

  it('does not apply to the external side', () => {
    expect(releasePredicate(side('external'), targets, disclosure)).toBeUndefined();
  });
});
