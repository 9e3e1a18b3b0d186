/**
 * Issue 7, "Statistics honesty": the exact Spearman p for few units, p-values never rounded across
 * 0.05, the small-n caution and the interval's width in words (STATISTICS.md §1.7), a reason next
 * to every null statistic (en, it), and one set of figures per wave pair on the waves and linkage
 * pages (or the page says why they differ).
 */
import { Db } from '../../src/database/db.js';
import { pValueText } from '../../src/linkage/linkage-summary.js';
import { pearson, spearman } from '../../src/stats/index.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, signIn } from '../helpers/auth.js';
import {
  generator,
  insertCampaign,
  insertUnits,
  TOP_FROM,
  variedEnough,
  variedValues,
  type FixtureQuestion,
  type FixtureResponse,
  type FixtureUnit,
} from '../helpers/linkage-company.js';

type Body = Record<string, any>;
const QUESTIONS: FixtureQuestion[] = [{ key: 'sat', type: 'csat' }];
const K = 5;
const CODES = Array.from({ length: 14 }, (_, i) => `H${String(i + 1).padStart(2, '0')}`);

/**
 * Fifteen respondents per unit, five on each value of a triple: every unit has the same count on
 * both sides (so unit size cannot be controlled for), and every unit is varied enough for the
 * release gate (issue 7): at least five answers differ from the most common one, and five to ten
 * are in the top box (4–5), never none nor all. So no unit is hidden and every test sees all its
 * units. The means rise with the triple: 2, 2.33, 2.67, 3, 3.33, 3.67, 4 (the first is [1, 1, 4],
 * not [1, 2, 3], which would put nobody in the top box).
 */
const TRIPLES: Array<[number, number, number]> = [
  [1, 1, 4],
  [1, 2, 4],
  [1, 3, 4],
  [2, 3, 4],
  [2, 3, 5],
  [2, 4, 5],
  [3, 4, 5],
];
function triples(codes: string[], order: number[]): FixtureResponse[] {
  return codes.flatMap((unitCode, i) =>
    TRIPLES[order[i]].flatMap((value) =>
      Array.from({ length: 5 }, () => ({ unitCode, answers: { sat: value } })),
    ),
  );
}
const meanOf = (triple: number[]) => triple.reduce((a, b) => a + b, 0) / triple.length;
// The fixture itself, checked: every triple's unit (five answers on each value) may be released.
const answersOf = (triple: number[]) => triple.flatMap((v) => [v, v, v, v, v]);
for (const triple of TRIPLES) {
  if (!variedEnough(answersOf(triple), K, TOP_FROM.csat)) {
    throw new Error(`triple ${triple.join(',')} would be hidden by the release gate`);
  }
}

/** Decodes what Handlebars escapes, to compare page text with JSON strings. */
const text = (html: string) =>
  html
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe.each(dbKinds())('statistics honesty (%s)', (kind) => {
  let t: TestApp;
  let auth: Record<string, string>;
  let admin: Agent;
  let units: Map<string, FixtureUnit>;
  const ids: Record<string, string> = {};

  const get = (path: string) => t.http().get(path).set(auth);
  const linkage = (pair: string, query = '') =>
    get(`/api/linkage?internal=${ids[`${pair}i`]}&external=${ids[`${pair}e`]}${query}`);

  beforeAll(async () => {
    t = await startApp(kind);
    auth = bearer(t.adminToken);
    const db = t.app.get(Db);
    units = await insertUnits(
      db,
      CODES.map((code) => ({ code, parentCode: null })),
    );
    const add = async (
      key: string,
      audience: 'internal' | 'external',
      wave: string,
      responses: FixtureResponse[],
    ) => {
      ids[key] = await insertCampaign(db, {
        audience,
        wave,
        name: `${key} ${wave}`,
        questions: QUESTIONS,
        responses,
        units,
      });
    };
    // Three units, both sides rising together: ρ = 1, exact two-sided p = 2/3! = 1/3.
    await add('three i', 'internal', '2029-Q1', triples(CODES.slice(0, 3), [0, 1, 2]));
    // (External means 2, 2.33, 4: the same order, not on a line, so Pearson's r is below 1.)
    await add('three e', 'external', '2029-Q1', triples(CODES.slice(0, 3), [0, 1, 6]));
    // Five units, the last two swapped outside: Σd² = 2, ρ = 0.9, exact p = 2·5/120 = 1/12.
    await add('five i', 'internal', '2029-Q2', triples(CODES.slice(0, 5), [0, 1, 2, 3, 4]));
    await add('five e', 'external', '2029-Q2', triples(CODES.slice(0, 5), [0, 1, 2, 4, 3]));
    // Two waves whose first has internal = external in every unit (collinear wave 1).
    await add('col1 i', 'internal', '2030-Q1', triples(CODES.slice(0, 6), [0, 1, 2, 3, 4, 5]));
    await add('col1 e', 'external', '2030-Q1', triples(CODES.slice(0, 6), [0, 1, 2, 3, 4, 5]));
    await add('col2 i', 'internal', '2030-Q2', triples(CODES.slice(0, 6), [2, 0, 5, 1, 6, 3]));
    await add('col2 e', 'external', '2030-Q2', triples(CODES.slice(0, 6), [1, 3, 0, 6, 2, 5]));
    // Two waves: 14 units in the first, 12 in the second (H13 and H14 did not take part). Random
    // answers, drawn varied enough for the release gate (issue 7) so that no unit is hidden.
    const rnd = generator(7);
    const random = (codes: string[]) =>
      codes.flatMap((unitCode, i) =>
        variedValues(12 + (i % 4), [1 + (i % 3), 5], TOP_FROM.csat, K, rnd).map((sat) => ({
          unitCode,
          answers: { sat },
        })),
      );
    await add('wav1 i', 'internal', '2031-Q1', random(CODES));
    await add('wav1 e', 'external', '2031-Q1', random(CODES));
    await add('wav2 i', 'internal', '2031-Q2', random(CODES.slice(0, 12)));
    await add('wav2 e', 'external', '2031-Q2', random(CODES.slice(0, 12)));
    admin = await signIn(t);
  }, 120_000);
  afterAll(() => t.close());

  it('Spearman: the exact permutation p for 3 units with ρ = 1 is 1/3, not "p < 0.001"', async () => {
    const body = (await linkage('three ').expect(200)).body as Body;
    expect(body.n).toBe(3);
    expect(body.spearman).toEqual({ rho: 1, p: 1 / 3, method: 'exact' });
    expect(body.pearson.r).toBeLessThan(1);
    // Before: p = 5e-324 (the smallest double), printed "p < 0.001".
    expect(body.spearman.p).not.toBe(Number.MIN_VALUE);
    const page = text(
      (
        await admin
          .get(`/reports/linkage?internal=${ids['three i']}&external=${ids['three e']}`)
          .expect(200)
      ).text,
    );
    expect(page).toMatch(
      /Spearman ρ \(exact p\)<\/th><td class="num">1\.00<\/td><td class="num"><\/td><td class="num">0\.33</,
    );
    const it = text(
      (
        await admin
          .get(`/reports/linkage?internal=${ids['three i']}&external=${ids['three e']}&lang=it`)
          .expect(200)
      ).text,
    );
    expect(it).toContain('ρ di Spearman (p esatto)');
    expect(it).toContain('0,33');
  });

  it('Spearman: 5 units with one adjacent swap give the exact p = 1/12 (as R)', async () => {
    const body = (await linkage('five ').expect(200)).body as Body;
    expect(body.n).toBe(5);
    expect(body.spearman.method).toBe('exact');
    expect(Math.abs(body.spearman.rho - 0.9)).toBeLessThan(1e-12);
    expect(Math.abs(body.spearman.p - 1 / 12)).toBeLessThan(1e-12);
    const x = [0, 1, 2, 3, 4].map((i) => meanOf(TRIPLES[i]));
    const y = [0, 1, 2, 4, 3].map((i) => meanOf(TRIPLES[i]));
    expect(body.spearman.p).toBe(spearman(x, y, { method: 'auto' })?.p);
  });

  it('summary: p with two significant digits, never rounded across 0.05, in en and it', async () => {
    for (const pair of ['three ', 'five ', 'wav1 ']) {
      for (const lang of ['en', 'it'] as const) {
        const body = (await linkage(pair, `&lang=${lang}`).expect(200)).body as Body;
        const p = pValueText(body.pearson.p, lang);
        expect(body.summary).toContain(p.startsWith('<') ? `p ${p}` : `p = ${p}`);
        if (body.pearson.p < 0.05) expect(body.summary).not.toMatch(/p = 0[.,]05\b/);
      }
    }
  });

  it('summary: exploratory below 30 units, too few below 10, the interval in words (§1.7)', async () => {
    const three = (await linkage('three ').expect(200)).body as Body;
    expect(three.exploratory).toBe(true);
    expect(three.summary).toContain('Exploratory: fewer than 10 units, too few to conclude.');
    expect(three.summary).toContain('With 3 units there is no 95 % interval');
    expect(three.nullReasons['pearson.ci95'].en).toBe(
      'no 95 % interval with 3 units: it needs at least 4',
    );

    const fourteen = (await linkage('wav1 ').expect(200)).body as Body;
    expect(fourteen.n).toBe(14);
    expect(fourteen.exploratory).toBe(true);
    expect(fourteen.summary).toContain(
      'Exploratory: fewer than 30 units, so the estimate is imprecise; treat it as a lead to check, not a finding.',
    );
    expect(fourteen.summary).toMatch(
      /The 95 % interval is (narrow|fairly wide|wide) \(\d\.\d\d wide\)/,
    );
    const it = (await linkage('wav1 ', '&lang=it').expect(200)).body as Body;
    expect(it.summary).toContain('Analisi esplorativa: meno di 30 unità');
    expect(it.summary).toMatch(
      /L'intervallo al 95 % è (stretto|piuttosto ampio|ampio) \(ampiezza \d,\d\d\)/,
    );

    const page = text(
      (
        await admin
          .get(`/reports/linkage?internal=${ids['wav1 i']}&external=${ids['wav1 e']}`)
          .expect(200)
      ).text,
    );
    expect(page).toContain('With fewer than 30 units a correlation is imprecise');
  });

  it('partial r with equal counts in every unit is null, and says why (JSON and page, en and it)', async () => {
    const body = (await linkage('five ').expect(200)).body as Body;
    expect(body.units.every((u: Body) => u.internal.n === 15 && u.external.n === 15)).toBe(true);
    expect(body.partial).toBeNull();
    expect(body.pearson).not.toBeNull();
    expect(body.nullReasons.partial).toEqual({
      code: 'equalSizes',
      en: 'every unit has the same number of respondents, so there is no unit size to control for',
      it: "tutte le unità hanno lo stesso numero di rispondenti: non c'è una dimensione delle unità da tenere sotto controllo",
    });
    // Every null statistic has a reason, and only those.
    for (const key of ['pearson', 'spearman', 'kendall', 'regression', 'weighted', 'partial']) {
      expect([key, body[key] === null]).toEqual([key, key in body.nullReasons]);
    }
    const url = `/reports/linkage?internal=${ids['five i']}&external=${ids['five e']}`;
    expect(text((await admin.get(url).expect(200)).text)).toContain(
      'Why: every unit has the same number of respondents, so there is no unit size to control for',
    );
    expect(text((await admin.get(`${url}&lang=it`).expect(200)).text)).toContain(
      'Perché: tutte le unità hanno lo stesso numero di rispondenti',
    );
  });

  it('panel regressions on collinear waves are null, and say why', async () => {
    const body = (
      await get(
        `/api/linkage/waves?internal=${ids['col1 i']},${ids['col2 i']}&external=${ids['col1 e']},${ids['col2 e']}`,
      ).expect(200)
    ).body as Body;
    expect(body.panels).toHaveLength(1);
    const panel = body.panels[0];
    expect(panel.synchronous.wave1.r).toBe(1);
    expect(panel.regression).toEqual({ external: null, internal: null });
    expect(panel.nullReasons['regression.external'].code).toBe('collinearWaves');
    expect(panel.nullReasons['regression.internal'].en).toBe(
      'the internal and external scores of 2030-Q1 are exactly in line across the units (collinear), so their separate effects on 2030-Q2 cannot be told apart',
    );
    expect(panel.nullReasons['regression.internal'].it).toContain('collineari');
    // The waves page lists every launched campaign: the 2030-Q1 → 2030-Q2 panel is on it.
    const page = text((await admin.get('/reports/linkage/waves').expect(200)).text);
    expect(page).toContain(
      'Why: the internal and external scores of 2030-Q1 are exactly in line across the units (collinear)',
    );
    const it = text((await admin.get('/reports/linkage/waves?lang=it').expect(200)).text);
    expect(it).toContain(
      'Perché: in 2030-Q1 i punteggi interni ed esterni sono perfettamente allineati',
    );
  });

  it('a wave pair gives the same n, r, interval and p on the waves and the linkage endpoints and pages', async () => {
    const series = `internal=${ids['wav1 i']},${ids['wav2 i']}&external=${ids['wav1 e']},${ids['wav2 e']}`;
    const waves = (await get(`/api/linkage/waves?${series}`).expect(200)).body as Body;
    expect(waves.pairs.map((p: Body) => p.n)).toEqual([14, 12]);
    for (const pair of waves.pairs as Body[]) {
      expect(pair.unitSet).toBe('pair');
      const direct = (
        await get(
          `/api/linkage?internal=${pair.internalCampaignId}&external=${pair.externalCampaignId}`,
        ).expect(200)
      ).body as Body;
      expect(pair.n).toBe(direct.n);
      expect(pair.pearson).toEqual(direct.pearson);
      expect(pair.summary).toBe(direct.summary);
    }
    // The panel uses the 12 units of both waves: its synchronous r of wave 1 is not the pair's,
    // and the response and the page say so, naming the units left out.
    const panel = waves.panels[0];
    expect(panel.unitSet).toBe('bothWaves');
    expect(panel.n).toBe(12);
    expect(panel.leftOut).toEqual({ wave1: ['H13', 'H14'], wave2: [] });
    expect(panel.synchronous.wave1.r).not.toBeCloseTo(waves.pairs[0].pearson.r, 6);
    const q1 = (await linkage('wav1 ').expect(200)).body as Body;
    const common = (q1.units as Body[]).filter((u) => !['H13', 'H14'].includes(u.unitCode));
    expect(panel.synchronous.wave1.r).toBeCloseTo(
      pearson(
        common.map((u) => u.internal.score),
        common.map((u) => u.external.score),
      )!.r,
      12,
    );
    expect(panel.unitSetNote).toBe(
      "This panel uses only the 12 units kept in both 2031-Q1 and 2031-Q2 (left out because the other wave lacks them: 2031-Q1: H13, H14); so its synchronous r for a wave can differ from that wave's pair, which uses every unit kept in that wave.",
    );

    // The pages: the waves page's pair row shows the linkage page's figures and states the rule.
    const page = text((await admin.get('/reports/linkage/waves').expect(200)).text);
    expect(page).toContain(panel.unitSetNote);
    expect(page).toContain('Each pair uses every unit kept for its two campaigns');
    const row = new RegExp(
      `<td>2031-Q1</td><td>2031-Q1</td><td class="num">14</td><td class="num">([^<]+)</td><td class="num">([^<]+)</td><td class="num">([^<]+)</td>`,
    ).exec(page);
    expect(row).not.toBeNull();
    const linkagePage = text(
      (
        await admin
          .get(`/reports/linkage?internal=${ids['wav1 i']}&external=${ids['wav1 e']}`)
          .expect(200)
      ).text,
    );
    const stats =
      /Pearson r<\/th><td class="num">([^<]+)<\/td><td class="num">([^<]+)<\/td><td class="num">([^<]+)<\/td>/.exec(
        linkagePage,
      );
    expect(stats?.slice(1)).toEqual(row?.slice(1));
    const it = text((await admin.get('/reports/linkage/waves?lang=it').expect(200)).text);
    expect(it).toContain(
      'Questo pannello usa solo le 12 unità considerate sia in 2031-Q1 sia in 2031-Q2',
    );
  });
});
