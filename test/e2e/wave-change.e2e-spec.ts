/**
 * Issue 9, wave-over-wave change on the campaign report: the previous wave of the series, the
 * headline's change with its interval (Welch, NPS 2.13, Newcombe), the units that moved most —
 * released groups of both waves only — and the page that says it plainly.
 */
import { readFileSync } from 'node:fs';
import { Db } from '../../src/database/db.js';
import { momentsFromCounts, newcombeDifference, welchDifference } from '../../src/stats/index.js';
import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { signIn } from '../helpers/auth.js';
import {
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
  type ReportResponseSpec,
} from '../helpers/factories.js';
import { CHANGE_REFERENCE_URL } from '../helpers/stats-support.js';

const K = 5;
const ANALYST = { email: 'waves-analyst@example.com', password: 'analyst password 1' };
const ref = JSON.parse(readFileSync(CHANGE_REFERENCE_URL, 'utf8')) as {
  nps_difference: Array<{ difference: number; wald95: [number, number] }>;
};

const moments = (values: number[]) => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return momentsFromCounts(counts)!;
};
const answers = (unitId: string, key: string, values: number[]): ReportResponseSpec[] =>
  values.map((v) => ({ unitId, answers: { [key]: v } }));
const repeat = (value: number, n: number) => Array<number>(n).fill(value);

describe.each(dbKinds())('wave-over-wave change on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let analyst: string;
  const report = async (id: string, token = analyst) =>
    (await t.http().get(`/api/campaigns/${id}/report`).set(bearer(token)).expect(200)).body;

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: String(K) });
    db = t.app.get(Db);
    analyst = await createAnalyst(t, ANALYST);
  });
  afterAll(() => t.close());

  describe('external series (csat headline)', () => {
    const units: Record<string, string> = {};
    let q1: string;
    let q2: string;
    const v1 = {
      A: [3, 3, 4, 2, 3, 3, 4, 3],
      B: [4, 4, 5, 4, 4, 5, 4, 4],
      C: [2, 3, 2, 3, 2, 3, 2, 3],
      D: [5],
    };
    const v2 = {
      A: [5, 5, 4, 5, 5, 4, 5, 5],
      B: [4, 5, 4, 4, 5, 4, 4, 4],
      C: [2, 2, 3, 2, 2, 3, 2, 2],
      D: [1, 2],
    };

    beforeAll(async () => {
      for (const code of ['A', 'B', 'C', 'D'])
        units[code] = await insertUnitWith(db, { code: `WX-${code}` });
      const make = (name: string, wave: string) =>
        insertReportCampaign(db, {
          audience: 'external',
          name,
          wave,
          headline: 'sat',
          questions: [{ key: 'sat', type: 'csat' }],
        });
      q1 = await make('Shop survey 2026-Q1', '2026-Q1');
      // Same audience and headline, another series (created later): never the previous wave.
      const other = await make('Delivery survey 2026-Q1', '2026-Q1');
      q2 = await make('Shop survey 2026-Q2', '2026-Q2');
      for (const [id, values] of [
        [q1, v1],
        [q2, v2],
        [other, { A: [1, 1, 1] }],
      ] as const)
        await insertReportResponses(
          db,
          id,
          Object.entries(values).flatMap(([code, vs]) => answers(units[code], 'sat', [...vs])),
        );
    });

    it('compares with the previous wave of the same series, with Welch and Newcombe intervals', async () => {
      const body = await report(q2);
      const change = body.change;
      expect(change.status).toBe('compared');
      expect(change.question).toBe('sat');
      expect(change.previous).toEqual({ id: q1, name: 'Shop survey 2026-Q1', wave: '2026-Q1' });
      const all1 = Object.values(v1).flat();
      const all2 = Object.values(v2).flat();
      const welch = welchDifference(moments(all2), moments(all1))!;
      expect(change.mean.previous).toBeCloseTo(moments(all1).mean, 12);
      expect(change.mean.current).toBeCloseTo(moments(all2).mean, 12);
      expect(change.mean.difference).toBeCloseTo(welch.difference, 12);
      expect(change.mean.ci95[0]).toBeCloseTo(welch.ci.lower, 12);
      expect(change.mean.ci95[1]).toBeCloseTo(welch.ci.upper, 12);
      expect(change.mean.withinNoise).toBe(welch.ci.lower <= 0 && welch.ci.upper >= 0);
      // The headline matches the report's own question figures.
      expect(change.mean.current).toBeCloseTo(body.questions[0].mean, 12);
      const top = (vs: number[]) => vs.filter((v) => v >= 4).length;
      const nc = newcombeDifference(top(all2), all2.length, top(all1), all1.length)!;
      expect(change.topBox.difference).toBeCloseTo(nc.difference, 12);
      expect(change.topBox.ci95).toEqual([nc.ci.lower, nc.ci.upper]);
      expect(change.nps).toBeUndefined();
    });

    it('lists the units that moved most, largest first, with ≥ 2 answers in both waves', async () => {
      const { change } = await report(q2);
      expect(change.movers.map((m: { unitCode: string }) => m.unitCode)).toEqual([
        'WX-A',
        'WX-C',
        'WX-B',
      ]);
      const [a, c, b] = change.movers;
      expect(a.difference).toBeCloseTo(4.75 - 3.125, 12);
      expect(a.withinNoise).toBe(false);
      expect(b.withinNoise).toBe(true);
      expect(c.previous).toEqual({ n: 8, mean: 2.5 });
      expect(c.current).toEqual({ n: 8, mean: 2.25 });
      const w = welchDifference(moments(v2.A), moments(v1.A))!;
      expect(a.ci95).toEqual([w.ci.lower, w.ci.upper]);
    });

    it('says when there is no previous wave, and leaves the change out of a filtered report', async () => {
      const first = await report(q1);
      expect(first.change).toEqual({
        status: 'noPreviousWave',
        question: 'sat',
        previous: null,
        mean: null,
        movers: [],
      });
      const filtered = await report(q2);
      expect(filtered.change).toBeDefined();
      const sub = (
        await t
          .http()
          .get(`/api/campaigns/${q2}/report?unitCode=WX-A`)
          .set(bearer(analyst))
          .expect(200)
      ).body;
      expect(sub.change).toBeUndefined();
    });

    it('shows the change on the page in English and Italian, saying which moves are noise', async () => {
      const agent = await signIn(t, ANALYST);
      const en = (await agent.get(`/reports/campaigns/${q2}?lang=en`).expect(200)).text;
      expect(en).toContain('Change since the previous wave');
      expect(en).toContain('Shop survey 2026-Q1');
      expect(en).toContain('Units that moved most');
      expect(en).toContain('Within noise: the interval includes 0');
      expect(en).toContain('A real change: the interval does not include 0');
      const it = (await agent.get(`/reports/campaigns/${q2}?lang=it`).expect(200)).text;
      expect(it).toContain('Variazione rispetto alla rilevazione precedente');
      expect(it).toContain('Le unità che sono cambiate di più');
      const first = (await agent.get(`/reports/campaigns/${q1}?lang=en`).expect(200)).text;
      expect(first).toContain('This is the first wave of its series');
    });
  });

  it('compares NPS with formula 2.13, the SEs combined (reference 60/25/15 − 50/30/20)', async () => {
    const unit = await insertUnitWith(db, { code: 'WX-NPS' });
    const make = (wave: string) =>
      insertReportCampaign(db, {
        audience: 'external',
        name: `Loyalty ${wave}`,
        wave,
        headline: 'rec',
        questions: [{ key: 'rec', type: 'nps' }],
      });
    const before = await make('2025-H2');
    const now = await make('2026-H1');
    const nps = (p: number, pa: number, d: number) => [
      ...repeat(10, p),
      ...repeat(8, pa),
      ...repeat(3, d),
    ];
    // Wave 2 − wave 1 = 60/25/15 − 50/30/20 (the reference row, difference +15).
    await insertReportResponses(db, before, answers(unit, 'rec', nps(50, 30, 20)));
    await insertReportResponses(db, now, answers(unit, 'rec', nps(60, 25, 15)));
    const { change } = await report(now);
    const r = ref.nps_difference[0];
    expect(change.previous.id).toBe(before);
    expect(change.nps.previous).toBeCloseTo(30, 10);
    expect(change.nps.current).toBeCloseTo(45, 10);
    expect(change.nps.difference).toBeCloseTo(r.difference, 10);
    expect(change.nps.ci95[0]).toBeCloseTo(r.wald95[0], 10);
    expect(change.nps.ci95[1]).toBeCloseTo(r.wald95[1], 10);
    expect(change.nps.withinNoise).toBe(true);
    expect(change.topBox).toBeUndefined();
  });

  describe('internal series: released groups only (the below-k attacker)', () => {
    const ids: Record<string, string> = {};
    let w1: string;
    let w2: string;
    let w3: string;
    // Varied answers, so the homogeneity rule releases every group of ≥ k.
    const varied = (n: number, shift: number) =>
      Array.from({ length: n }, (_, i) => Math.min(5, Math.max(1, ((i * 3 + shift) % 5) + 1)));

    beforeAll(async () => {
      for (const code of ['A', 'B', 'C', 'D', 'E'])
        ids[code] = await insertUnitWith(db, { code: `WI-${code}` });
      const make = (wave: string, status: 'open' | 'closed') =>
        insertReportCampaign(db, {
          audience: 'internal',
          name: `Team pulse ${wave}`,
          wave,
          status,
          headline: 'sat',
          questions: [{ key: 'sat', type: 'csat' }],
        });
      w1 = await make('2026-Q1', 'closed');
      w2 = await make('2026-Q2', 'closed');
      w3 = await make('2026-Q3', 'open');
      const fill = async (id: string, sizes: Record<string, number>, shift: number) =>
        insertReportResponses(
          db,
          id,
          Object.entries(sizes).flatMap(([code, n], i) =>
            answers(ids[code], 'sat', varied(n, shift + i)),
          ),
        );
      await fill(w1, { A: 10, B: 10, C: 10, D: 10, E: 10 }, 0);
      // Wave 2: B has k − 1 answers — its group must never reach the movers.
      await fill(w2, { A: 10, B: K - 1, C: 12, D: 10, E: 11 }, 2);
      await fill(w3, { A: 10, B: 10, C: 10, D: 10, E: 10 }, 1);
    });

    it('lists only units whose headline both waves release, never the k − 1 unit', async () => {
      const [r1, r2] = [await report(w1), await report(w2)];
      const { change } = r2;
      expect(change.status).toBe('compared');
      expect(change.previous.id).toBe(w1);
      const released = (r: { units: Array<{ unitCode: string; headline?: number }> }) =>
        new Map(r.units.filter((u) => u.headline !== undefined).map((u) => [u.unitCode, u]));
      const in1 = released(r1);
      const in2 = released(r2);
      expect(in2.has('WI-B')).toBe(false);
      const codes = change.movers.map((m: { unitCode: string }) => m.unitCode);
      expect(codes).not.toContain('WI-B');
      expect(codes.length).toBeGreaterThan(0);
      for (const m of change.movers) {
        // Every mover's figures are exactly what the two reports already show, nothing more.
        expect(in1.get(m.unitCode)).toMatchObject({ n: m.previous.n, headline: m.previous.mean });
        expect(in2.get(m.unitCode)).toMatchObject({ n: m.current.n, headline: m.current.mean });
      }
      // The complementary suppression of wave 2 (B alone could be derived) hides a second unit;
      // it is not a mover either.
      const hidden2 = r2.units.filter((u: { headline?: number }) => u.headline === undefined);
      expect(hidden2.length).toBeGreaterThanOrEqual(1);
      for (const u of hidden2) expect(codes).not.toContain(u.unitCode);
      expect(JSON.stringify(change)).not.toContain('WI-B');
    });

    it('shows nothing of an open internal wave, nor of one compared with it', async () => {
      const open = await report(w3);
      expect(open.change).toEqual({
        status: 'notReleased',
        question: 'sat',
        previous: { id: w2, name: 'Team pulse 2026-Q2', wave: '2026-Q2' },
        mean: null,
        movers: [],
      });
      // The admin sees no more than the analyst.
      expect((await report(w3, t.adminToken)).change).toEqual(open.change);
    });
  });
});
