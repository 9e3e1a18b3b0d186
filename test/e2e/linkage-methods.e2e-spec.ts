import { parse } from 'csv-parse/sync';
import { Db } from '../../src/database/db.js';
import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, signIn } from '../helpers/auth.js';
import {
  type FixtureResponse,
  type FixtureUnit,
  generator,
  insertCampaign,
  insertUnits,
  meanOf,
  npsOf,
  TOP_FROM,
  variedValues,
} from '../helpers/linkage-company.js';
import { expectClose, plainLinkageStatistics } from '../helpers/stats-support.js';

/**
 * The methods appendix (issue 9): an analyst holding only the released per-unit table (the CSV
 * download) recomputes every statistic of the linkage with textbook formulas (stats-support.ts,
 * no code of src/stats) and gets the linkage's own values to 1e-9.
 */
type Body = Record<string, any>;
const K = 5;
const BRANCHES = Array.from({ length: 14 }, (_, i) => `B${String(i + 1).padStart(2, '0')}`);
const QUESTIONS = [
  { key: 'sat', type: 'csat' as const },
  { key: 'nps', type: 'nps' as const },
];
/** Internal people per branch: B01 below k (hidden), the others 8–20. */
const INTERNAL_SIZE = (i: number) => (i === 0 ? 3 : 8 + ((i * 5) % 13));
/** External buyers per branch: B02 has 2 (below the minimum), the others 5–29. */
const EXTERNAL_SIZE = (i: number) => (i === 1 ? 2 : 5 + ((i * 11) % 25));

function people(code: string, count: number, rnd: (a: number, b: number) => number, lo = 1) {
  const sat = variedValues(count, [lo, 5], TOP_FROM.csat, K, rnd);
  return sat.map((v): FixtureResponse => ({
    unitCode: code,
    answers: { sat: v, nps: rnd(0, 10) },
  }));
}

/** The CSV's rows as the table the statistics take. */
function csvTable(text: string) {
  const [header, ...rows] = parse(text) as string[][];
  expect(header).toEqual([
    'unit_code',
    'unit_name',
    'internal_score',
    'internal_n',
    'external_score',
    'external_n',
  ]);
  return rows.map((r) => ({
    code: r[0],
    x: Number(r[2]),
    nx: Number(r[3]),
    y: Number(r[4]),
    ny: Number(r[5]),
  }));
}

/** Every linkage value against the independent recomputation, to 1e-9. */
function expectReproduced(linkage: Body, plain: ReturnType<typeof plainLinkageStatistics>) {
  expect(linkage.n).toBe(plain.n);
  expectClose(linkage.pearson.r, plain.pearson.r);
  expectClose(linkage.pearson.p, plain.pearson.p);
  expectClose(linkage.pearson.ci95[0], plain.pearson.ci95[0]);
  expectClose(linkage.pearson.ci95[1], plain.pearson.ci95[1]);
  expectClose(linkage.spearman.rho, plain.spearman.rho);
  expect(linkage.spearman.method).toBe(plain.spearman.method);
  expectClose(linkage.spearman.p, plain.spearman.p);
  expectClose(linkage.kendall.tau, plain.kendall.tauB);
  expectClose(linkage.kendall.p, plain.kendall.p);
  expectClose(linkage.regression.slope, plain.regression.slope);
  expectClose(linkage.regression.intercept, plain.regression.intercept);
  expectClose(linkage.regression.r2, plain.regression.r2);
  expectClose(linkage.weighted.r, plain.weighted.r);
  expectClose(linkage.weighted.effectiveN, plain.weighted.effectiveN);
  expectClose(linkage.weighted.p, plain.weighted.p);
  expectClose(linkage.partial.r, plain.partial.r);
  expectClose(linkage.partial.p, plain.partial.p);
  expectClose(linkage.partial.ci95[0], plain.partial.ci95[0]);
  expectClose(linkage.partial.ci95[1], plain.partial.ci95[1]);
}

describe.each(dbKinds())('linkage methods appendix (%s)', (kind) => {
  let t: TestApp;
  let admin: Agent;
  let units: Map<string, FixtureUnit>;
  let internal: string;
  let openInternal: string;
  let external: string;
  let internalResponses: FixtureResponse[];
  let externalResponses: FixtureResponse[];
  const rnd = generator(4242);

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: String(K) });
    const db = t.app.get(Db);
    units = await insertUnits(db, [
      { code: 'CO', parentCode: null },
      ...BRANCHES.map((code) => ({ code, parentCode: 'CO' })),
    ]);
    internalResponses = BRANCHES.flatMap((code, i) =>
      people(code, INTERNAL_SIZE(i), rnd, 1 + (i % 3)),
    );
    externalResponses = BRANCHES.flatMap((code, i) =>
      people(code, EXTERNAL_SIZE(i), rnd, 1 + (i % 2)),
    );
    internal = await insertCampaign(db, {
      audience: 'internal',
      name: 'Staff 2026',
      questions: QUESTIONS,
      units,
      responses: internalResponses,
    });
    openInternal = await insertCampaign(db, {
      audience: 'internal',
      name: 'Staff open',
      status: 'open',
      questions: QUESTIONS,
      units,
      responses: internalResponses.map((r) => ({ ...r })),
    });
    external = await insertCampaign(db, {
      audience: 'external',
      name: 'Customers 2026',
      headline: 'nps',
      questions: QUESTIONS,
      units,
      responses: externalResponses,
    });
    admin = await signIn(t);
  }, 120_000);
  afterAll(() => t.close());

  const api = (path: string, query: string) =>
    t
      .http()
      .get(`${path}?internal=${internal}&external=${external}${query}`)
      .set(bearer(t.adminToken))
      .expect(200)
      .then((r) => r.body as Body);

  it.each([
    ['every unit, mean against mean', '&metric=mean'],
    ['NPS outside, at least 12 buyers (exact Spearman p)', '&externalMetric=nps&minResponses=12'],
    ['top box inside, NPS outside', '&internalMetric=topbox&externalMetric=nps'],
  ])('%s: the CSV reproduces every statistic of GET /api/linkage to 1e-9', async (_name, query) => {
    const linkage = await api('/api/linkage', query);
    const methods = await api('/api/linkage/methods', query);
    const csv = await admin
      .get(`/reports/linkage/methods.csv?internal=${internal}&external=${external}${query}`)
      .expect(200)
      .expect('content-type', /text\/csv/)
      .expect('content-disposition', /attachment; filename="linkage-methods.csv"/);
    const rows = csvTable(csv.text);
    expect(rows.length).toBeGreaterThanOrEqual(5);

    // The table is the linkage's: same units, scores and counts, and the raw answers give them.
    expect(rows.map((r) => [r.code, r.x, r.nx, r.y, r.ny])).toEqual(
      linkage.units.map((u: Body) => [
        u.unitCode,
        u.internal.score,
        u.internal.n,
        u.external.score,
        u.external.n,
      ]),
    );
    expect(methods.units).toEqual(
      linkage.units.map((u: Body) => ({
        unitCode: u.unitCode,
        unitName: u.unitName,
        internalScore: u.internal.score,
        internalN: u.internal.n,
        externalScore: u.external.score,
        externalN: u.external.n,
      })),
    );
    for (const r of rows) {
      const mine = internalResponses.filter((x) => x.unitCode === r.code);
      const theirs = externalResponses.filter((x) => x.unitCode === r.code);
      expect(r.nx).toBe(mine.length);
      expect(r.ny).toBe(theirs.length);
      if (query === '&metric=mean') expectClose(r.x, meanOf(mine.map((x) => x.answers.sat)));
      if (query.includes('externalMetric=nps'))
        expectClose(r.y, npsOf(theirs.map((x) => x.answers.nps)));
    }

    const plain = plainLinkageStatistics(rows);
    expectReproduced(linkage, plain);
    // The appendix states the same figures, with the test statistics and degrees of freedom.
    const s = methods.statistics;
    expect(s.n).toBe(linkage.n);
    expect(s.pearson.r).toBe(linkage.pearson.r);
    expect(s.pearson.p).toBe(linkage.pearson.p);
    expect(s.pearson.ci95).toEqual(linkage.pearson.ci95);
    expect(s.pearson.df).toBe(rows.length - 2);
    expectClose(s.pearson.t, plain.pearson.t);
    expect(s.spearman.p).toBe(linkage.spearman.p);
    expect(s.spearman.sumSquaredRankDifferences).toBeCloseTo(
      plain.spearman.sumSquaredRankDifferences,
      9,
    );
    expect(s.kendall.tauB).toBe(linkage.kendall.tau);
    expect(s.kendall.s).toBe(plain.kendall.s);
    expectClose(s.kendall.varS, plain.kendall.varS);
    expectClose(s.kendall.z, plain.kendall.z);
    expect(s.weighted.p).toBe(linkage.weighted.p);
    expect(s.partial.df).toBe(rows.length - 3);
    expect(s.partial.ci95).toEqual(linkage.partial.ci95);
    expect(methods.summary).toBe(linkage.summary);
  });

  it('takes the exact Spearman path in one of the selections', async () => {
    const methods = await api('/api/linkage/methods', '&externalMetric=nps&minResponses=12');
    expect(methods.n).toBeLessThanOrEqual(10);
    expect(methods.statistics.spearman.method).toBe('exact');
  });

  it('states thresholds, exclusions and definitions; never an internal count below k', async () => {
    const methods = await api('/api/linkage/methods', '&minResponses=3');
    expect(methods.thresholds).toEqual({
      minGroupSize: K,
      internalMinResponses: K,
      externalMinResponses: 3,
      confidenceLevel: 0.95,
      minUnitsForStatistics: 3,
      minUnitsForInterval: 4,
      minUnitsForPartial: 4,
      minUnitsForPartialInterval: 5,
      spearmanExactMaxN: 10,
      exploratoryBelow: 30,
      tooFewToConcludeBelow: 10,
      chartFromUnits: 3,
    });
    expect(methods.notes[0]).toMatch(/below the anonymity threshold/);
    expect(methods.unitsWithData).toBe(BRANCHES.length);
    expect(methods.n + methods.excluded.units).toBe(BRANCHES.length);
    // B01's 3 people: hidden, no count anywhere; B02's 2 buyers: an external count is fine.
    expect(methods.units.map((u: Body) => u.unitCode)).not.toContain('B01');
    const b01 = methods.excluded.list.find((e: Body) => e.unitCode === 'B01');
    expect(b01.reason).toBe('hidden to protect confidentiality');
    expect(methods.excluded.byReason).toContainEqual({
      code: 'hidden',
      reason: 'hidden to protect confidentiality',
      units: expect.any(Number),
    });
    for (const u of methods.units) expect(u.internalN).toBeGreaterThanOrEqual(K);
    expect(JSON.stringify(methods)).not.toMatch(/"internalN":[0-4]\b|internal n=[0-4]\b/);
    const ids = methods.definitions.map((d: Body) => d.id);
    expect(ids).toEqual(
      expect.arrayContaining(['pairing', 'mean', 'pearson', 'pearsonTest', 'fisher', 'spearman']),
    );
    expect(methods.reproduceInR).toContain('cor.test(x, y)');
  });

  it('shows nothing of an open internal campaign', async () => {
    const body = (
      await t
        .http()
        .get(`/api/linkage/methods?internal=${openInternal}&external=${external}`)
        .set(bearer(t.adminToken))
        .expect(200)
    ).body as Body;
    expect(body.units).toEqual([]);
    expect(body.statistics.pearson).toBeNull();
    expect(body.excluded.byReason[0]).toMatchObject({ code: 'notReleased' });
    const csv = await admin
      .get(`/reports/linkage/methods.csv?internal=${openInternal}&external=${external}`)
      .expect(200);
    expect(csvTable(csv.text)).toEqual([]);
  });

  it('uses the linkage page’s options: an NPS headline is read as NPS on the page', async () => {
    const page = csvTable(
      (
        await admin
          .get(`/reports/linkage/methods.csv?internal=${internal}&external=${external}`)
          .expect(200)
      ).text,
    );
    const nps = await api('/api/linkage', '&externalMetric=nps');
    expect(page.map((r) => r.y)).toEqual(nps.units.map((u: Body) => u.external.score));
    // The linkage page links the appendix with its own resolved options and language.
    const html = (
      await admin.get(`/reports/linkage?internal=${internal}&external=${external}&lang=it`)
    ).text;
    expect(html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&')).toContain(
      `href="/reports/linkage/methods?internal=${internal}&external=${external}&externalMetric=nps&lang=it"`,
    );
  });

  it.each(['en', 'it'] as const)(
    'renders the page (%s) with the table and the definitions',
    async (lang) => {
      const html = (
        await admin
          .get(`/reports/linkage/methods?internal=${internal}&external=${external}&lang=${lang}`)
          .expect(200)
      ).text;
      expect(html).toContain(lang === 'it' ? 'Appendice metodologica' : 'Methods appendix');
      expect(html).toContain('<table class="mt-table mt-units" tabindex="0">');
      expect(html).toContain(
        lang === 'it' ? 'Intervallo z di Fisher di r' : 'Fisher-z interval of r',
      );
      expect(html.replace(/&#x3D;/g, '=')).toContain(
        `/reports/linkage/methods.csv?internal=${internal}`,
      );
      // Units paired: one row each in the per-unit table; B01 is not among them.
      const table =
        /<table class="mt-table mt-units" tabindex="0">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
      expect(table).not.toContain('B01');
      expect(table.match(/<tr><th scope="row">/g)?.length).toBeGreaterThanOrEqual(5);
    },
  );

  it('downloads the JSON from the browser: the API’s answer for the page’s options', async () => {
    const res = await admin
      .get(`/reports/linkage/methods.json?internal=${internal}&external=${external}`)
      .expect(200)
      .expect('content-type', /application\/json/)
      .expect('content-disposition', /filename="linkage-methods.json"/);
    const api = await t
      .http()
      .get(`/api/linkage/methods?internal=${internal}&external=${external}&externalMetric=nps`)
      .set(bearer(t.adminToken))
      .expect(200);
    expect(JSON.parse(res.text)).toEqual(api.body);
  });

  it('downloads the methods as Markdown in the page language', async () => {
    const res = await admin
      .get(`/reports/linkage/methods.md?internal=${internal}&external=${external}&lang=it`)
      .expect(200)
      .expect('content-type', /text\/markdown/)
      .expect('content-disposition', /filename="linkage-methods.md"/);
    expect(res.text).toMatch(/^# Appendice metodologica/);
    expect(res.text).toContain('| unit_code | unit_name | internal_score |');
  });

  it('is for admins and analysts only, and refuses bad options clearly', async () => {
    await t
      .http()
      .get(`/api/linkage/methods?internal=${internal}&external=${external}`)
      .expect(401);
    const analyst = await createAnalyst(t, {
      email: 'analyst-methods@example.com',
      password: 'a long analyst password',
    });
    await t
      .http()
      .get(`/api/linkage/methods?internal=${internal}&external=${external}`)
      .set(bearer(analyst))
      .expect(200);
    const bad = await t
      .http()
      .get(`/api/linkage/methods?internal=${internal}&external=${external}&metric=median`)
      .set(bearer(t.adminToken))
      .expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/metric/);
    const doc = (await t.http().get('/api/docs/openapi.json').set(bearer(t.adminToken)).expect(200))
      .body as Body;
    expect(Object.keys(doc.paths)).toContain('/api/linkage/methods');
    expect(Object.keys(doc.paths)).not.toContain('/reports/linkage/methods');
    const anonymous = await t
      .http()
      .get(`/reports/linkage/methods.csv?internal=${internal}&external=${external}`);
    expect([302, 303, 401]).toContain(anonymous.status);
  });
});
