import { jest } from '@jest/globals';
import { Db } from '../../src/database/db.js';
import { decideDisclosure } from '../../src/confidentiality/disclosure-plan.js';
import { UnitForest } from '../../src/confidentiality/suppression.js';
import {
  benjaminiHochberg,
  crossLaggedPanel,
  kendall,
  linearRegression,
  partialCorrelation,
  pearson,
  spearman,
  weightedPearson,
} from '../../src/stats/index.js';
import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import {
  generator,
  insertCampaign,
  insertUnits,
  meanOf,
  npsOf,
  responsesOf,
  TOP_FROM,
  topBoxOf,
  valuesOf,
  variedEnough,
  variedValues,
  type FixtureQuestion,
  type FixtureResponse,
  type FixtureUnit,
} from '../helpers/linkage-company.js';

type Body = Record<string, any>;
const ANALYST = { email: 'linkage-analyst@example.com', password: 'analyst password 1' };
const UNKNOWN_ID = '6a3c1e0e-9d7b-4d43-8f0e-2b4f7c1d9a10';
const K = 5;

const LEAVES = Array.from({ length: 12 }, (_, i) => `U${String(i + 1).padStart(2, '0')}`);
const PROVIDERS = ['U01', 'U02', 'U03', 'U04'];

const INTERNAL_QUESTIONS: FixtureQuestion[] = [
  { key: 'sat', type: 'csat' },
  { key: 'q2', type: 'likert' },
  { key: 'nps', type: 'nps' },
  { key: 'effort', type: 'ces' },
  { key: 'comment', type: 'text' },
  ...PROVIDERS.map((code, j) => ({ key: `p${j + 1}`, type: 'csat' as const, providerCode: code })),
  // A second question about U01 on another scale: the same people, counted once; pooled as 0–100.
  { key: 'p1b', type: 'ces', providerCode: 'U01' },
];
const EXTERNAL_QUESTIONS: FixtureQuestion[] = [
  { key: 'sat', type: 'csat' },
  { key: 'nps', type: 'nps' },
];

/** 12 leaves under two regions; X1–X4 (under N) exercise the exclusion rules. */
function companyUnits() {
  return [
    { code: 'N', parentCode: null },
    { code: 'S', parentCode: null },
    ...LEAVES.map((code, i) => ({ code, parentCode: i < 6 ? 'N' : 'S' })),
    ...['X1', 'X2', 'X3', 'X4'].map((code) => ({ code, parentCode: 'N' })),
  ];
}

/**
 * Internal answers of one wave: unit i has 8 + i respondents; every third rates each provider.
 * Under the release gate (issue 7) a group is released only when its answers are varied enough
 * (at least k differ from the most common answer, some but not all in the top box), so every group
 * that can be is drawn varied (`variedValues`): the test can then expect every unit of k or more
 * respondents to be scored, on every question.
 */
function internalResponses(seed: number): FixtureResponse[] {
  const rnd = generator(seed);
  const out: FixtureResponse[] = [];
  /** The units of `group` answer as one group: varied together (see X1 + X3 below). */
  const add = (group: Array<[code: string, count: number]>, low: number) => {
    const rs: FixtureResponse[] = group.flatMap(([unitCode, count]) =>
      Array.from({ length: count }, () => ({ unitCode, answers: {} as Record<string, number> })),
    );
    const columns: Array<[string, [number, number], number]> = [
      ['sat', [low, 5], TOP_FROM.csat],
      ['q2', [1, 5], TOP_FROM.likert],
      ['nps', [low + 3, 10], TOP_FROM.nps],
      ['effort', [1, 7], TOP_FROM.ces],
    ];
    for (const [key, range, topFrom] of columns) {
      variedValues(rs.length, range, topFrom, K, rnd).forEach((v, i) => (rs[i].answers[key] = v));
    }
    for (const [code] of group) {
      const own = rs.filter((r) => r.unitCode === code);
      PROVIDERS.forEach((_, j) => {
        const raters = own.filter((_, idx) => (idx + j) % 3 === 0);
        variedValues(raters.length, [1, 5], TOP_FROM.csat, K, rnd).forEach(
          (v, i) => (raters[i].answers[`p${j + 1}`] = v),
        );
      });
      const p1 = own.filter((r) => r.answers.p1 !== undefined);
      variedValues(p1.length, [1, 7], TOP_FROM.ces, K, rnd).forEach(
        (v, i) => (p1[i].answers.p1b = v),
      );
    }
    out.push(...rs);
  };
  LEAVES.forEach((code, i) => add([[code, 8 + i + 1]], 1 + (i % 3)));
  // X1 (3, below k) and X3 (6): the gate withholds X3 too, or X1 would be N minus the rest; their
  // union is the atom left hidden, so it is drawn varied as one group.
  add(
    [
      ['X1', 3],
      ['X3', 6],
    ],
    1,
  );
  add([['X4', 7]], 2); // kept by default (7 people, varied), excluded by minResponses=8
  return out;
}

function externalResponses(seed: number): FixtureResponse[] {
  const rnd = generator(seed);
  const out: FixtureResponse[] = [];
  LEAVES.forEach((code, i) =>
    out.push(...responsesOf(code, 10 + 2 * i, { sat: [1 + (i % 3), 5], nps: [i % 4, 10] }, rnd)),
  );
  out.push(...responsesOf('X1', 10, { sat: [1, 5], nps: [0, 10] }, rnd));
  out.push(...responsesOf('X2', 10, { sat: [1, 5], nps: [0, 10] }, rnd)); // no internal answers
  out.push(...responsesOf('X3', 3, { sat: [1, 5], nps: [0, 10] }, rnd));
  out.push(...responsesOf('X4', 7, { sat: [2, 5], nps: [0, 10] }, rnd));
  return out;
}

const close = (actual: number | null | undefined, expected: number | null | undefined) => {
  if (expected === null || expected === undefined) {
    expect(actual ?? null).toBeNull();
    return;
  }
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
};

/** Every statistic of a response against src/stats applied to the expected unit scores. */
function expectStatistics(body: Body, x: number[], y: number[], nx: number[], ny: number[]) {
  expect(body.n).toBe(x.length);
  const r = pearson(x, y);
  if (!r) expect(body.pearson).toBeNull();
  else {
    close(body.pearson.r, r.r);
    close(body.pearson.p, r.p);
    close(body.pearson.ci95?.[0], r.ci?.lower);
    close(body.pearson.ci95?.[1], r.ci?.upper);
  }
  // As R's cor.test: exact permutation p up to 10 untied units, else the t approximation.
  const rho = spearman(x, y, { method: 'auto' });
  if (!rho) expect(body.spearman).toBeNull();
  else {
    close(body.spearman.rho, rho.rho);
    close(body.spearman.p, rho.p);
    expect(body.spearman.method).toBe(rho.method);
  }
  const tau = kendall(x, y);
  if (!tau) expect(body.kendall).toBeNull();
  else {
    close(body.kendall.tau, tau.tauB);
    close(body.kendall.p, tau.p);
  }
  const line = linearRegression(x, y);
  if (!line || !r) expect(body.regression).toBeNull();
  else {
    close(body.regression.slope, line.slope);
    close(body.regression.intercept, line.intercept);
    close(body.regression.r2, line.rSquared);
  }
  const w = weightedPearson(
    x,
    y,
    nx.map((a, i) => (2 * a * ny[i]) / (a + ny[i])),
  );
  if (!w) expect(body.weighted).toBeNull();
  else close(body.weighted.r, w.r);
  const part = partialCorrelation(
    x,
    y,
    nx.map((a, i) => (Math.log(a) + Math.log(ny[i])) / 2),
  );
  if (!part) expect(body.partial).toBeNull();
  else {
    close(body.partial.r, part.r);
    close(body.partial.p, part.p);
  }
}

describe.each(dbKinds())('linkage (%s)', (kind) => {
  let t: TestApp;
  let auth: Record<string, string>;
  let analyst: Record<string, string>;
  let units: Map<string, FixtureUnit>;
  let internalId: string;
  let externalId: string;
  let internal2Id: string;
  let external2Id: string;
  let intR: FixtureResponse[];
  let extR: FixtureResponse[];
  let intR2: FixtureResponse[];
  let extR2: FixtureResponse[];

  const get = (path: string, headers: Record<string, string> = auth) =>
    t.http().get(path).set(headers);
  const linkage = (query: Record<string, string | number> = {}) =>
    get(
      `/api/linkage?${new URLSearchParams({ internal: internalId, external: externalId, ...Object.fromEntries(Object.entries(query).map(([a, b]) => [a, String(b)])) })}`,
    );

  beforeAll(async () => {
    t = await startApp(kind);
    auth = bearer(t.adminToken);
    analyst = bearer(await createAnalyst(t, ANALYST));
    const db = t.app.get(Db);
    units = await insertUnits(db, companyUnits());
    intR = internalResponses(11);
    extR = externalResponses(22);
    intR2 = internalResponses(33);
    extR2 = externalResponses(44);
    internalId = await insertCampaign(db, {
      audience: 'internal',
      name: 'Series internal Q1',
      wave: '2026-Q1',
      questions: INTERNAL_QUESTIONS,
      responses: intR,
      units,
    });
    externalId = await insertCampaign(db, {
      audience: 'external',
      name: 'Series external Q1',
      wave: '2026-Q1',
      questions: EXTERNAL_QUESTIONS,
      responses: extR,
      units,
    });
    internal2Id = await insertCampaign(db, {
      audience: 'internal',
      name: 'Series internal Q2',
      wave: '2026-Q2',
      questions: INTERNAL_QUESTIONS,
      responses: intR2,
      units,
    });
    external2Id = await insertCampaign(db, {
      audience: 'external',
      name: 'Series external Q2',
      wave: '2026-Q2',
      questions: EXTERNAL_QUESTIONS,
      responses: extR2,
      units,
    });
  }, 120_000);
  afterAll(() => t.close());

  const KEPT = [...LEAVES, 'X4'];
  const unitSet = (code: string) => new Set([code]);

  /** Expected member-perspective scores of the kept units. */
  function expected(
    codes: string[],
    iKey: string,
    eKey: string,
    iScore: (v: number[]) => number,
    eScore: (v: number[]) => number,
    ir = intR,
    er = extR,
  ) {
    const iv = codes.map((c) => valuesOf(ir, iKey, unitSet(c)));
    const ev = codes.map((c) => valuesOf(er, eKey, unitSet(c)));
    return {
      x: iv.map(iScore),
      y: ev.map(eScore),
      nx: iv.map((v) => v.length),
      ny: ev.map((v) => v.length),
    };
  }

  /**
   * The internal campaign's release decision (src's gate, issue 7) recomputed from the fixture
   * arrays: what every endpoint must grant, whatever it aggregated from the database.
   */
  function releaseOf(responses: FixtureResponse[]) {
    const idOf = (code: string) => (units.get(code) as FixtureUnit).id;
    const forest = new UnitForest(
      [...units.values()].map((u) => ({
        id: u.id,
        code: u.code,
        parentId: u.parentCode ? idOf(u.parentCode) : null,
      })),
    );
    const counts = new Map<string, number>();
    const answered = new Map<string, Map<string, number>>();
    const numeric = new Map<string, Map<string, Map<number, number>>>();
    for (const r of responses) {
      const unit = idOf(r.unitCode);
      counts.set(unit, (counts.get(unit) ?? 0) + 1);
      for (const [key, value] of Object.entries(r.answers)) {
        if (!answered.has(key)) answered.set(key, new Map());
        if (!numeric.has(key)) numeric.set(key, new Map());
        const a = answered.get(key) as Map<string, number>;
        a.set(unit, (a.get(unit) ?? 0) + 1);
        const byUnit = numeric.get(key) as Map<string, Map<number, number>>;
        if (!byUnit.has(unit)) byUnit.set(unit, new Map());
        const byValue = byUnit.get(unit) as Map<number, number>;
        byValue.set(value, (byValue.get(value) ?? 0) + 1);
      }
    }
    return decideDisclosure({
      internal: true,
      released: true,
      forest,
      responses: counts,
      answered,
      numeric,
      choice: new Map(),
      types: new Map(INTERNAL_QUESTIONS.map((q) => [q.key, q.type])),
      headline: 'sat',
      k: K,
      kComments: 10,
    });
  }

  it('scores every unit on the headlines and matches src/stats exactly (default: mean, member)', async () => {
    const res = await linkage().expect(200);
    const body = res.body as Body;
    const e = expected(KEPT, 'sat', 'sat', meanOf, meanOf);
    expect(body.units.map((u: Body) => u.unitCode)).toEqual(KEPT);
    body.units.forEach((u: Body, i: number) => {
      expect(u.unitName).toBe(`Unit ${KEPT[i]}`);
      expect(u.internal.n).toBe(e.nx[i]);
      expect(u.external.n).toBe(e.ny[i]);
      close(u.internal.score, e.x[i]);
      close(u.external.score, e.y[i]);
    });
    expectStatistics(body, e.x, e.y, e.nx, e.ny);
    // 13 units: exploratory below 30 (STATISTICS.md §1.7), but not "too few to conclude".
    expect(body.exploratory).toBe(true);
    expect(body.level).toBeNull();
    expect(body.perspective).toBe('member');
    expect(body.internal).toMatchObject({
      campaign: { id: internalId, wave: '2026-Q1' },
      questionKeys: ['sat'],
      metric: 'mean',
      scale: { min: 1, max: 5 },
      minResponses: K,
    });
    expect(body.external).toMatchObject({ questionKeys: ['sat'], metric: 'mean', minResponses: K });
    expect(body.summary).toContain(
      `Across ${KEPT.length} units, internal satisfaction and external satisfaction`,
    );
    expect(body.summary).toContain(`r = ${body.pearson.r.toFixed(2).replace('-', '−')}`);
    expect(body.summary).toContain('95 % CI');
    expect(body.summary).toContain('not proof');
    expect(body.summary).toContain('Exploratory: fewer than 30 units');
    expect(body.summary).not.toContain('too few to conclude');
    expect(res.text).not.toMatch(/NaN|Infinity/);
  });

  it('lists the excluded units; an internal group below k never shows its count', async () => {
    const body = (await linkage().expect(200)).body as Body;
    const reasons = Object.fromEntries(body.excluded.map((x: Body) => [x.unitCode, x.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['X1', 'X2', 'X3']);
    expect(reasons.X1).toBe('hidden to protect confidentiality');
    expect(reasons.X2).toBe('no internal responses');
    // X3 (6 internal answers) is the smallest group left in N: the release gate withholds it with
    // X1 (the smallest are withheld to protect a hidden neighbour), so N minus the released units
    // is X1 + X3 (9 varied answers), never X1 alone. The linkage only reads that decision.
    expect(reasons.X3).toBe('hidden to protect confidentiality; external n=3 < 5');
    expect(reasons.X1).not.toMatch(/\d+ </);
    expect(reasons.X1).not.toContain('3');
    expect(JSON.stringify(body)).not.toContain('"n":3,');
  });

  it('never goes below k on the internal side; the external side takes minResponses', async () => {
    const body = (await linkage({ minResponses: 3 }).expect(200)).body as Body;
    expect(body.internal.minResponses).toBe(K);
    expect(body.external.minResponses).toBe(3);
    expect(body.notes.join(' ')).toContain('below the anonymity threshold (5)');
    const reasons = Object.fromEntries(body.excluded.map((x: Body) => [x.unitCode, x.reason]));
    expect(reasons.X1).toBe('hidden to protect confidentiality');
    expect(reasons.X3).toBe('hidden to protect confidentiality');
    expect(reasons.X3).not.toContain('external');

    const strict = (await linkage({ minResponses: 8 }).expect(200)).body as Body;
    const r8 = Object.fromEntries(strict.excluded.map((x: Body) => [x.unitCode, x.reason]));
    expect(r8.X4).toBe('internal n=7 < 8; external n=7 < 8');
    expect(strict.units.map((u: Body) => u.unitCode)).toEqual(LEAVES);
  });

  it('rolls up to a level by adding the counts; n < 3 gives null statistics, never NaN', async () => {
    const res = await linkage({ level: 0 }).expect(200);
    const body = res.body as Body;
    expect(body.level).toBe(0);
    expect(body.units.map((u: Body) => u.unitCode)).toEqual(['N', 'S']);
    const members = {
      N: new Set([...LEAVES.slice(0, 6), 'X1', 'X2', 'X3', 'X4']),
      S: new Set(LEAVES.slice(6)),
    };
    for (const u of body.units as Body[]) {
      const iv = valuesOf(intR, 'sat', members[u.unitCode as 'N' | 'S']);
      const ev = valuesOf(extR, 'sat', members[u.unitCode as 'N' | 'S']);
      expect(u.internal.n).toBe(iv.length);
      expect(u.external.n).toBe(ev.length);
      close(u.internal.score, meanOf(iv));
      close(u.external.score, meanOf(ev));
    }
    for (const key of ['pearson', 'spearman', 'kendall', 'regression', 'weighted', 'partial']) {
      expect(body[key]).toBeNull();
    }
    expect(body.exploratory).toBe(true);
    expect(body.summary).toMatch(/^Only 2 units have enough responses on both sides; at least 3/);
    expect(res.text).not.toMatch(/NaN|Infinity/);

    // A level deeper than the tree changes nothing.
    const deep = (await linkage({ level: 5 }).expect(200)).body as Body;
    expect(deep.units.map((u: Body) => u.unitCode)).toEqual(KEPT);
  });

  it('provider perspective: a unit is scored by the ratings it received, people counted once', async () => {
    const body = (await linkage({ perspective: 'provider' }).expect(200)).body as Body;
    expect(body.units.map((u: Body) => u.unitCode)).toEqual(PROVIDERS);
    expect(body.internal.questionKeys).toEqual(['p1', 'p2', 'p3', 'p4', 'p1b']);
    // csat and ces mixed: every provider's mean is on 0–100 (percent of maximum possible).
    expect(body.internal.scale).toEqual({ min: 0, max: 100 });
    const pomp = (v: number, max: number) => ((v - 1) / (max - 1)) * 100;
    const x = PROVIDERS.map((_, j) =>
      meanOf([
        ...valuesOf(intR, `p${j + 1}`).map((v) => pomp(v, 5)),
        ...(j === 0 ? valuesOf(intR, 'p1b').map((v) => pomp(v, 7)) : []),
      ]),
    );
    const nx = PROVIDERS.map((_, j) => valuesOf(intR, `p${j + 1}`).length);
    const ev = PROVIDERS.map((c) => valuesOf(extR, 'sat', unitSet(c)));
    body.units.forEach((u: Body, i: number) => {
      expect(u.internal.n).toBe(nx[i]);
      close(u.internal.score, x[i]);
    });
    expectStatistics(
      body,
      x,
      ev.map(meanOf),
      nx,
      ev.map((v) => v.length),
    );
    expect(body.exploratory).toBe(true);
    expect(body.summary).toContain('the internal service ratings');
    expect(body.summary).toContain('Exploratory: fewer than 10 units, too few to conclude.');
    // The other units received no ratings.
    const reasons = Object.fromEntries(body.excluded.map((x: Body) => [x.unitCode, x.reason]));
    expect(reasons.U05).toBe('no internal responses');

    await linkage({ perspective: 'provider', internalQuestion: 'sat' }).expect(400);

    // Rolled up, the providers U01–U04 become N: distinct people who rated any of them.
    const rolled = (await linkage({ perspective: 'provider', level: 0 }).expect(200)).body as Body;
    expect(rolled.units.map((u: Body) => u.unitCode)).toEqual(['N']);
    const raters = intR.filter((r) => ['p1', 'p2', 'p3', 'p4'].some((k) => k in r.answers));
    expect(rolled.units[0].internal.n).toBe(raters.length);
    expect(rolled.pearson).toBeNull();
  });

  it('metric per side: internal top-box share, external NPS', async () => {
    const body = (
      await linkage({
        internalMetric: 'topbox',
        externalQuestion: 'nps',
        externalMetric: 'nps',
      }).expect(200)
    ).body as Body;
    const e = expected(KEPT, 'sat', 'nps', (v) => topBoxOf(v, 5), npsOf);
    body.units.forEach((u: Body, i: number) => {
      close(u.internal.score, e.x[i]);
      close(u.external.score, e.y[i]);
    });
    expectStatistics(body, e.x, e.y, e.nx, e.ny);
    expect(body.internal).toMatchObject({ metric: 'topbox', scale: { min: 0, max: 1 } });
    expect(body.external).toMatchObject({ metric: 'nps', scale: { min: -100, max: 100 } });
    expect(body.summary).toContain('the internal top-box share and external NPS');

    const both = (
      await linkage({ metric: 'nps', internalQuestion: 'nps', externalQuestion: 'nps' }).expect(200)
    ).body as Body;
    const e2 = expected(KEPT, 'nps', 'nps', npsOf, npsOf);
    expectStatistics(both, e2.x, e2.y, e2.nx, e2.ny);
    // A ces question has its own scale.
    const ces = (await linkage({ internalQuestion: 'effort' }).expect(200)).body as Body;
    expect(ces.internal.scale).toEqual({ min: 1, max: 7 });
  });

  it('writes the summary in Italian (lang or Accept-Language) with the exploratory warning', async () => {
    const it = (await linkage({ lang: 'it' }).expect(200)).body as Body;
    expect(it.lang).toBe('it');
    expect(it.summary).toContain(
      `Su ${KEPT.length} unità, la soddisfazione interna e la soddisfazione esterna`,
    );
    expect(it.summary).toContain('IC 95 %');
    expect(it.summary).toMatch(/r = −?\d,\d\d/);
    expect(it.summary).toContain('non la prova');
    // Exclusion reasons follow the language too, and never show a small internal count.
    const reasons = (it.excluded as Array<{ reason: string }>).map((x) => x.reason).join(' | ');
    expect(reasons).toContain('nascosto per tutelare la riservatezza');
    expect(reasons).not.toMatch(/interno n=[0-4]\b/);
    const header = await t
      .http()
      .get(`/api/linkage?internal=${internalId}&external=${externalId}&perspective=provider`)
      .set({ ...auth, 'Accept-Language': 'it-IT,it;q=0.9,en;q=0.5' })
      .expect(200);
    expect(header.body.summary).toContain('Analisi esplorativa: meno di 10 unità');
    const en = (await linkage({ perspective: 'provider', lang: 'en' }).expect(200)).body as Body;
    expect(en.summary).toContain('Exploratory');
  });

  it('refuses bad parameters with 400 and errors; unknown campaign 404', async () => {
    const cases: Array<[Record<string, string | number>, string]> = [
      [{ metric: 'median' }, 'metric'],
      [{ internalMetric: 'x' }, 'internalMetric'],
      [{ perspective: 'boss' }, 'perspective'],
      [{ level: -1 }, 'level'],
      [{ level: 'deep' }, 'level'],
      [{ minResponses: 0 }, 'minResponses'],
      [{ minResponses: 2.5 }, 'minResponses'],
      [{ lang: 'fr' }, 'lang'],
      [{ internal: externalId }, 'internal'],
      [{ external: internalId }, 'external'],
      [{ internalQuestion: 'comment' }, 'internalQuestion'],
      [{ internalQuestion: 'missing' }, 'internalQuestion'],
      [{ externalQuestion: 'Bad Key' }, 'externalQuestion'],
      [{ metric: 'nps' }, 'metric'],
      [{ internalMetric: 'nps' }, 'internalMetric'],
      [{ bogus: 1 }, 'bogus'],
    ];
    for (const [query, field] of cases) {
      const res = await linkage(query);
      expect([res.status, query]).toEqual([400, query]);
      expect(res.body.errors.map((e: Body) => e.field)).toContain(field);
    }
    await get(`/api/linkage?external=${externalId}`).expect(400);
    await linkage({ internal: UNKNOWN_ID }).expect(404);
    await linkage({ external: UNKNOWN_ID }).expect(404);
  });

  it('is readable by analysts; no token is 401', async () => {
    await linkage().set(analyst).expect(200);
    await get(`/api/linkage/drivers?internal=${internalId}&external=${externalId}`, analyst).expect(
      200,
    );
    await get(`/api/linkage/waves?internal=${internalId}&external=${externalId}`, analyst).expect(
      200,
    );
    await get(`/api/campaigns/${internalId}/service-map`, analyst).expect(200);
    await t.http().get(`/api/linkage?internal=${internalId}&external=${externalId}`).expect(401);
    await t.http().get(`/api/linkage/waves`).expect(401);
    await t.http().get(`/api/linkage/drivers`).expect(401);
    await t.http().get(`/api/campaigns/${internalId}/service-map`).expect(401);
  });

  it('drivers: each numeric internal question against the external headline, BH-adjusted, |r| first', async () => {
    const body = (
      await get(`/api/linkage/drivers?internal=${internalId}&external=${externalId}`).expect(200)
    ).body as Body;
    const keys = ['sat', 'q2', 'nps', 'effort'];
    const rows = keys.map((key) => {
      const e = expected(KEPT, key, 'sat', meanOf, meanOf);
      const test = pearson(e.x, e.y);
      return { key, n: e.x.length, test };
    });
    const adjusted = benjaminiHochberg(rows.map((r) => r.test?.p ?? null));
    const order = rows
      .map((r, i) => ({ ...r, adj: adjusted[i] }))
      .sort((a, b) => Math.abs(b.test?.r ?? 0) - Math.abs(a.test?.r ?? 0));
    expect(body.drivers.map((d: Body) => d.questionKey)).toEqual(order.map((o) => o.key));
    body.drivers.forEach((d: Body, i: number) => {
      expect(d.n).toBe(order[i].n);
      close(d.r, order[i].test?.r);
      close(d.p, order[i].test?.p);
      close(d.ci95[0], order[i].test?.ci?.lower);
      close(d.pAdjusted, order[i].adj);
      expect(d.text.en).toBe(`Question ${d.questionKey}`);
    });
    // Provider and text questions are no drivers.
    expect(body.drivers.map((d: Body) => d.questionKey)).not.toContain('p1');
    expect(body.drivers.map((d: Body) => d.questionKey)).not.toContain('comment');

    const nps = (
      await get(
        `/api/linkage/drivers?internal=${internalId}&external=${externalId}&internalMetric=nps`,
      ).expect(200)
    ).body as Body;
    expect(nps.drivers.map((d: Body) => d.questionKey)).toEqual(['nps']);
    expect(nps.skipped.map((s: Body) => s.questionKey).sort()).toEqual(['effort', 'q2', 'sat']);
    await get(`/api/linkage/drivers?internal=${externalId}&external=${externalId}`).expect(400);
    await get(`/api/linkage/drivers?internal=${internalId}&external=${UNKNOWN_ID}`).expect(404);
  });

  it('service map: ratings per rater × provider; a cell is shown only where the release gate grants its rater group for every pooled question', async () => {
    const res = await get(`/api/campaigns/${internalId}/service-map`).expect(200);
    const body = res.body as Body;
    expect(body.campaign).toMatchObject({ id: internalId, wave: '2026-Q1' });
    expect(body.providers.map((p: Body) => p.unitCode)).toEqual(PROVIDERS);
    // One decision for every endpoint (issue 7): a cell pools a rater unit's answers to the
    // provider's questions, so it is released only where each question's own group of that unit
    // is (at least k raters, at least k of them off the most common answer, not all on one side
    // of the top box, and not the one a hidden neighbour could be worked out from).
    const gate = releaseOf(intR);
    let suppressedCells = 0;
    let visibleCells = 0;
    for (const [j, provider] of (body.providers as Body[]).entries()) {
      const key = `p${j + 1}`;
      const keys = j === 0 ? ['p1', 'p1b'] : [key];
      const topFrom = (k: string) => (k === 'p1b' ? TOP_FROM.ces : TOP_FROM.csat);
      const all = valuesOf(intR, key);
      const pooled = (codes?: Set<string>) =>
        j === 0
          ? meanOf([
              ...valuesOf(intR, 'p1', codes).map((v) => ((v - 1) / 4) * 100),
              ...valuesOf(intR, 'p1b', codes).map((v) => ((v - 1) / 6) * 100),
            ])
          : meanOf(valuesOf(intR, key, codes));
      expect(keys.every((k) => gate.questionShown(k, null))).toBe(true);
      expect(provider).toMatchObject({
        questionKeys: keys,
        n: all.length,
        scale: j === 0 ? { min: 0, max: 100 } : { min: 1, max: 5 },
      });
      close(provider.mean, pooled());
      const cells = (body.cells as Body[]).filter((c) => c.providerUnitCode === provider.unitCode);
      const raterCodes = [
        ...new Set(intR.filter((r) => r.answers[key] !== undefined).map((r) => r.unitCode)),
      ];
      expect(cells.map((c) => c.raterUnitCode).sort()).toEqual(raterCodes.sort());
      const granted = (code: string) =>
        keys.every((k) => gate.questionOwnShown(k, (units.get(code) as FixtureUnit).id));
      let visible = 0;
      for (const c of cells) {
        const values = valuesOf(intR, key, unitSet(c.raterUnitCode));
        if (!granted(c.raterUnitCode)) {
          expect(c).toEqual({
            raterUnitCode: c.raterUnitCode,
            providerUnitCode: provider.unitCode,
            suppressed: true,
          });
          suppressedCells++;
        } else {
          // A released cell is safe on its own, whatever the gate computed.
          for (const k of keys) {
            const own = valuesOf(intR, k, unitSet(c.raterUnitCode));
            expect([k, c.raterUnitCode, variedEnough(own, K, topFrom(k))]).toEqual([
              k,
              c.raterUnitCode,
              true,
            ]);
          }
          expect(c.n).toBe(values.length);
          close(c.mean, pooled(unitSet(c.raterUnitCode)));
          visible += c.n;
          visibleCells++;
        }
      }
      // Differencing: the provider total minus the released cells never isolates fewer than k.
      const rest = provider.n - visible;
      expect(rest === 0 || rest >= K).toBe(true);
    }
    // Both branches are exercised: cells of fewer than k raters (or too uniform) are hidden, the
    // larger varied ones released.
    expect(suppressedCells).toBeGreaterThan(1);
    expect(visibleCells).toBeGreaterThan(0);
    expect(body.raters.map((r: Body) => r.unitCode)).toEqual([...LEAVES, 'X1', 'X3', 'X4']);

    const rolled = (await get(`/api/campaigns/${internalId}/service-map?level=0`).expect(200))
      .body as Body;
    expect(rolled.raters.map((r: Body) => r.unitCode)).toEqual(['N', 'S']);
    const nCells = (rolled.cells as Body[]).filter((c) => c.providerUnitCode === 'U01');
    const nSet = new Set([...LEAVES.slice(0, 6), 'X1', 'X3', 'X4']);
    expect(nCells.find((c) => c.raterUnitCode === 'N')?.n).toBe(valuesOf(intR, 'p1', nSet).length);

    await get(`/api/campaigns/${externalId}/service-map`).expect(400);
    await get(`/api/campaigns/${UNKNOWN_ID}/service-map`).expect(404);
    await get(`/api/campaigns/${internalId}/service-map?level=-2`).expect(400);
    await get(`/api/campaigns/${internalId}/service-map?foo=1`).expect(400);
  });

  it('waves: lag 0 and 1 pairs, the per-wave trend and the cross-lagged panel', async () => {
    const series = `internal=${internalId},${internal2Id}&external=${externalId},${external2Id}`;
    const body = (await get(`/api/linkage/waves?${series}`).expect(200)).body as Body;
    expect(body.waves).toEqual(['2026-Q1', '2026-Q2']);
    expect(body.lag).toBe(0);
    expect(body.pairs).toHaveLength(2);
    const q1 = expected(KEPT, 'sat', 'sat', meanOf, meanOf);
    const q2 = expected(KEPT, 'sat', 'sat', meanOf, meanOf, intR2, extR2);
    close(body.pairs[0].pearson.r, pearson(q1.x, q1.y)?.r);
    close(body.pairs[1].pearson.r, pearson(q2.x, q2.y)?.r);
    expect(body.pairs[0]).toMatchObject({
      internalWave: '2026-Q1',
      externalWave: '2026-Q1',
      n: KEPT.length,
    });
    expect(body.pairs[0].summary).toContain('Across 13 units');

    // Trend: campaign-wide headline scores.
    close(body.trend[0].internal.score, meanOf(valuesOf(intR, 'sat')));
    close(body.trend[1].external.score, meanOf(valuesOf(extR2, 'sat')));
    expect(body.trend[0].internal.n).toBe(valuesOf(intR, 'sat').length);

    // The panel over the units kept in both waves.
    expect(body.panels).toHaveLength(1);
    const panel = body.panels[0];
    const expectedPanel = crossLaggedPanel({ x1: q1.x, y1: q1.y, x2: q2.x, y2: q2.y });
    expect(panel.unitCodes).toEqual(KEPT);
    expect(panel.n).toBe(KEPT.length);
    close(panel.synchronous.wave1.r, expectedPanel?.synchronous.wave1.r);
    close(panel.synchronous.wave2.r, expectedPanel?.synchronous.wave2.r);
    close(panel.stability.internal.r, expectedPanel?.stability.x.r);
    close(panel.stability.external.r, expectedPanel?.stability.y.r);
    close(panel.crossLagged.internalLeads.r, expectedPanel?.crossLagged.x1y2.r);
    close(panel.crossLagged.externalLeads.r, expectedPanel?.crossLagged.y1x2.r);
    close(panel.crossLagged.steiger.z, expectedPanel?.crossLagged.difference?.z);
    close(panel.crossLagged.steiger.p, expectedPanel?.crossLagged.difference?.p);
    close(
      panel.regression.external.crossLagged.beta,
      expectedPanel?.regression.y2?.crossLagged.beta,
    );
    close(
      panel.regression.internal.autoregressive.beta,
      expectedPanel?.regression.x2?.autoregressive.beta,
    );
    expect(panel.summary).toMatch(/^Between 2026-Q1 and 2026-Q2, across 13 units, /);
    expect(panel.summary).toMatch(/leading|following|do not show which one leads/);

    // Lag 1: internal Q1 with external Q2.
    const lagged = (await get(`/api/linkage/waves?${series}&lag=1`).expect(200)).body as Body;
    expect(lagged.pairs).toHaveLength(1);
    expect(lagged.pairs[0]).toMatchObject({ internalWave: '2026-Q1', externalWave: '2026-Q2' });
    const cross = expected(KEPT, 'sat', 'sat', meanOf, meanOf, intR, extR2);
    close(lagged.pairs[0].pearson.r, pearson(cross.x, cross.y)?.r);
    close(lagged.pairs[0].pearson.p, pearson(cross.x, cross.y)?.p);

    // The same series chosen by name prefix; Italian panel sentence.
    const byPrefix = (
      await get('/api/linkage/waves?internalPrefix=Series&externalPrefix=Series&lang=it').expect(
        200,
      )
    ).body as Body;
    expect(byPrefix.series.internal.map((c: Body) => c.id)).toEqual([internalId, internal2Id]);
    close(byPrefix.panels[0].crossLagged.steiger.z, expectedPanel?.crossLagged.difference?.z);
    expect(byPrefix.panels[0].summary).toMatch(/^Tra 2026-Q1 e 2026-Q2, su 13 unità, /);

    // Two campaigns of one audience and wave: the most recently created one is used.
    const db = t.app.get(Db);
    const older = await insertCampaign(db, {
      audience: 'internal',
      name: 'Dup older',
      wave: '2027-Q1',
      questions: [{ key: 'sat', type: 'csat' }],
      responses: [],
      units,
    });
    const newer = await insertCampaign(db, {
      audience: 'internal',
      name: 'Dup newer',
      wave: '2027-Q1',
      questions: [{ key: 'sat', type: 'csat' }],
      responses: [],
      units,
    });
    const dup = (await get('/api/linkage/waves?internalPrefix=Dup&externalPrefix=Dup').expect(200))
      .body as Body;
    expect(dup.series.internal).toEqual([
      expect.objectContaining({ id: newer, skipped: [expect.objectContaining({ id: older })] }),
    ]);
    expect(dup.pairs).toEqual([]);
    expect(dup.panels).toEqual([]);
    expect(dup.trend).toEqual([
      { wave: '2027-Q1', internal: { campaignId: newer, n: 0, score: null }, external: null },
    ]);

    for (const bad of ['lag=-1', 'lag=9', 'lag=x', `internal=${externalId}`, 'metric=bad']) {
      await get(`/api/linkage/waves?${bad}`).expect(400);
    }
    await get(`/api/linkage/waves?internal=${UNKNOWN_ID}`).expect(404);
  });

  it('aggregates in the database: no query returns more rows than units × questions × scale points', async () => {
    const db = t.app.get(Db);
    const big = await insertUnits(db, [
      { code: 'BIG1', parentCode: null },
      { code: 'BIG2', parentCode: null },
      { code: 'BIG3', parentCode: null },
      { code: 'BIG4', parentCode: null },
    ]);
    const rnd = generator(99);
    // Internal answers from 1, 2, 3 and 1 up to 5 (not 4–5 for BIG4: a unit all in the top box
    // is hidden by the release gate, issue 7, and its neighbour with it).
    const iR = ['BIG1', 'BIG2', 'BIG3', 'BIG4'].flatMap((c, i) =>
      responsesOf(c, 500, { sat: [1 + (i % 3), 5] }, rnd),
    );
    const eR = ['BIG1', 'BIG2', 'BIG3', 'BIG4'].flatMap((c, i) =>
      responsesOf(c, 500, { sat: [1, 5 - (i % 2)] }, rnd),
    );
    const bigUnits = new Map([...units, ...big]);
    const iId = await insertCampaign(db, {
      audience: 'internal',
      name: 'Big internal',
      questions: [{ key: 'sat', type: 'csat' }],
      responses: iR,
      units: bigUnits,
    });
    const eId = await insertCampaign(db, {
      audience: 'external',
      name: 'Big external',
      questions: [{ key: 'sat', type: 'csat' }],
      responses: eR,
      units: bigUnits,
    });
    const manager = db.manager;
    const original = manager.query.bind(manager);
    const sizes: number[] = [];
    jest.spyOn(manager, 'query').mockImplementation((async (
      ...args: Parameters<typeof original>
    ) => {
      const rows: unknown = await original(...args);
      // The unit list (the tree, for roll-ups and the disclosure plan) is not response data.
      if (!/FROM\s+"?units"?(\s|$)/i.test(String(args[0])) || /JOIN/i.test(String(args[0])))
        sizes.push(Array.isArray(rows) ? rows.length : 0);
      return rows;
    }) as never);
    try {
      const body = (await get(`/api/linkage?internal=${iId}&external=${eId}`).expect(200))
        .body as Body;
      expect(body.units.map((u: Body) => u.unitCode)).toEqual(['BIG1', 'BIG2', 'BIG3', 'BIG4']);
      body.units.forEach((u: Body, i: number) => {
        const code = `BIG${i + 1}`;
        expect(u.internal.n).toBe(500);
        close(u.internal.score, meanOf(valuesOf(iR, 'sat', unitSet(code))));
        close(u.external.score, meanOf(valuesOf(eR, 'sat', unitSet(code))));
      });
    } finally {
      jest.restoreAllMocks();
    }
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    // 4 units × 5 scale points per side; 2,000 responses on each side were never loaded.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4 * 5);
  });
});
