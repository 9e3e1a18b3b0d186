import { parse } from 'csv-parse/sync';
import { Db } from '../../src/database/db.js';
import { CampaignReportService } from '../../src/reports/campaign-report.service.js';
import { mean, npsFromScores, proportion, wilsonInterval } from '../../src/stats/index.js';
import { bearer, dbKinds, startApp, type TestApp, createAnalyst } from '../helpers/app.js';
import {
  insertContactWith,
  insertInvitationRow,
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
  type ReportQuestionSpec,
  type ReportResponseSpec,
} from '../helpers/factories.js';

const ANALYST = { email: 'report-analyst@example.com', password: 'analyst password 1' };
const K = 5;

const QUESTIONS: ReportQuestionSpec[] = [
  { key: 'sat', type: 'csat' },
  { key: 'nps', type: 'nps' },
  { key: 'effort', type: 'ces' },
  { key: 'informed', type: 'likert' },
  { key: 'channel', type: 'choice', options: ['web', 'phone', 'email'] },
  { key: 'topics', type: 'choice', multiple: true, options: ['price', 'speed', 'care'] },
  { key: 'why', type: 'text' },
];

/** Deterministic pseudo-random numbers for the synthetic companies. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** n responses of a unit with the given headline (sat) values and a few other answers. */
const responsesOf = (unitId: string, sats: number[]): ReportResponseSpec[] =>
  sats.map((sat, i) => ({
    unitId,
    answers: { sat, nps: (sat * 2 + i) % 11, why: `comment ${unitId.slice(0, 4)} ${i}` },
  }));

const ci = (i: { lower: number; upper: number } | null) => [i!.lower, i!.upper];

describe.each(dbKinds())('campaign report on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let analystToken: string;
  const get = (path: string, token = t.adminToken) => t.http().get(path).set(bearer(token));

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: String(K), MIN_COMMENT_GROUP_SIZE: '10' });
    db = t.app.get(Db);
    analystToken = await createAnalyst(t, ANALYST);
  });
  afterAll(() => t.close());

  describe('numbers (external campaign: nothing suppressed)', () => {
    let campaignId: string;
    let a: string;
    let b: string;
    const satA = [5, 4, 4, 3, 5, 5];
    const satB = [2, 3, 1, 5];
    const npsAll = [10, 9, 9, 8, 7, 6, 0, 10, 3, 9];
    const effort = [7, 6, 1, 4, 5, 7, 7, 2, 6, 3];
    const informed = [1, 2, 3, 4, 5, 5, 4, 4, 3, 2];

    beforeAll(async () => {
      a = await insertUnitWith(db, { code: 'NUM-A' });
      b = await insertUnitWith(db, { code: 'NUM-B' });
      campaignId = await insertReportCampaign(db, {
        audience: 'external',
        headline: 'sat',
        questions: QUESTIONS,
      });
      for (let i = 0; i < 16; i++) {
        const contact = await insertContactWith(db, i < 12 ? a : b, { audience: 'external' });
        await insertInvitationRow(db, campaignId, contact);
      }
      const sats = [...satA, ...satB];
      await insertReportResponses(
        db,
        campaignId,
        sats.map((sat, i) => ({
          unitId: i < satA.length ? a : b,
          answers: {
            sat,
            nps: npsAll[i],
            effort: effort[i],
            informed: informed[i],
            channel: ['web', 'phone', 'web', 'web', 'phone', 'web', 'web', 'phone', 'web', 'web'][
              i
            ],
            topics: i % 3 === 0 ? ['price', 'care'] : i % 3 === 1 ? ['speed'] : [],
            why: i < 3 ? `because ${i}` : '',
          },
        })),
      );
    });

    it('returns exactly the API.md shape with every figure from src/stats', async () => {
      const res = await get(`/api/campaigns/${campaignId}/report`).expect(200);
      const body = res.body;
      const sats = [...satA, ...satB];
      expect(body.campaign).toEqual({
        id: campaignId,
        name: expect.any(String),
        audience: 'external',
        wave: '2026-Q1',
      });
      expect(body.invited).toBe(16);
      expect(body.responses).toBe(10);
      expect(body.responseRate).toBeCloseTo(10 / 16, 12);
      const q = Object.fromEntries(body.questions.map((x: any) => [x.key, x]));
      expect(body.questions.map((x: any) => x.key)).toEqual(QUESTIONS.map((x) => x.key));

      const satTop = sats.filter((s) => s >= 4).length;
      expect(q.sat).toEqual({
        key: 'sat',
        type: 'csat',
        n: 10,
        mean: expect.any(Number),
        distribution: { '1': 1, '2': 1, '3': 2, '4': 2, '5': 4 },
        topBox: { share: satTop / 10, ci95: ci(wilsonInterval(satTop, 10)) },
      });
      expect(q.sat.mean).toBeCloseTo(mean(sats)!, 12);

      const nps = npsFromScores(npsAll)!;
      expect(q.nps.n).toBe(10);
      expect(q.nps.mean).toBeCloseTo(mean(npsAll)!, 12);
      expect(Object.keys(q.nps.distribution)).toEqual(
        Array.from({ length: 11 }, (_, i) => String(i)),
      );
      expect(q.nps.distribution['5']).toBe(0);
      expect(q.nps.nps).toEqual({
        score: nps.score,
        promoters: nps.promoters,
        passives: nps.passives,
        detractors: nps.detractors,
        ci95: [nps.ci.lower, nps.ci.upper],
      });
      expect(q.nps.topBox).toBeUndefined();

      const effortTop = proportion(effort.filter((v) => v >= 6).length, 10)!;
      expect(q.effort.topBox).toEqual({
        share: effortTop.share,
        ci95: [effortTop.ci.lower, effortTop.ci.upper],
      });
      expect(Object.keys(q.effort.distribution)).toHaveLength(7);
      expect(q.informed.topBox.share).toBeCloseTo(0.5, 12);
      expect(q.informed.distribution).toEqual({ '1': 1, '2': 2, '3': 2, '4': 3, '5': 2 });

      expect(q.channel).toEqual({
        key: 'channel',
        type: 'choice',
        n: 10,
        distribution: { web: 7, phone: 3, email: 0 },
      });
      // Multiple choice: n counts respondents, not choices.
      expect(q.topics).toEqual({
        key: 'topics',
        type: 'choice',
        n: 7,
        distribution: { price: 4, speed: 3, care: 4 },
      });
      expect(q.why.n).toBe(3);
      expect(q.why.mean).toBeUndefined();
      expect([...q.why.comments].sort()).toEqual(['because 0', 'because 1', 'because 2']);

      expect(body.units).toEqual([
        { unitCode: 'NUM-A', unitName: 'Unit NUM-A', n: 6, headline: mean(satA) },
        { unitCode: 'NUM-B', unitName: 'Unit NUM-B', n: 4, headline: mean(satB) },
      ]);
    });

    it('limits the report to a unit subtree (external: any filter)', async () => {
      const res = await get(`/api/campaigns/${campaignId}/report?unitCode=NUM-B`).expect(200);
      expect(res.body.responses).toBe(4);
      expect(res.body.invited).toBe(4);
      expect(res.body.responseRate).toBe(1);
      expect(res.body.units).toEqual([
        { unitCode: 'NUM-B', unitName: 'Unit NUM-B', n: 4, headline: mean(satB) },
      ]);
      const sat = res.body.questions.find((x: any) => x.key === 'sat');
      expect(sat.n).toBe(4);
      expect(sat.mean).toBeCloseTo(mean(satB)!, 12);
    });

    it('is readable by analysts; 404 for unknown or malformed ids; 400 for a bad filter', async () => {
      await get(`/api/campaigns/${campaignId}/report`, analystToken).expect(200);
      await get(`/api/campaigns/00000000-0000-4000-8000-000000000000/report`).expect(404);
      const bad = await get(`/api/campaigns/not-a-uuid/report`).expect(404);
      expect(bad.body).toEqual({ statusCode: 404, message: 'Campaign not found' });
      const unknown = await get(`/api/campaigns/${campaignId}/report?unitCode=NOPE`).expect(400);
      expect(unknown.body.errors[0].field).toBe('unitCode');
      await get(`/api/campaigns/${campaignId}/report?other=1`).expect(400);
      await t.http().get(`/api/campaigns/${campaignId}/report`).expect(401);
    });

    it('gives responseRate null when nobody was invited, and n 0 with null mean', async () => {
      const empty = await insertReportCampaign(db, { audience: 'external', questions: QUESTIONS });
      const res = await get(`/api/campaigns/${empty}/report`).expect(200);
      expect(res.body).toMatchObject({ invited: 0, responses: 0, responseRate: null, units: [] });
      expect(res.body.questions[0]).toMatchObject({ key: 'sat', n: 0, mean: null });
      expect(res.body.questions[0].topBox).toBeUndefined();
    });
  });

  describe('confidentiality (internal campaign, k = 5)', () => {
    let campaignId: string;
    const unit: Record<string, string> = {};
    const satSales = [1, 2, 1, 2];
    const satTech = [5, 4, 4, 3, 5, 2, 4, 5, 4];
    const satOps = [3, 3, 4, 2, 5, 1, 4];

    beforeAll(async () => {
      unit.HQ = await insertUnitWith(db, { code: 'C-HQ' });
      unit.SALES = await insertUnitWith(db, { code: 'C-SALES', parentId: unit.HQ });
      unit.TECH = await insertUnitWith(db, { code: 'C-TECH', parentId: unit.HQ });
      unit.OPS = await insertUnitWith(db, { code: 'C-OPS', parentId: unit.HQ });
      campaignId = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      await insertReportResponses(db, campaignId, [
        ...responsesOf(unit.SALES, satSales),
        ...responsesOf(unit.TECH, satTech),
        ...responsesOf(unit.OPS, satOps),
      ]);
    });

    it('hides the small unit and, complementarily, the next smallest (4, 9, 7 → 4 and 7)', async () => {
      const res = await get(`/api/campaigns/${campaignId}/report`, analystToken).expect(200);
      expect(res.body.responses).toBe(20);
      expect(res.body.units).toEqual([
        { unitCode: 'C-OPS', unitName: 'Unit C-OPS', suppressed: true },
        { unitCode: 'C-SALES', unitName: 'Unit C-SALES', suppressed: true },
        { unitCode: 'C-TECH', unitName: 'Unit C-TECH', n: 9, headline: mean(satTech) },
      ]);
      const sat = res.body.questions.find((x: any) => x.key === 'sat');
      expect(sat.n).toBe(20);
      expect(sat.mean).toBeCloseTo(mean([...satSales, ...satTech, ...satOps])!, 12);
      expect(res.body.filterableUnits).toEqual(['C-HQ', 'C-TECH']);
    });

    it('refuses filters whose group or remainder is below k (403), allows the others', async () => {
      for (const code of ['C-SALES', 'C-OPS']) {
        const res = await get(`/api/campaigns/${campaignId}/report?unitCode=${code}`).expect(403);
        expect(res.body.message).toMatch(/fewer than 5 responses/);
      }
      const tech = await get(`/api/campaigns/${campaignId}/report?unitCode=C-TECH`).expect(200);
      expect(tech.body.responses).toBe(9);
      expect(tech.body.units).toEqual([
        { unitCode: 'C-TECH', unitName: 'Unit C-TECH', n: 9, headline: mean(satTech) },
      ]);
      const hq = await get(`/api/campaigns/${campaignId}/report?unitCode=C-HQ`).expect(200);
      expect(hq.body.responses).toBe(20);
      expect(hq.body.units.filter((u: any) => u.suppressed).map((u: any) => u.unitCode)).toEqual([
        'C-OPS',
        'C-SALES',
      ]);
    });

    it('refuses the Culture Amp remainder case: Sales 4, Tech 9 → the Tech filter too', async () => {
      const root = await insertUnitWith(db, { code: 'CA-ROOT' });
      const sales = await insertUnitWith(db, { code: 'CA-SALES', parentId: root });
      const tech = await insertUnitWith(db, { code: 'CA-TECH', parentId: root });
      const id = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      await insertReportResponses(db, id, [
        ...responsesOf(sales, [1, 1, 2, 1]),
        ...responsesOf(tech, [4, 4, 5, 5, 4, 3, 5, 4, 4]),
      ]);
      const res = await get(`/api/campaigns/${id}/report`).expect(200);
      expect(res.body.units.every((u: any) => u.suppressed === true)).toBe(true);
      await get(`/api/campaigns/${id}/report?unitCode=CA-TECH`).expect(403);
      await get(`/api/campaigns/${id}/report?unitCode=CA-SALES`).expect(403);
      await get(`/api/campaigns/${id}/report?unitCode=CA-ROOT`).expect(200);
    });

    it('decides again after every new response: a reused decision never outlives an answer', async () => {
      // The release decision is kept between reads with the same inputs (campaign-report.service
      // `factsKey`); a new response must move every figure and every suppression at once.
      const root = await insertUnitWith(db, { code: 'RE-ROOT' });
      const small = await insertUnitWith(db, { code: 'RE-SMALL', parentId: root });
      const big = await insertUnitWith(db, { code: 'RE-BIG', parentId: root });
      const other = await insertUnitWith(db, { code: 'RE-OTHER', parentId: root });
      const id = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      await insertReportResponses(db, id, [
        ...responsesOf(small, [1, 2, 1, 2]),
        ...responsesOf(big, [4, 4, 5, 5, 4, 3, 5]),
        ...responsesOf(other, [3, 3, 4, 2, 5, 1]),
      ]);
      const before = await get(`/api/campaigns/${id}/report`).expect(200);
      expect(before.body.responses).toBe(17);
      expect(before.body.units.find((u: any) => u.unitCode === 'RE-SMALL')).toEqual({
        unitCode: 'RE-SMALL',
        unitName: 'Unit RE-SMALL',
        suppressed: true,
      });
      await get(`/api/campaigns/${id}/report?unitCode=RE-SMALL`).expect(403);
      // The same read again: the reused decision gives the same answer (comments come in a new
      // random order each time).
      const again = await get(`/api/campaigns/${id}/report`).expect(200);
      const noComments = (body: any) => ({
        ...body,
        questions: body.questions.map(({ comments: _, ...q }: any) => q),
      });
      expect(noComments(again.body)).toEqual(noComments(before.body));

      await insertReportResponses(db, id, responsesOf(small, [2]));
      const after = await get(`/api/campaigns/${id}/report`).expect(200);
      expect(after.body.responses).toBe(18);
      expect(after.body.units.find((u: any) => u.unitCode === 'RE-SMALL')).toEqual({
        unitCode: 'RE-SMALL',
        unitName: 'Unit RE-SMALL',
        n: 5, // its headline stays hidden: 5 answers cannot have 5 outside the commonest (E5)
      });
      const sat = after.body.questions.find((x: any) => x.key === 'sat');
      expect(sat.n).toBe(18);
      await get(`/api/campaigns/${id}/report?unitCode=RE-SMALL`).expect(200);
    });

    it('shows no numbers at all when the whole campaign has fewer than k responses', async () => {
      const id = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      await insertReportResponses(db, id, responsesOf(unit.TECH, [5, 5, 4]));
      const res = await get(`/api/campaigns/${id}/report`).expect(200);
      expect(res.body.responses).toBe(3);
      expect(res.body.questions).toEqual(
        QUESTIONS.map((q) => ({ key: q.key, type: q.type, suppressed: true })),
      );
      expect(res.body.units).toEqual([
        { unitCode: 'C-TECH', unitName: 'Unit C-TECH', suppressed: true },
      ]);
      await get(`/api/campaigns/${id}/report?unitCode=C-TECH`).expect(403);
      await get(`/api/campaigns/${id}/report?unitCode=C-HQ`).expect(403);
    });

    it('hides every figure of near-uniform answers (E5), with the one neutral marker', async () => {
      const id = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      // sat: 7 of 9 said 5 (n − max = 2 < k); informed: spread out; nps: everyone a promoter;
      // channel: everyone 'web'.
      await insertReportResponses(
        db,
        id,
        [5, 5, 5, 5, 5, 5, 5, 3, 4].map((sat, i) => ({
          unitId: unit.TECH,
          answers: { sat, informed: (i % 5) + 1, nps: 9 + (i % 2), channel: 'web' },
        })),
      );
      const res = await get(`/api/campaigns/${id}/report`).expect(200);
      const q = Object.fromEntries(res.body.questions.map((x: any) => [x.key, x]));
      // "n 9, mean 4.8" would tell nearly everybody's answer: the whole figure is hidden, and the
      // marker is the one every hidden group has (a separate "homogeneous" flag would say that
      // the group agreed).
      expect(q.sat).toEqual({ key: 'sat', type: 'csat', suppressed: true });
      expect(q.informed.distribution).toEqual({ '1': 2, '2': 2, '3': 2, '4': 2, '5': 1 });
      expect(q.informed.mean).toBeCloseTo(mean([1, 2, 3, 4, 5, 1, 2, 3, 4])!, 10);
      expect(q.nps).toEqual({ key: 'nps', type: 'nps', suppressed: true });
      expect(q.channel).toEqual({ key: 'channel', type: 'choice', suppressed: true });
      // The unit row's headline (sat) is hidden with it; its response count stays.
      expect(res.body.units).toEqual([{ unitCode: 'C-TECH', unitName: 'Unit C-TECH', n: 9 }]);
    });

    it('lists comments only for groups of at least MIN_COMMENT_GROUP_SIZE, texts only', async () => {
      const id = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      const big = await get(`/api/campaigns/${campaignId}/report`).expect(200);
      const why = big.body.questions.find((x: any) => x.key === 'why');
      expect(why.n).toBe(20);
      expect(why.comments).toHaveLength(20);
      expect(why.comments.every((c: unknown) => typeof c === 'string')).toBe(true);
      const tech = await get(`/api/campaigns/${campaignId}/report?unitCode=C-TECH`).expect(200);
      expect(tech.body.questions.find((x: any) => x.key === 'why').comments).toBeUndefined();
      await insertReportResponses(db, id, responsesOf(unit.TECH, [5, 4, 3, 2, 1, 2, 3, 4]));
      const small = await get(`/api/campaigns/${id}/report`).expect(200);
      const smallWhy = small.body.questions.find((x: any) => x.key === 'why');
      expect(smallWhy).toEqual({ key: 'why', type: 'text', n: 8 });
    });

    it('suppresses an optional question answered by fewer than k (and its remainders)', async () => {
      const id = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      await insertReportResponses(db, id, [
        ...responsesOf(unit.TECH, [5, 4, 4, 3, 5, 2]),
        ...responsesOf(unit.OPS, [3, 3, 4, 2, 5, 1]).map((r, i) => ({
          ...r,
          answers: i < 3 ? { ...r.answers, effort: 7 } : r.answers,
        })),
        ...responsesOf(unit.SALES, [1, 2, 3, 4, 5, 1, 2]).map((r, i) => ({
          ...r,
          answers: { ...r.answers, effort: i + 1 },
        })),
      ]);
      const all = await get(`/api/campaigns/${id}/report`).expect(200);
      const effort = all.body.questions.find((x: any) => x.key === 'effort');
      expect(effort.n).toBe(10);
      const sales = await get(`/api/campaigns/${id}/report?unitCode=C-SALES`).expect(200);
      // SALES alone answered effort 7 times, the rest 3 times: 10 − 7 = 3 < k.
      expect(sales.body.questions.find((x: any) => x.key === 'effort')).toEqual({
        key: 'effort',
        type: 'ces',
        suppressed: true,
      });
      expect(sales.body.questions.find((x: any) => x.key === 'sat').n).toBe(7);
    });
  });

  describe('differencing: nothing the API releases isolates a suppressed group', () => {
    it.each([1, 2, 3])('random company %i', async (seed) => {
      const random = prng(seed * 7919);
      const codes: string[] = [];
      const ids = new Map<string, string>();
      const parentOf = new Map<string, string | null>();
      const add = async (code: string, parent: string | null) => {
        const id = await insertUnitWith(db, { code, parentId: parent ? ids.get(parent)! : null });
        ids.set(code, id);
        parentOf.set(id, parent ? ids.get(parent)! : null);
        codes.push(code);
      };
      const prefix = `D${seed}`;
      await add(`${prefix}`, null);
      for (let d = 0; d < 3; d++) {
        await add(`${prefix}.${d}`, prefix);
        for (let t2 = 0; t2 < 3; t2++) await add(`${prefix}.${d}.${t2}`, `${prefix}.${d}`);
      }
      const campaignId = await insertReportCampaign(db, {
        audience: 'internal',
        questions: QUESTIONS,
      });
      const own = new Map<string, number>();
      const rows: ReportResponseSpec[] = [];
      for (const code of codes) {
        const id = ids.get(code)!;
        const n = random() < 0.25 ? 0 : Math.floor(random() * 12);
        const sats = Array.from({ length: n }, () => 1 + Math.floor(random() * 5));
        own.set(id, n);
        rows.push(...responsesOf(id, sats));
      }
      await insertReportResponses(db, campaignId, rows);

      const units = [...ids.values()].filter((id) => (own.get(id) ?? 0) > 0);
      const subtree = (root: string) =>
        units.filter((u) => {
          for (let c: string | null = u; c; c = parentOf.get(c) ?? null)
            if (c === root) return true;
          return false;
        });
      const released: string[][] = []; // each: the units whose total count (and headline sum) is known
      const check = (body: any, scope: string[]) => {
        released.push(scope);
        const visible = body.units.filter((u: any) => !u.suppressed);
        for (const u of visible) {
          expect(u.n).toBeGreaterThanOrEqual(K);
          released.push([ids.get(u.unitCode)!]);
        }
        for (const u of body.units.filter((x: any) => x.suppressed)) expect(u.n).toBeUndefined();
        const rest = body.responses - visible.reduce((s: number, u: any) => s + u.n, 0);
        expect(rest === 0 || rest >= K).toBe(true);
        expect(body.responses === 0 || body.responses >= K || scope.length === units.length).toBe(
          true,
        );
      };
      const campaign = await get(`/api/campaigns/${campaignId}/report`).expect(200);
      check(campaign.body, units);
      const hidden: string[] = campaign.body.units
        .filter((u: any) => u.suppressed)
        .map((u: any) => ids.get(u.unitCode)!);
      for (const code of codes) {
        const res = await get(`/api/campaigns/${campaignId}/report?unitCode=${code}`);
        expect([200, 403]).toContain(res.status);
        expect(res.status === 200).toBe(campaign.body.filterableUnits.includes(code));
        if (res.status === 200) check(res.body, subtree(ids.get(code)!));
      }
      // The export: every coarsened unit value names a group of ≥ k responses.
      const csv = await get(`/api/campaigns/${campaignId}/responses.csv`).expect(200);
      const records: string[][] = parse(csv.text, { bom: true });
      const unitCol = records[0].indexOf('unit');
      const perLabel = new Map<string, number>();
      for (const r of records.slice(1))
        perLabel.set(r[unitCol], (perLabel.get(r[unitCol]) ?? 0) + 1);
      for (const n of perLabel.values()) expect(n).toBeGreaterThanOrEqual(K);
      const facts = await t.app.get(CampaignReportService).facts(campaignId);
      for (const label of perLabel.keys()) {
        released.push(
          units.filter((u) => {
            const shown = facts.disclosure.exportUnit(u);
            return (shown ? facts.forest.byId.get(shown)!.code : '(suppressed)') === label;
          }),
        );
      }
      // No suppressed unit, nor any small set of them, lies in the span of the released sets.
      // Everyone answers the headline here, so the headline sums are released over exactly these
      // sets too (report totals, visible units, export groups): the same check covers them.
      const small = subsets(hidden, 3).filter((s) => {
        const n = s.reduce((acc, u) => acc + own.get(u)!, 0);
        return n > 0 && n < K;
      });
      for (const target of [...hidden.map((h) => [h]), ...small])
        expect(inSpan(released, target, units)).toBe(false);
      // The fixture does exercise suppression and filters.
      expect(hidden.length).toBeGreaterThan(0);
      expect(campaign.body.filterableUnits.length).toBeGreaterThan(1);
    });
  });
});

function subsets<T>(items: T[], max: number): T[][] {
  const out: T[][] = [];
  const walk = (start: number, acc: T[]) => {
    if (acc.length) out.push([...acc]);
    if (acc.length === max) return;
    for (let i = start; i < items.length; i++) walk(i + 1, [...acc, items[i]]);
  };
  walk(0, []);
  return out;
}

/** Is the indicator of `target` a linear combination of the indicators of `sets` (over `universe`)? */
function inSpan(sets: string[][], target: string[], universe: string[]): boolean {
  const vec = (s: string[]) => universe.map((u) => (s.includes(u) ? 1 : 0));
  const rank = (rows: number[][]) => {
    const m = rows.map((r) => [...r]);
    let r = 0;
    for (let c = 0; c < universe.length && r < m.length; c++) {
      let p = r;
      while (p < m.length && Math.abs(m[p][c]) < 1e-9) p++;
      if (p === m.length) continue;
      [m[r], m[p]] = [m[p], m[r]];
      for (let i = 0; i < m.length; i++) {
        if (i === r || Math.abs(m[i][c]) < 1e-9) continue;
        const f = m[i][c] / m[r][c];
        for (let j = c; j < universe.length; j++) m[i][j] -= f * m[r][j];
      }
      r++;
    }
    return r;
  };
  const base = sets.map(vec);
  return rank([...base, vec(target)]) === rank(base);
}
