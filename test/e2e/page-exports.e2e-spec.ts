// The CSV and XLSX downloads of the /reports pages (issue 9 "Exports from the browser"): each
// holds exactly the page's figures (a group the page hides is hidden in the file too), the XLSX
// opens and says the same as the CSV, text cells are safe, and access is the page's.
import { formatNumber, formatPercent } from '../../src/common/format.js';
import { Db } from '../../src/database/db.js';
import { reportStrings } from '../../src/reports/report-pages.i18n.js';
import { fixed } from '../../src/reports/page-exports.js';
import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, signIn } from '../helpers/auth.js';
import { type DemoCampaign, seedDemoCompany, spreadDemoBranches } from '../helpers/companies.js';
import { byFirst, bytes, csvTables, type Table, xlsxSheets } from '../helpers/exports.js';
import {
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
  type ReportResponseSpec,
} from '../helpers/factories.js';

const ANALYST = { email: 'exports-analyst@example.com', password: 'analyst password 9' };
const t = reportStrings('en');
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const unescapeHtml = (html: string) =>
  html
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Every `<tr>` of the first table after `marker`, as the texts of its th/td cells. */
function htmlRows(html: string, marker: string): string[][] {
  const at = html.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html.slice(at))![1];
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      unescapeHtml(c[1].replace(/<[^>]+>/g, '').trim()),
    ),
  );
}

/** A CSV number cell written as the page writes it. */
const num = (v: string, digits: number, min = digits) =>
  v === '' ? '–' : formatNumber(Number(v), 'en', digits, min);
const pctOf = (v: string) => (v === '' ? '–' : formatPercent(Number(v) / 100, 'en'));

/** Every CSV table equals the XLSX sheet of the same name, cell by cell, numbers as numbers. */
async function expectSameWorkbook(csv: Map<string, Table>, xlsx: Buffer): Promise<void> {
  const sheets = await xlsxSheets(xlsx);
  expect([...sheets.keys()]).toEqual([...csv.keys()]);
  for (const [name, table] of csv) {
    const sheet = sheets.get(name)!;
    const width = table.columns.length;
    const cells = sheet.map((r) => Array.from({ length: width }, (_, i) => r?.[i] ?? null));
    const expected = [table.columns, ...table.rows].map((r) =>
      Array.from({ length: width }, (_, i) => r[i] ?? ''),
    );
    expect(cells.length).toBe(expected.length);
    cells.forEach((row, i) =>
      row.forEach((v, j) => {
        const want = expected[i][j];
        if (name === 'about' && i === 1) return; // generated_at: each file's own instant
        if (typeof v === 'number') expect([name, i, j, String(v)]).toEqual([name, i, j, want]);
        else expect([name, i, j, v ?? '']).toEqual([name, i, j, want]);
        // A number in the CSV is a number cell in the XLSX (not text), and text stays text.
        if (i > 0 && want !== '' && /^-?\d+(\.\d+)?$/.test(want) && name !== 'about')
          expect([name, i, j, typeof v]).toEqual([name, i, j, 'number']);
      }),
    );
  }
}

describe.each(dbKinds())('page exports (%s)', (kind) => {
  let app: TestApp;
  let internal: DemoCampaign;
  let external: DemoCampaign;
  let small: string;
  let tricky: string;
  let admin: Agent;
  let analyst: Agent;
  const pair = () => `internal=${internal.id}&external=${external.id}`;

  /** The page, its CSV (parsed) and its XLSX, fetched by `who`; the XLSX checked against the CSV. */
  async function pageAndFiles(url: string, who: Agent = analyst) {
    const [path, query] = url.split('?');
    const q = query ? `?${query}` : '';
    const page = await who.get(url).expect(200);
    const csv = await bytes(who.get(`${path}.csv${q}`));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="[A-Za-z0-9.-]+-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(csv.headers['cache-control']).toBe('no-store');
    const xlsx = await bytes(who.get(`${path}.xlsx${q}`));
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(XLSX_TYPE);
    expect(xlsx.headers['content-disposition']).toMatch(/\.xlsx"$/);
    const tables = csvTables(csv.body);
    await expectSameWorkbook(tables, xlsx.body);
    // The page offers both files, with its options kept.
    const found = /<p class="actions rp-export rp-downloads">[\s\S]*?<\/p>/.exec(page.text)?.[0];
    expect(found).toBeDefined();
    const links = unescapeHtml(found!);
    const href = (ext: string) => `${path}.${ext}?${query ? `${query}&` : ''}lang=en`;
    expect(links).toContain(`href="${href('csv')}"`);
    expect(links).toContain(`href="${href('xlsx')}"`);
    return { html: page.text, tables };
  }

  beforeAll(async () => {
    app = await startApp(kind, { MIN_GROUP_SIZE: '5', MIN_COMMENT_GROUP_SIZE: '12' });
    ({ internal, external } = await seedDemoCompany(app));
    await spreadDemoBranches(app, internal);
    const db = app.app.get(Db);
    // A small closed internal campaign: two units of 6 varied answers, one unit of 2 (below k).
    const units = [
      await insertUnitWith(db, { code: 'XA' }),
      await insertUnitWith(db, { code: 'XB' }),
      await insertUnitWith(db, { code: 'XC' }),
    ];
    small = await insertReportCampaign(db, {
      audience: 'internal',
      name: 'Small internal',
      questions: [{ key: 'sat', type: 'csat' }],
    });
    const spread = [1, 2, 3, 4, 5, 2];
    const responses: ReportResponseSpec[] = [
      ...spread.map((sat) => ({ unitId: units[0], answers: { sat } })),
      ...spread.map((sat) => ({ unitId: units[1], answers: { sat: 6 - sat } })),
      { unitId: units[2], answers: { sat: 5 } },
      { unitId: units[2], answers: { sat: 4 } },
    ];
    await insertReportResponses(db, small, responses);
    // An external campaign whose texts try formula injection.
    const evil = await insertUnitWith(db, { code: '=EVIL' });
    tricky = await insertReportCampaign(db, {
      audience: 'external',
      name: '=Tricky "buyers" 2026',
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'why', type: 'text' },
      ],
    });
    await insertReportResponses(
      db,
      tricky,
      ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(1)', ' =1', 'plain'].map((why, i) => ({
        unitId: evil,
        answers: { sat: 1 + i, why },
      })),
    );
    await createAnalyst(app, ANALYST);
    admin = await signIn(app);
    analyst = await signIn(app, ANALYST);
  }, 240_000);
  afterAll(() => app.close());

  it('campaign results: the questions and the units of the page, hidden groups hidden', async () => {
    for (const id of [internal.id, external.id, small]) {
      const { html, tables } = await pageAndFiles(`/reports/campaigns/${id}`);
      // Units: same order, same figures; a unit the page hides has no number in the file.
      const pageUnits = htmlRows(html, '<table class="rp-units">');
      const fileUnits = tables.get('units')!;
      expect(fileUnits.columns).toEqual([
        'unit_code',
        'unit',
        'status',
        'n',
        'headline_mean',
        'headline_nps',
      ]);
      expect(fileUnits.rows.length).toBe(pageUnits.length);
      pageUnits.forEach(([head, ...cells], i) => {
        const [code, name, status, n, mean, nps] = fileUnits.rows[i];
        // The page shows an NPS headline as NPS, any other as the mean.
        const headline = nps !== null && nps !== undefined && nps !== '' ? nps : mean;
        const digits = headline === nps ? 1 : 2;
        expect(head).toBe(`${name} ${code}`);
        if (cells[0] === t.hidden.replace('{k}', '5') || cells[0].startsWith('hidden')) {
          expect([code, status, n ?? '', headline ?? '']).toEqual([code, 'hidden', '', '']);
        } else if (cells[0] === t.noData) {
          expect([code, status, n ?? '', headline ?? '']).toEqual([code, 'no_data', '', '']);
        } else {
          expect([code, status, num(n, 0), num(headline, digits, digits === 1 ? 0 : 2)]).toEqual([
            code,
            'shown',
            cells[0],
            cells[1],
          ]);
        }
      });
      // Questions: the answers count and the mean of every card, or hidden.
      const cards = [...html.matchAll(/<h3 id="q-\d+-h">([\s\S]*?)<\/h3>([\s\S]*?)<\/section>/g)];
      const questions = tables.get('questions')!;
      expect(questions.rows.length).toBe(cards.length);
      cards.forEach((card, i) => {
        const row = Object.fromEntries(
          questions.columns.map((c, j) => [c, questions.rows[i][j] ?? '']),
        );
        expect(row.question).toBe(unescapeHtml(card[1]));
        const dd = (label: string) =>
          new RegExp(`<dt>${label}</dt><dd>([^<]*)`).exec(card[2])?.[1]?.trim() ?? null;
        if (card[2].includes('class="rp-hidden"')) {
          expect([row.status, row.n, row.mean]).toEqual(['hidden', '', '']);
        } else if (dd(t.answers) === null) {
          expect(row.status).toBe('no_data');
        } else {
          expect(num(row.n, 0)).toBe(dd(t.answers));
          expect(row.mean === '' ? null : num(row.mean, 2)).toBe(dd(t.mean));
          expect(row.nps === '' ? null : num(row.nps, 1)).toBe(dd(t.nps));
          expect(row.top_box_pct === '' ? null : pctOf(row.top_box_pct)).toBe(dd(t.topBox));
        }
      });
    }
    // The below-k unit of the small campaign: hidden on the page and in the file, no count.
    const { html, tables } = await pageAndFiles(`/reports/campaigns/${small}`, admin);
    const xc = byFirst(tables.get('units')!).get('XC')!;
    expect(xc).toEqual({
      unit_code: 'XC',
      unit: 'Unit XC',
      status: 'hidden',
      n: '',
      headline_mean: '',
      headline_nps: '',
    });
    expect(htmlRows(html, '<table class="rp-units">').find((r) => r[0].endsWith('XC'))![1]).toMatch(
      /^hidden/,
    );
  });

  it('campaign results: the change since the previous wave, as the API and the page give it', async () => {
    const { html, tables } = await pageAndFiles(`/reports/campaigns/${internal.id}`);
    const api = (
      await app.http().get(`/api/campaigns/${internal.id}/report`).set(bearer(app.adminToken))
    ).body.change;
    expect(api.status).toBe('compared');
    const change = tables.get('change')!;
    const rows = change.rows.map((r) =>
      Object.fromEntries(change.columns.map((c, j) => [c, r[j]])),
    );
    const cell = (v: number | null | undefined, digits: number) =>
      v === null || v === undefined ? '' : String(fixed(v, digits));
    const mean = rows.find((r) => r.figure === 'mean')!;
    expect(mean).toMatchObject({
      status: 'compared',
      previous_wave: api.previous.wave,
      previous: cell(api.mean.previous, 2),
      current: cell(api.mean.current, 2),
      difference: cell(api.mean.difference, 2),
      ci_low: cell(api.mean.ci95?.[0], 2),
      ci_high: cell(api.mean.ci95?.[1], 2),
      within_noise: api.mean.withinNoise ? 'yes' : 'no',
    });
    // The movers: the page's units, in its order, with the API's figures (released units only).
    const movers = rows.filter((r) => r.figure === 'unit_mean');
    expect(movers.map((r) => r.unit_code)).toEqual(api.movers.map((m: any) => m.unitCode));
    expect(api.movers.length).toBeGreaterThan(0);
    for (const [i, m] of api.movers.entries()) {
      expect(movers[i]).toMatchObject({
        unit: m.unitName,
        n_previous: String(m.previous.n),
        n_current: String(m.current.n),
        difference: cell(m.difference, 2),
      });
      expect(html).toContain(m.unitName);
    }
    // No previous wave: one row that says so, and no figure.
    const lone = (await pageAndFiles(`/reports/campaigns/${small}`)).tables.get('change')!;
    expect(lone.rows).toEqual([['noPreviousWave', '', '', '', '']]);
  });

  it('service map: every cell of the page, hidden cells without figures', async () => {
    const { html, tables } = await pageAndFiles(`/reports/campaigns/${internal.id}/service-map`);
    const pageRows = htmlRows(html, 'rp-heat-table').length
      ? htmlRows(html, 'rp-heat-table')
      : htmlRows(html, '<table');
    const cells = tables.get('cells')!;
    const providers = tables.get('providers')!.rows;
    let hidden = 0;
    pageRows.forEach(([, ...texts], i) =>
      texts.forEach((text, j) => {
        const [, , , , status, n, mean] = cells.rows[i * providers.length + j];
        if (status === 'shown') expect(text).toBe(`${num(mean, 2)} (n=${n})`);
        else if (status === 'no_data') expect(text).toBe(t.noData);
        else {
          hidden++;
          expect([status, n ?? '', mean ?? '', text]).toEqual(['hidden', '', '', text]);
          expect(text).toMatch(/^hidden/);
        }
      }),
    );
    expect(hidden).toBeGreaterThan(0);
    expect(pageRows.length * providers.length).toBe(cells.rows.length);
  });

  it('linkage: the units, readiness and statistics of the page with the options of the address', async () => {
    const url = `/reports/linkage?${pair()}&minResponses=7&metric=mean`;
    const { html, tables } = await pageAndFiles(url);
    const about = byFirst(tables.get('about')!);
    expect(about.get('option.minResponses')?.value).toBe('7');
    expect(about.get('option.metric')?.value).toBe('mean');
    const options = byFirst(tables.get('options')!);
    expect(options.get('external_min_responses')?.value).toBe('7');
    expect(options.get('external_metric')?.value).toBe('mean');
    const pageUnits = htmlRows(html, t.dataTable);
    const units = tables.get('units')!.rows;
    expect(units.length).toBeGreaterThan(3);
    expect(
      units.map(([code, name, x, nx, y, ny]) => [`${name} ${code}`, num(x, 2), nx, num(y, 2), ny]),
    ).toEqual(pageUnits.filter((r) => r.length === 5));
    const readiness = tables.get('readiness')!.rows.map((r) => `${r[1]} ${r[0]}`);
    expect(readiness).toEqual(htmlRows(html, 'class="rp-readiness').map((r) => r[0]));
    // The correlation as the page writes it.
    const r = tables.get('statistics')!.rows.find((row) => row[0] === 'pearson_r')!;
    const pageStats = htmlRows(html, 'class="rp-stats"');
    expect(pageStats.some((row) => row[0] === t.pearson && row[1] === num(r[2], 2))).toBe(true);
  });

  it('waves and drivers: the trend, the pairs and the drivers of the pages', async () => {
    const waves = await pageAndFiles('/reports/linkage/waves?lag=0');
    const trend = waves.tables.get('trend')!.rows;
    expect(trend.length).toBeGreaterThan(0);
    expect(trend.map(([wave, , x, y]) => [wave, num(x, 2), num(y, 2)])).toEqual(
      htmlRows(waves.html, t.dataTable).slice(0, trend.length),
    );
    const pairs = waves.tables.get('pairs')!.rows;
    expect(pairs.length).toBeGreaterThan(0);
    for (const [iw, ew, n, r] of pairs)
      expect(waves.html).toMatch(
        new RegExp(
          `<td>${iw}</td><td>${ew}</td><td class="num">${n}</td><td class="num">${num(r, 2)}</td>`,
        ),
      );

    const drivers = await pageAndFiles(`/reports/linkage/drivers?${pair()}`);
    const rows = drivers.tables.get('drivers')!.rows;
    expect(rows.length).toBeGreaterThan(0);
    const pageRows = htmlRows(drivers.html, t.dataTable).filter((r) => r.length === 6);
    const byText = new Map(pageRows.map((r) => [r[0], r]));
    for (const [, text, n, r, , , p] of rows) {
      const row = byText.get(text)!;
      expect([row[1], row[2], row[4]]).toEqual([n, num(r, 2), p === '' ? '–' : p]);
    }
  });

  it('comments: every comment of the list (all its pages), attributed only where the page does', async () => {
    const list = await app
      .http()
      .get(`/api/campaigns/${external.id}/comments`)
      .set(bearer(app.adminToken))
      .expect(200);
    const { html, tables } = await pageAndFiles(`/reports/campaigns/${external.id}/comments`);
    const comments = tables.get('comments')!;
    expect(comments.columns).toEqual(['comment', 'unit_code', 'unit']);
    expect(comments.rows.length).toBe(list.body.matching);
    const shown = [...html.matchAll(/<p class="cm-text"[^>]*>([\s\S]*?)<\/p>/g)].map((m) =>
      unescapeHtml(m[1]),
    );
    expect(comments.rows.slice(0, shown.length).map((r) => r[0])).toEqual(shown);
    // Internal: text only, the groups the release decision allows.
    const inner = await pageAndFiles(`/reports/campaigns/${internal.id}/comments`);
    expect(inner.tables.get('comments')!.columns).toEqual(['comment']);
    // A search in the address narrows the file exactly like the page.
    const word = comments.rows[0][0].split(/\s+/)[0];
    const searched = await pageAndFiles(
      `/reports/campaigns/${external.id}/comments?q=${encodeURIComponent(word)}`,
    );
    const found = await app
      .http()
      .get(`/api/campaigns/${external.id}/comments?q=${encodeURIComponent(word)}`)
      .set(bearer(app.adminToken))
      .expect(200);
    const rows = searched.tables.get('comments')!.rows;
    expect(rows.length).toBe(found.body.matching);
    expect(rows.length).toBeLessThan(comments.rows.length + 1);
    expect(rows.every((r) => r[0].toLowerCase().includes(word.toLowerCase()))).toBe(true);
  });

  it('keeps text cells safe in CSV and XLSX (no formula, a leading quote)', async () => {
    const csv = await bytes(analyst.get(`/reports/campaigns/${tricky}/comments.csv`));
    const texts = csvTables(csv.body).get('comments')!.rows;
    expect(texts.map((r) => r[0]).sort()).toEqual(
      ['\'=HYPERLINK("http://x","y")', "'+1+1", "'-2+3", "'@SUM(1)", "' =1", 'plain'].sort(),
    );
    expect(texts.every((r) => r[1] === "'=EVIL")).toBe(true);
    const xlsx = await bytes(analyst.get(`/reports/campaigns/${tricky}/comments.xlsx`));
    const sheet = (await xlsxSheets(xlsx.body)).get('comments')!;
    expect(
      sheet
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(texts.map((r) => r[0]).sort());
    const report = csvTables((await bytes(analyst.get(`/reports/campaigns/${tricky}.csv`))).body);
    expect(byFirst(report.get('summary')!).has('\'=Tricky "buyers" 2026')).toBe(true);
    expect(
      (await bytes(analyst.get(`/reports/campaigns/${tricky}.csv`))).headers['content-disposition'],
    ).toMatch(/^attachment; filename="Tricky-buyers-2026-report-\d{4}-\d{2}-\d{2}\.csv"$/);
  });

  it('raw responses as XLSX: the rows of responses.csv, admins only for internal campaigns', async () => {
    for (const id of [internal.id, tricky]) {
      const csv = await bytes(admin.get(`/reports/campaigns/${id}/responses.csv`));
      const xlsx = await bytes(admin.get(`/reports/campaigns/${id}/responses.xlsx`));
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers['content-type']).toBe(XLSX_TYPE);
      const table = csvTables(Buffer.concat([Buffer.from('responses\r\n'), csv.body.subarray(3)]));
      await expectSameWorkbook(table, xlsx.body);
      expect(table.get('responses')!.rows.length).toBeGreaterThan(5);
    }
    expect((await analyst.get(`/reports/campaigns/${internal.id}/responses.xlsx`)).status).toBe(
      403,
    );
    expect(
      (await bytes(analyst.get(`/reports/campaigns/${external.id}/responses.xlsx`))).status,
    ).toBe(200);
    const page = await admin.get(`/reports/campaigns/${internal.id}`).expect(200);
    expect(page.text).toContain(`href="/reports/campaigns/${internal.id}/responses.xlsx"`);
  });

  it('answers like the pages: sign-in for visitors, 404 for unknown campaigns, 400 for bad options', async () => {
    const url = `/reports/linkage.xlsx?${pair()}`;
    const res = await app.http().get(url);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    const unsigned = await app.http().get(`/reports/campaigns/${internal.id}.csv`);
    expect(unsigned.status).toBe(303);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await analyst.get(`/reports/campaigns/${unknown}.csv`)).status).toBe(404);
    expect((await analyst.get(`/reports/campaigns/${unknown}/service-map.xlsx`)).status).toBe(404);
    expect((await analyst.get(`/reports/linkage.csv?${pair()}&minResponses=0`)).status).toBe(400);
    // Italian page, Italian links and texts in the file.
    const it = await analyst.get(`/reports/campaigns/${internal.id}?lang=it`).expect(200);
    expect(it.text).toContain('Scarichi questa pagina:');
    const file = csvTables(
      (await bytes(analyst.get(`/reports/campaigns/${internal.id}.csv?lang=it`))).body,
    );
    expect(byFirst(file.get('about')!).get('language')?.value).toBe('it');
  });
});
