import { parse } from 'csv-parse/sync';
import { newId } from '../../src/common/crypto.js';
import { recountAnswerCounts } from '../../src/database/answer-counts.js';
import { Db } from '../../src/database/db.js';
import { AnswerEntity } from '../../src/database/schema/answer.entity.js';
import { CampaignEntity } from '../../src/database/schema/campaign.entity.js';
import { ResponseEntity } from '../../src/database/schema/response.entity.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import {
  insertCampaign,
  insertUnits,
  type FixtureQuestion,
  type FixtureResponse,
  type FixtureUnit,
} from '../helpers/linkage-company.js';
import { Released, unitTree, type UnitTree } from '../helpers/unit-tree.js';

/**
 * Issue 7, routes 1, 2, 3, 4, 5 and 7 (and the linkage's methods appendix of issue 9): every internal figure goes through one release decision
 * (src/confidentiality/release-gate.ts), so no two reads — at any levels, perspectives, questions,
 * metrics or moments — isolate a group below k.
 *
 * The company (k = 5):            R
 *                 ┌──────────┬────┴─────┬──────────┐
 *                 N          S         SVC         HR (provider)
 *              ┌──┴──┐    ┌──┴──┐    ┌──┴──┐
 *              N1    N2   S1    S2  SVC1  SVC2 (providers)
 * Internal respondents: N1 8, N2 3, S1 7, S2 10. `hr1` rates HR (N1, N2, S1 answer it); `s1` rates
 * SVC1 (N1 and two of S1), `s2` rates SVC2 (the 3 of N2); `opt` is optional (S2 skips it).
 * Before the gate: the service map's N cell at level 1 minus its N1 leaf cell gave N2's 3 ratings
 * (route 1); the provider perspective's SVC at level 1 minus SVC1 gave SVC2's 3 raters (route 2);
 * the linkage released N1's own `opt` figure that the report's plan withholds, so the report's N
 * filter minus it gave N2 (route 3).
 */
const K = 5;
type Body = Record<string, any>;

const PARENT: UnitTree = {
  R: null,
  N: 'R',
  S: 'R',
  SVC: 'R',
  HR: 'R',
  N1: 'N',
  N2: 'N',
  S1: 'S',
  S2: 'S',
  SVC1: 'SVC',
  SVC2: 'SVC',
};
const { depth, subtree } = unitTree(PARENT);
/**
 * The respondent units a row of a response rolled up to `level` stands for: the unit's subtree
 * when the unit sits at that level, else its own respondents (undefined level: its own).
 */
const members = (code: string, level: number | undefined): string[] =>
  level !== undefined && depth(code) === level ? subtree(code) : [code];
/** The units internal respondents belong to; a released set is named by the ones it holds. */
const RESPONDENT_UNITS = new Set(['N1', 'N2', 'S1', 'S2']);

/** A varied answer (1–5) for the i-th respondent: no group of these is uniform. */
const spread = (i: number) => 1 + (i % 5);

describe.each(dbKinds())('the release gate on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let units: Map<string, FixtureUnit>;
  let internal: string;
  let external: string;
  const get = (path: string) => t.http().get(path).set(bearer(t.adminToken));
  const body = async (path: string): Promise<Body> => (await get(path).expect(200)).body as Body;

  const QUESTIONS: FixtureQuestion[] = [
    { key: 'sat', type: 'csat' },
    { key: 'opt', type: 'likert' },
    { key: 'hr1', type: 'csat', providerCode: 'HR' },
    { key: 's1', type: 'csat', providerCode: 'SVC1' },
    { key: 's2', type: 'csat', providerCode: 'SVC2' },
  ];
  function respondents(): FixtureResponse[] {
    const out: FixtureResponse[] = [];
    const sizes: Array<[string, number]> = [
      ['N1', 8],
      ['N2', 3],
      ['S1', 7],
      ['S2', 10],
    ];
    let seq = 0;
    for (const [unitCode, n] of sizes) {
      for (let i = 0; i < n; i++, seq++) {
        const answers: Record<string, number> = { sat: spread(seq) };
        if (unitCode !== 'S2') answers.opt = spread(seq + 2);
        if (unitCode !== 'S2') answers.hr1 = spread(seq + 1);
        if (unitCode === 'N1' || (unitCode === 'S1' && i < 2)) answers.s1 = spread(seq + 3);
        if (unitCode === 'N2') answers.s2 = spread(i);
        out.push({ unitCode, answers });
      }
    }
    return out;
  }

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: String(K) });
    db = t.app.get(Db);
    units = await insertUnits(
      db,
      Object.entries(PARENT).map(([code, parentCode]) => ({ code, parentCode })),
    );
    internal = await insertCampaign(db, {
      audience: 'internal',
      questions: QUESTIONS,
      responses: respondents(),
      units,
    });
    // Plenty of buyers everywhere, so every internal group has an external partner.
    external = await insertCampaign(db, {
      audience: 'external',
      questions: [{ key: 'sat', type: 'csat' }],
      responses: Object.keys(PARENT).flatMap((unitCode) =>
        Array.from({ length: 10 }, (_, i) => ({ unitCode, answers: { sat: spread(i) } })),
      ),
      units,
    });
  }, 60_000);
  afterAll(() => t.close());

  const LEVELS = [undefined, 0, 1, 2];
  const levelQuery = (level: number | undefined) => (level === undefined ? '' : `level=${level}`);

  it('route 1: service map across levels — no level minus another gives a hidden rater group', async () => {
    const hr = new Released(K, RESPONDENT_UNITS);
    for (const level of LEVELS) {
      const map = await body(`/api/campaigns/${internal}/service-map?${levelQuery(level)}`);
      expect(map.resultsReleased).toBe(true);
      const provider = map.providers.find((p: Body) => p.unitCode === 'HR');
      if (!provider.suppressed) hr.add(['N1', 'N2', 'S1', 'S2'], provider.n);
      for (const cell of map.cells) {
        if (cell.providerUnitCode !== 'HR' || cell.suppressed) continue;
        hr.add(members(cell.raterUnitCode, level), cell.n);
      }
    }
    // The map releases something at every level, and never N2's 3 raters.
    expect(hr.has(['N1', 'N2', 'S1', 'S2'])).toBe(true);
    expect(hr.has(['S1'])).toBe(true);
    expect(hr.has(['N2'])).toBe(false);
    hr.expectNoSmallRemainder();
  });

  it('route 2: linkage, provider perspective — a provider group is released only as a sum of released providers', async () => {
    const providers = new Released(K);
    for (const level of LEVELS) {
      const res = await body(
        `/api/linkage?internal=${internal}&external=${external}&perspective=provider&${levelQuery(level)}`,
      );
      for (const u of res.units) providers.add(members(u.unitCode, level), u.internal.n);
      for (const x of res.excluded) expect(x.reason).not.toMatch(/internal n=[0-4]\b/);
      // The methods appendix releases the same per-unit table, nothing more.
      const methods = await body(
        `/api/linkage/methods?internal=${internal}&external=${external}&perspective=provider&${levelQuery(level)}`,
      );
      for (const u of methods.units) providers.add(members(u.unitCode, level), u.internalN);
      expect(methods.units.map((u: Body) => u.unitCode)).toEqual(
        res.units.map((u: Body) => u.unitCode),
      );
      for (const x of methods.excluded.list) expect(x.reason).not.toMatch(/internal n=[0-4]\b/);
    }
    // SVC1 (10 raters) is shown; SVC2 (3) is not, nor SVC (13), which minus SVC1 would give it.
    expect(providers.has(['SVC1'])).toBe(true);
    expect(providers.has(['SVC2'])).toBe(false);
    expect(providers.has(['SVC', 'SVC1', 'SVC2'])).toBe(false);
    providers.expectNoSmallRemainder();
  });

  it('route 3: non-headline questions — the report, its filters and the linkage share one family per question', async () => {
    for (const key of ['sat', 'opt', 'hr1']) {
      const released = new Released(K, RESPONDENT_UNITS);
      const all = await body(`/api/campaigns/${internal}/report`);
      const q = all.questions.find((x: Body) => x.key === key);
      if (!q.suppressed) released.add(['N1', 'N2', 'S1', 'S2'], q.n);
      for (const code of Object.keys(PARENT)) {
        const res = await get(`/api/campaigns/${internal}/report?unitCode=${code}`);
        expect([200, 403]).toContain(res.status);
        if (res.status !== 200) continue;
        const fq = res.body.questions.find((x: Body) => x.key === key);
        if (!fq.suppressed && fq.n > 0) released.add(subtree(code), fq.n);
      }
      for (const level of LEVELS) {
        const res = await body(
          `/api/linkage?internal=${internal}&external=${external}&internalQuestion=${key}&${levelQuery(level)}`,
        );
        for (const u of res.units) released.add(members(u.unitCode, level), u.internal.n);
        const methods = await body(
          `/api/linkage/methods?internal=${internal}&external=${external}&internalQuestion=${key}&${levelQuery(level)}`,
        );
        for (const u of methods.units) released.add(members(u.unitCode, level), u.internalN);
        expect(methods.units.length).toBe(res.units.length);
      }
      expect({ key, released: released.size > 0 }).toEqual({ key, released: true });
      expect({ key, n2: released.has(['N2']) }).toEqual({ key, n2: false });
      released.expectNoSmallRemainder();
    }
  });
});

describe.each(dbKinds())('routes 4 and 5: an open internal campaign on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let units: Map<string, FixtureUnit>;
  const get = (path: string) => t.http().get(path).set(bearer(t.adminToken));

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: String(K) });
    db = t.app.get(Db);
    units = await insertUnits(db, [
      { code: 'OR', parentCode: null },
      { code: 'OA', parentCode: 'OR' },
      { code: 'OB', parentCode: 'OR' },
      { code: 'OC', parentCode: 'OR' },
    ]);
  });
  afterAll(() => t.close());

  /** Everything the endpoints release about the campaign except its campaign-wide counts. */
  async function readEverything(internal: string, external: string) {
    const report = (await get(`/api/campaigns/${internal}/report`).expect(200)).body as Body;
    const filters = await Promise.all(
      ['OR', 'OA', 'OB', 'OC'].map(async (code) => {
        const res = await get(`/api/campaigns/${internal}/report?unitCode=${code}`);
        return [code, res.status, res.status === 200 ? res.body.questions : res.body.message];
      }),
    );
    const linkage = await Promise.all(
      ['', '&level=0', '&level=1', '&metric=topbox'].map(
        async (q) =>
          (await get(`/api/linkage?internal=${internal}&external=${external}${q}`).expect(200))
            .body,
      ),
    );
    const methods = await Promise.all(
      ['', '&level=0', '&level=1', '&metric=topbox'].map(
        async (q) =>
          (
            await get(`/api/linkage/methods?internal=${internal}&external=${external}${q}`).expect(
              200,
            )
          ).body,
      ),
    );
    const map = (await get(`/api/campaigns/${internal}/service-map`).expect(200)).body as Body;
    const waves = (
      await get(`/api/linkage/waves?internal=${internal}&external=${external}`).expect(200)
    ).body as Body;
    const csv = (await get(`/api/campaigns/${internal}/responses.csv`).expect(200)).text;
    const rows = parse(csv, { bom: true }) as string[][];
    const { responses: _r, responseRate: _rr, invited: _i, ...figures } = report;
    return {
      figures,
      filters,
      linkage: [
        ...linkage.map((l: Body) => ({ n: l.n, units: l.units, excluded: l.excluded })),
        // The methods appendix (issue 9): the same table, stated per unit.
        ...methods.map((m: Body) => ({ n: m.n, units: m.units, excluded: m.excluded.list })),
      ],
      map: { providers: map.providers, raters: map.raters, cells: map.cells },
      trend: waves.trend,
      // Rows: every unit label and answer blank or '(suppressed)'; only the row count may move.
      csvCells: [...new Set(rows.slice(1).flatMap((r) => r.slice(1)))].sort(),
    };
  }

  it('releases no internal figure before close, however answers arrive; one decision at close', async () => {
    const answersOf = (unitCode: string, n: number, offset = 0): FixtureResponse[] =>
      Array.from({ length: n }, (_, i) => ({
        unitCode,
        answers: { sat: spread(i + offset), svc: spread(i + offset + 1) },
      }));
    const internal = await insertCampaign(db, {
      audience: 'internal',
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'svc', type: 'csat', providerCode: 'OC' },
      ],
      // OA 4 (below k), OB 9, OC 12.
      responses: [...answersOf('OA', 4), ...answersOf('OB', 9), ...answersOf('OC', 12)],
      units,
    });
    const external = await insertCampaign(db, {
      audience: 'external',
      questions: [{ key: 'sat', type: 'csat' }],
      responses: ['OA', 'OB', 'OC'].flatMap((u) => answersOf(u, 10)),
      units,
    });
    await db.write((m) =>
      m.update(CampaignEntity, { id: internal }, { status: 'open', closedAt: null }),
    );

    const before = await readEverything(internal, external);
    // Nothing internal is out: no unit row, every question hidden, filters refused, no group in
    // the linkage, no cell in the map, no trend point, no unit or answer in the CSV.
    expect(before.figures.resultsReleased).toBe(false);
    expect(before.figures.units).toEqual([]);
    for (const q of before.figures.questions) expect(q.suppressed).toBe(true);
    for (const [, status, message] of before.filters) {
      expect(status).toBe(403);
      expect(message).toMatch(/released when it closes/);
    }
    for (const l of before.linkage) {
      expect(l.units).toEqual([]);
      for (const x of l.excluded) expect(x.reason).toMatch(/released when the campaign closes/);
    }
    expect(before.map.cells).toEqual([]);
    expect(before.map.raters).toEqual([]);
    expect(before.map.providers.every((p: Body) => p.suppressed === true)).toBe(true);
    expect(before.trend.every((p: Body) => p.internal === null || p.internal.n === null)).toBe(
      true,
    );
    expect(before.csvCells).toEqual(['', '(suppressed)']);

    // Route 4 (tracker) and route 5 (threshold crossing): OA grows from 4 to 5 answers, one at a
    // time; every read but the campaign-wide count is the same.
    const responseId = newId();
    await db.write(async (m) => {
      await m.insert(ResponseEntity, {
        id: responseId,
        campaignId: internal,
        unitId: units.get('OA')!.id,
        invitationId: null,
        language: 'en',
        submittedAt: '2026-02-02',
      });
      await m.insert(AnswerEntity, [
        {
          responseId,
          questionKey: 'sat',
          seq: 0,
          campaignId: internal,
          numValue: 5,
          textValue: null,
        },
        {
          responseId,
          questionKey: 'svc',
          seq: 0,
          campaignId: internal,
          numValue: 1,
          textValue: null,
        },
      ]);
      await recountAnswerCounts(m, [internal]);
    });
    const after = await readEverything(internal, external);
    expect(after).toEqual(before);
    const counts = (await get(`/api/campaigns/${internal}/report`).expect(200)).body as Body;
    expect(counts.responses).toBe(26);

    // At close the figures appear once, from the final answers only.
    await db.write((m) =>
      m.update(
        CampaignEntity,
        { id: internal },
        { status: 'closed', closedAt: new Date().toISOString() },
      ),
    );
    const closed = await readEverything(internal, external);
    expect(closed.figures.resultsReleased).toBe(true);
    expect(closed.figures.questions.find((q: Body) => q.key === 'sat').n).toBe(26);
    expect(closed.linkage[0].units.length).toBeGreaterThan(0);
    expect(closed.map.cells.length).toBeGreaterThan(0);
  });
});

describe.each(dbKinds())('route 7: homogeneity on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  const get = (path: string) => t.http().get(path).set(bearer(t.adminToken));

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: String(K) });
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  it('a group whose answers (nearly) all agree, or all sit in the top box, is hidden everywhere', async () => {
    const units = await insertUnits(db, [
      { code: 'HX', parentCode: null },
      { code: 'H1', parentCode: 'HX' },
      { code: 'H2', parentCode: 'HX' },
      { code: 'H3', parentCode: 'HX' },
      { code: 'H4', parentCode: 'HX' },
      { code: 'H5', parentCode: 'HX' },
      { code: 'HP', parentCode: 'HX' },
    ]);
    const group = (unitCode: string, values: number[]): FixtureResponse[] =>
      values.map((v, i) => ({ unitCode, answers: { sat: v, hp: spread(i + 2) } }));
    const internal = await insertCampaign(db, {
      audience: 'internal',
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'hp', type: 'csat', providerCode: 'HP' },
      ],
      responses: [
        // H1: "n 8, mean 5" — everybody said 5.
        ...group('H1', [5, 5, 5, 5, 5, 5, 5, 5]),
        // H4: varied, but everybody in the top box (a top-box share of 1).
        ...group('H4', [4, 5, 4, 5, 4, 5, 4, 5, 4, 5]),
        ...group('H2', [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]),
        ...group('H3', [2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2]),
        // H5 is varied too, but releasing it would leave H1 + H4 to subtraction: all top box.
        ...group('H5', [3, 4, 5, 1, 2, 3, 4, 5, 1, 2]),
      ],
      units,
    });
    const external = await insertCampaign(db, {
      audience: 'external',
      questions: [{ key: 'sat', type: 'csat' }],
      responses: ['H1', 'H2', 'H3', 'H4'].flatMap((unitCode) =>
        Array.from({ length: 10 }, (_, i) => ({ unitCode, answers: { sat: spread(i) } })),
      ),
      units,
    });

    const report = (await get(`/api/campaigns/${internal}/report`).expect(200)).body as Body;
    const row = (code: string) => report.units.find((u: Body) => u.unitCode === code);
    // H2 and H3 are varied: shown. H1 and H4 show no headline (their counts may stay), nor does
    // H5, whose release would leave H1 + H4 (18 answers, all in the top box) to subtraction.
    expect(row('H2').headline).toBeDefined();
    expect(row('H3').headline).toBeDefined();
    expect(row('H1').headline).toBeUndefined();
    expect(row('H4').headline).toBeUndefined();
    expect(row('H5').headline).toBeUndefined();
    for (const code of ['H1', 'H4']) {
      const res = await get(`/api/campaigns/${internal}/report?unitCode=${code}`);
      if (res.status === 200) {
        expect(res.body.questions.find((q: Body) => q.key === 'sat')).toEqual({
          key: 'sat',
          type: 'csat',
          suppressed: true,
        });
      } else expect(res.status).toBe(403);
    }
    for (const metric of ['mean', 'topbox']) {
      const linkage = (
        await get(`/api/linkage?internal=${internal}&external=${external}&metric=${metric}`).expect(
          200,
        )
      ).body as Body;
      const kept = linkage.units.map((u: Body) => u.unitCode);
      expect(kept).not.toContain('H1');
      expect(kept).not.toContain('H4');
      expect(kept).toEqual(expect.arrayContaining(['H2', 'H3']));
      for (const code of ['H1', 'H4']) {
        expect(linkage.excluded.find((x: Body) => x.unitCode === code).reason).toBe(
          'hidden to protect confidentiality',
        );
      }
    }
    // The export keeps no sat answer of H1's or H4's rows.
    const csv = parse((await get(`/api/campaigns/${internal}/responses.csv`).expect(200)).text, {
      bom: true,
    }) as string[][];
    const [header, ...rows] = csv;
    const sat = header.indexOf('sat');
    const unit = header.indexOf('unit');
    for (const r of rows) {
      if (r[unit] === 'H1' || r[unit] === 'H4') expect(r[sat]).toBe('');
    }
    expect(rows.some((r) => r[unit] === 'H2' && r[sat] !== '')).toBe(true);
  });
});
