import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, signIn } from '../helpers/auth.js';
import { type DemoCampaign, seedDemoCompany } from '../helpers/companies.js';

const ANALYST = { email: 'print-analyst@example.com', password: 'analyst password 9' };

type Raw = { status: number; headers: Record<string, string>; body: Buffer };

/** The body as bytes, whatever its type. */
async function bytes(req: import('supertest').Test): Promise<Raw> {
  const res = await req.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });
  return { status: res.status, headers: res.headers, body: res.body as Buffer };
}

describe.each(dbKinds())('report print stamp and the raw CSV from the browser (%s)', (kind) => {
  let t: TestApp;
  let internal: DemoCampaign;
  let external: DemoCampaign;
  let admin: Agent;
  let analyst: Agent;
  const names = new Map<string, string>();

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: '5', MIN_COMMENT_GROUP_SIZE: '12' });
    ({ internal, external } = await seedDemoCompany(t));
    for (const c of [internal, external]) {
      const res = await t.http().get(`/api/campaigns/${c.id}`).set(bearer(t.adminToken));
      names.set(c.id, res.body.name as string);
    }
    await createAnalyst(t, ANALYST);
    admin = await signIn(t);
    analyst = await signIn(t, ANALYST);
  }, 180_000);
  afterAll(() => t.close());

  const csvPath = (id: string) => `/reports/campaigns/${id}/responses.csv`;

  it('lets a signed-in admin download the raw CSV: the same bytes as the API export', async () => {
    for (const c of [internal, external]) {
      const page = await bytes(admin.get(csvPath(c.id)));
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(page.headers['content-disposition']).toMatch(/^attachment; filename=".+\.csv"$/);
      expect(page.headers['cache-control']).toBe('no-store');
      const api = await bytes(
        t.http().get(`/api/campaigns/${c.id}/responses.csv`).set(bearer(t.adminToken)),
      );
      expect(api.status).toBe(200);
      expect(page.headers['content-disposition']).toBe(api.headers['content-disposition']);
      expect(page.body.length).toBeGreaterThan(100);
      expect(page.body.equals(api.body)).toBe(true);
    }
  });

  it('refuses an analyst the internal campaign (403) and gives the external one', async () => {
    const refused = await analyst.get(csvPath(internal.id));
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).not.toContain('text/csv');
    const given = await bytes(analyst.get(csvPath(external.id)));
    expect(given.status).toBe(200);
    expect(given.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(given.body.length).toBeGreaterThan(100);
  });

  it('sends a visitor without a session to sign in; the API route still wants a bearer token', async () => {
    const res = await t.http().get(csvPath(internal.id));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(csvPath(internal.id))}`);
    // The session does not open the API route (unchanged: bearer only).
    expect((await admin.get(`/api/campaigns/${internal.id}/responses.csv`)).status).toBe(401);
    // An unknown campaign is 404.
    expect((await admin.get(csvPath('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });

  it('offers the download link only to those allowed', async () => {
    const link = (id: string) => `href="${csvPath(id)}"`;
    const a = await admin.get(`/reports/campaigns/${internal.id}`).expect(200);
    expect(a.text).toContain(link(internal.id));
    const b = await analyst.get(`/reports/campaigns/${internal.id}`).expect(200);
    expect(b.text).not.toContain(link(internal.id));
    expect(b.text).not.toContain('responses.csv');
    const c = await analyst.get(`/reports/campaigns/${external.id}?lang=it`).expect(200);
    expect(c.text).toContain(link(external.id));
    expect(c.text).toContain('Scarichi le risposte (CSV)');
  });

  it('stamps every report page with the date, the campaigns, the options and the thresholds', async () => {
    const pair = `internal=${internal.id}&external=${external.id}`;
    const pages: [string, string[]][] = [
      ['/reports', []],
      [`/reports/campaigns/${internal.id}`, [internal.id]],
      [`/reports/campaigns/${external.id}`, [external.id]],
      [`/reports/campaigns/${internal.id}/service-map`, [internal.id]],
      [`/reports/linkage?${pair}&minResponses=7&metric=mean`, [internal.id, external.id]],
      ['/reports/linkage/waves?lag=1', []],
      [`/reports/linkage/drivers?${pair}`, [internal.id, external.id]],
    ];
    const today = new Date();
    const year = String(today.getUTCFullYear());
    for (const [url, ids] of pages) {
      const res = await analyst.get(url).expect(200);
      const stamp = /<aside class="rp-print-stamp"[\s\S]*?<\/aside>/.exec(res.text)?.[0];
      expect([url, stamp !== undefined]).toEqual([url, true]);
      expect(stamp).toContain('Generated on');
      expect(stamp).toContain(year);
      expect(stamp).toContain('UTC');
      expect(stamp).toContain('groups of fewer than 5 people are not shown');
      expect(stamp).toContain('at least 12 (MIN_COMMENT_GROUP_SIZE)');
      for (const id of ids) expect(stamp).toContain(escape(names.get(id)!));
      if (!ids.length) expect(stamp).toContain('Campaigns: as named on the page.');
    }
    const linkage = await analyst
      .get(`/reports/linkage?${pair}&minResponses=7&metric=mean&lang=it`)
      .expect(200);
    const stamp = unescape(/<aside class="rp-print-stamp"[\s\S]*?<\/aside>/.exec(linkage.text)![0]);
    expect(stamp).toContain('Generato il');
    expect(stamp).toContain('risposte minime: 7');
    expect(stamp).toContain('indicatore: mean');
    expect(stamp).toContain('almeno 7 risposte interne e 7 esterne');
    const waves = await analyst.get('/reports/linkage/waves?lag=1').expect(200);
    expect(waves.text).toContain('Options: lag: 1.');
    // Hidden on screen, shown in print (the stylesheet).
    const css = await t.http().get('/static/css/reports.css').expect(200);
    expect(css.text).toMatch(/^\.rp-print-stamp \{\s*display: none;\s*\}/m);
    expect(css.text).toMatch(/@media print \{[\s\S]*\.rp-print-stamp \{\s*display: block;/);
  });
});

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');
}

function unescape(html: string): string {
  return html
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
