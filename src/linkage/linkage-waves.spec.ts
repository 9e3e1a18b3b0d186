import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import { addValue, emptyCounts } from './linkage-scores.js';
import type { Pairing, SideTallies } from './linkage-pairing.js';
import type { ResolvedSide } from './linkage-sides.js';
import {
  campaignPerWave,
  crossLaggedPanelJson,
  trendPoint,
  waveLabels,
  wavePair,
} from './linkage-waves.js';

const campaign = (id: string, wave: string, createdAt: string, name = `Campaign ${id}`) =>
  ({ id, wave, createdAt, name }) as CampaignEntity;
const sideOf = (id: string, tallies: Record<string, [number, number]> = {}): SideTallies => ({
  side: {
    campaign: { id } as CampaignEntity,
    perspective: 'member',
    metric: 'mean',
    pomp: false,
  } as ResolvedSide,
  tallies: new Map(
    Object.entries(tallies).map(([unit, [n, value]]) => {
      const counts = emptyCounts();
      addValue(counts, 'csat', value, n);
      return [unit, { n, counts }];
    }),
  ),
});
/** A pairing of units (id = code) with their internal and external scores. */
const pairing = (rows: Array<[string, number, number]>): Pairing => ({
  ids: rows.map(([id]) => id),
  units: rows.map(([id, x, y]) => ({
    unitCode: id,
    unitName: id,
    internal: { n: 10, score: x },
    external: { n: 10, score: y },
  })),
  excluded: [],
});

describe('campaignPerWave', () => {
  it('keeps the most recently created campaign of a wave and lists the others as skipped', () => {
    const series = campaignPerWave(
      [
        campaign('a', '2026-Q1', '2026-01-01'),
        campaign('b', '2026-Q1', '2026-02-01'),
        campaign('c', '2026-Q2', '2026-03-01', 'Other'),
      ],
      undefined,
    );
    expect(series.get('2026-Q1')?.listed).toEqual({
      id: 'b',
      name: 'Campaign b',
      wave: '2026-Q1',
      skipped: [{ id: 'a', name: 'Campaign a', wave: '2026-Q1' }],
    });
    expect([...campaignPerWave([campaign('c', '2026-Q2', 'x', 'Other')], 'Camp').keys()]).toEqual(
      [],
    );
  });

  it('lists the union of wave labels in ascending order', () => {
    expect(
      waveLabels(
        new Map([['2026-Q2', 1]]),
        new Map([
          ['2026-Q1', 1],
          ['2026-Q2', 1],
        ]),
      ),
    ).toEqual(['2026-Q1', '2026-Q2']);
  });
});

describe('wavePair', () => {
  it('gives n, r and the summary; r is null below three units', () => {
    const p = wavePair(
      { internal: 'Q1', external: 'Q2' },
      sideOf('i1'),
      sideOf('e2'),
      pairing([
        ['A', 1, 2],
        ['B', 2, 3],
      ]),
      'en',
    );
    expect(p).toMatchObject({
      internalWave: 'Q1',
      externalWave: 'Q2',
      internalCampaignId: 'i1',
      externalCampaignId: 'e2',
      n: 2,
      pearson: null,
      exploratory: true,
      unitSet: 'pair',
    });
    expect(p.nullReasons.pearson?.code).toBe('tooFewUnits');
  });

  it('says which side does not vary, in the summary and the reason', () => {
    const p = wavePair(
      { internal: 'Q1', external: 'Q1' },
      sideOf('i1'),
      sideOf('e1'),
      pairing([
        ['A', 1, 3],
        ['B', 2, 3],
        ['C', 4, 3],
      ]),
      'en',
    );
    expect(p.pearson).toBeNull();
    expect(p.nullReasons.pearson?.code).toBe('noVariation');
    expect(p.summary).toContain('external satisfaction does not vary between units');
  });
});

describe('crossLaggedPanelJson', () => {
  const p1 = pairing([
    ['A', 1, 2],
    ['B', 2, 2.5],
    ['C', 3, 4],
    ['D', 4, 4.5],
    ['E', 5, 7],
  ]);
  const p2 = pairing([
    ['A', 1.5, 2.2],
    ['B', 2.1, 3],
    ['C', 2.9, 4.4],
    ['D', 4.5, 4.2],
    ['X', 3, 3],
  ]);

  it('uses only the units kept in both waves', () => {
    const panel = crossLaggedPanelJson(
      { wave1: 'Q1', wave2: 'Q2' },
      p1,
      p2,
      sideOf('i'),
      sideOf('e'),
      'en',
    );
    expect(panel?.unitCodes).toEqual(['A', 'B', 'C', 'D']);
    expect(panel?.n).toBe(4);
    expect(panel?.exploratory).toBe(true);
  });

  it('names its unit set and the units each wave loses, in the language asked', () => {
    const panel = crossLaggedPanelJson(
      { wave1: 'Q1', wave2: 'Q2' },
      p1,
      p2,
      sideOf('i'),
      sideOf('e'),
      'en',
    );
    expect(panel?.unitSet).toBe('bothWaves');
    expect(panel?.leftOut).toEqual({ wave1: ['E'], wave2: ['X'] });
    expect(panel?.unitSetNote).toBe(
      "This panel uses only the 4 units kept in both Q1 and Q2 (left out because the other wave lacks them: Q1: E; Q2: X); so its synchronous r for a wave can differ from that wave's pair, which uses every unit kept in that wave.",
    );
    const it = crossLaggedPanelJson(
      { wave1: 'Q1', wave2: 'Q2' },
      p1,
      p2,
      sideOf('i'),
      sideOf('e'),
      'it',
    );
    expect(it?.unitSetNote).toMatch(/^Questo pannello usa solo le 4 unità considerate sia in Q1/);
    const same = crossLaggedPanelJson(
      { wave1: 'Q1', wave2: 'Q2' },
      p1,
      p1,
      sideOf('i'),
      sideOf('e'),
      'en',
    );
    expect(same?.leftOut).toEqual({ wave1: [], wave2: [] });
    expect(same?.unitSetNote).toBeNull();
  });

  it('says why the panel regressions are null when wave 1 is collinear', () => {
    // Internal and external of wave 1 exactly in line: y = 2x + 1.
    const collinear = pairing([
      ['A', 1, 3],
      ['B', 2, 5],
      ['C', 3, 7],
      ['D', 4, 9],
      ['E', 6, 13],
    ]);
    const later = pairing([
      ['A', 1.5, 2.2],
      ['B', 2.1, 3],
      ['C', 2.9, 4.4],
      ['D', 4.5, 4.2],
      ['E', 3, 3.5],
    ]);
    const panel = crossLaggedPanelJson(
      { wave1: 'Q1', wave2: 'Q2' },
      collinear,
      later,
      sideOf('i'),
      sideOf('e'),
      'en',
    );
    expect(panel?.regression).toEqual({ external: null, internal: null });
    expect(panel?.nullReasons['regression.external']).toEqual({
      code: 'collinearWaves',
      en: 'the internal and external scores of Q1 are exactly in line across the units (collinear), so their separate effects on Q2 cannot be told apart',
      it: 'in Q1 i punteggi interni ed esterni sono perfettamente allineati tra le unità (collineari): i loro effetti separati su Q2 non si possono distinguere',
    });
    expect(panel?.nullReasons['regression.internal']?.code).toBe('collinearWaves');
  });

  it('is null with fewer than four common units', () => {
    const short = pairing([['A', 1, 2]]);
    expect(
      crossLaggedPanelJson({ wave1: 'Q1', wave2: 'Q2' }, p1, short, sideOf('i'), sideOf('e'), 'en'),
    ).toBeNull();
  });
});

describe('trendPoint', () => {
  it('gives both campaign-wide scores', () => {
    expect(trendPoint('Q1', sideOf('i', { a: [6, 4] }), sideOf('e', { a: [2, 5] }), true)).toEqual({
      wave: 'Q1',
      internal: { campaignId: 'i', n: 6, score: 4 },
      external: { campaignId: 'e', n: 2, score: 5 },
    });
  });

  it('withholds an internal total the release decision does not grant; no score without answers', () => {
    expect(trendPoint('Q1', sideOf('i', { a: [8, 4] }), undefined, false).internal).toEqual({
      campaignId: 'i',
      n: null,
      score: null,
      suppressed: true,
    });
    expect(trendPoint('Q1', sideOf('i'), undefined, false)).toEqual({
      wave: 'Q1',
      internal: { campaignId: 'i', n: 0, score: null },
      external: null,
    });
  });
});
