import { Db } from '../../src/database/db.js';
import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, signIn } from '../helpers/auth.js';
import { type DemoCampaign, seedDemoCompany, spreadDemoBranches } from '../helpers/companies.js';
import { insertReportResponses } from '../helpers/factories.js';

const ANALYST = { email: 'ana@example.com', password: 'analyst password' };
const XSS = '<script>alert(1)</script>';

describe.each(dbKinds())('report pages (%s)', (kind) => {
  let t: TestApp;
  let internal: DemoCampaign;
  let external: DemoCampaign;
  let pages: string[];
  let admin: Agent;
  let analyst: Agent;

  beforeAll(async () => {
    t = await startApp(kind);
    ({ internal, external } = await seedDemoCompany(t));
    // A branch whose name is markup, and a new unit with two internal answers (a hidden group).
    await t
      .http()
      .patch('/api/units/B-MI')
      .set(bearer(t.adminToken))
      .send({ name: `Milano ${XSS}` })
      .expect(200);
    const tiny = await t
      .http()
      .post('/api/units')
      .set(bearer(t.adminToken))
      .send({ code: 'TINY', name: `Tiny ${XSS}`, parentCode: 'ACME' })
      .expect(201);
    await insertReportResponses(t.app.get(Db), internal.id, [
      { unitId: tiny.body.id, answers: { sat: 4 } },
      { unitId: tiny.body.id, answers: { sat: 5 } },
    ]);
    // Branches varied enough for the release gate, so the scatter plot has units.
    await spreadDemoBranches(t, internal);
    await createAnalyst(t, ANALYST);
    admin = await signIn(t);
    analyst = await signIn(t, ANALYST);
    const pair = `internal=${internal.id}&external=${external.id}`;
    pages = [
      '/reports',
      '/reports?lang=it',
      `/reports/campaigns/${internal.id}`,
      `/reports/campaigns/${external.id}?lang=it`,
      `/reports/campaigns/${internal.id}/service-map`,
      `/reports/linkage?${pair}`,
      `/reports/linkage?${pair}&lang=it&internalMetric=topbox&externalMetric=nps&level=1`,
      `/reports/linkage?${pair}&perspective=provider&internalQuestion=sat`,
      `/reports/linkage/waves`,
      `/reports/linkage/waves?lag=1&lang=it`,
      `/reports/linkage/drivers?${pair}`,
    ];
  }, 120_000);
  afterAll(() => t.close());

  it('renders every page for an admin and for an analyst', async () => {
    for (const agent of [admin, analyst]) {
      for (const url of pages) {
        const res = await agent.get(url);
        expect([url, res.status]).toEqual([url, 200]);
        expect(res.headers['content-type']).toContain('text/html');
      }
    }
  });

  it('sends a signed-out visitor to the login page', async () => {
    for (const url of pages) {
      const res = await t.http().get(url).expect(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
  });

  it('draws the scatter plot: one circle per kept unit, the fitted line, titles per dot', async () => {
    const res = await analyst
      .get(`/reports/linkage?internal=${internal.id}&external=${external.id}`)
      .expect(200);
    const json = await t
      .http()
      .get(`/api/linkage?internal=${internal.id}&external=${external.id}`)
      .set(bearer(t.adminToken))
      .expect(200);
    const n = json.body.n as number;
    expect(n).toBeGreaterThan(3);
    expect(res.text).toContain('<svg');
    expect(res.text).toContain('role="img"');
    // Two drawings of the chart, 880 and 400 units wide (phones), each with every unit.
    const svgs = [...res.text.matchAll(/<svg class="rp-chart rp-chart-(\w+)"[\s\S]*?<\/svg>/g)];
    expect(svgs.map((m) => m[1])).toEqual(['wide', 'narrow']);
    for (const [svg] of svgs) {
      expect(svg.match(/<circle /g)?.length).toBe(n);
      expect(svg.match(/class="rp-fit"/g)?.length).toBe(1);
    }
    expect(svgs[1][0]).toContain('viewBox="0 0 400 440"');
    // The data table under the chart has a row per kept unit.
    expect(
      /<table class="rp-data">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(res.text)![1].match(/<tr>/g)
        ?.length,
    ).toBe(n);
    // Unit names (not codes) label the dots; a label that would overlap another is dropped (the
    // data table lists every unit).
    const labels = [...svgs[0][0].matchAll(/class="rp-dot-label"[^>]*>([^<]*)<\/text>/g)].map(
      (m) => m[1],
    );
    const names = (json.body.units as Array<{ unitName: string }>).map((u) => u.unitName);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.length).toBeLessThanOrEqual(n);
    for (const label of labels)
      expect(names.some((name) => name.startsWith(label.replace(/…$/, '')))).toBe(true);
    expect(res.text).toContain(json.body.summary.slice(0, 20));
    // No inline script or style anywhere.
    expect(res.text).not.toMatch(/<script|style="/);
  });

  it('warns that a linkage over fewer than 10 units is exploratory', async () => {
    const res = await admin
      .get(`/reports/linkage?internal=${internal.id}&external=${external.id}`)
      .expect(200);
    expect(res.text).toContain('Exploratory');
  });

  it('shows what is missing instead of an empty chart when fewer than 3 units can be compared', async () => {
    // Rolled up to the regions: two regions are not enough to compare.
    const res = await admin
      .get(`/reports/linkage?internal=${internal.id}&external=${external.id}&level=1`)
      .expect(200);
    expect(res.text).not.toContain('<svg');
    expect(res.text).not.toContain('Exploratory');
    expect(res.text).toContain('Not enough units to compare yet');
    expect(res.text).toContain('What each unit has');
  });

  it('escapes markup in unit names on every page', async () => {
    for (const url of pages) {
      const res = await admin.get(url).expect(200);
      expect(res.text).not.toContain(XSS);
    }
    const campaign = await admin.get(`/reports/campaigns/${internal.id}`).expect(200);
    expect(campaign.text).toContain('Tiny &lt;script&gt;alert(1)&lt;/script&gt;');
    const linkage = await admin
      .get(`/reports/linkage?internal=${internal.id}&external=${external.id}`)
      .expect(200);
    // B-MI was renamed after launch: the campaigns keep the name frozen at launch (issue 7 route
    // 6). TINY, created after launch, shows its own name in the excluded rows.
    expect(linkage.text).toContain('Tiny &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('labels a hidden group as hidden, not as missing, and shows no count for it', async () => {
    const res = await admin.get(`/reports/campaigns/${internal.id}`).expect(200);
    const row = /<tr>\s*<th scope="row">Tiny[\s\S]*?<\/tr>/.exec(res.text)![0];
    expect(row).toContain('hidden to protect confidentiality');
    expect(row).not.toMatch(/class="num">\d/);
    const it = await admin.get(`/reports/campaigns/${internal.id}?lang=it`).expect(200);
    expect(it.text).toContain('nascosto per tutelare la riservatezza');
    expect(it.text).toContain('lang="it"');
  });

  it('refuses bad parameters with a 400 page and unknown campaigns with 404', async () => {
    await admin.get('/reports/linkage?internal=x&external=y').expect(400);
    await admin
      .get(`/reports/linkage?internal=${internal.id}&external=${external.id}&metric=max`)
      .expect(400);
    await admin.get('/reports?lang=fr').expect(400);
    await admin.get('/reports/campaigns/00000000-0000-4000-8000-000000000000').expect(404);
  });
  it('reads an NPS headline as NPS on the waves page, as the linkage page does, unless a metric is chosen', async () => {
    const page = await analyst.get('/reports/linkage/waves').expect(200);
    expect(page.text).toContain('External: NPS of');
    expect(page.text).toContain('Internal: Mean of');
    const nps = await t
      .http()
      .get('/api/linkage/waves?externalMetric=nps')
      .set(bearer(t.adminToken))
      .expect(200);
    // The page's trend is the API's trend with the NPS metric on the external side.
    for (const point of nps.body.trend as Array<{ external: { score: number | null } | null }>) {
      const score = point.external?.score;
      if (score === null || score === undefined) continue;
      expect(page.text).toContain(
        new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(score),
      );
    }
    const chosen = await analyst.get('/reports/linkage/waves?metric=mean').expect(200);
    expect(chosen.text).toContain('External: Mean of');
    // The API keeps its mean default.
    const api = await t.http().get('/api/linkage/waves').set(bearer(t.adminToken)).expect(200);
    expect(api.body.metric).toEqual({ internal: 'mean', external: 'mean' });
  });
  it('shows an NPS headline per unit as NPS, the same score as the unit-filtered question card', async () => {
    const report = (
      await t
        .http()
        .get(`/api/campaigns/${external.id}/report`)
        .set(bearer(t.adminToken))
        .expect(200)
    ).body as { headline: string; units: Array<{ unitCode: string; headlineNps?: number }> };
    const rows = report.units.filter((u) => u.headlineNps !== undefined);
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows.slice(0, 3)) {
      const filtered = (
        await t
          .http()
          .get(`/api/campaigns/${external.id}/report?unitCode=${row.unitCode}`)
          .set(bearer(t.adminToken))
          .expect(200)
      ).body as { questions: Array<{ key: string; nps?: { score: number } }> };
      const card = filtered.questions.find((q) => q.key === report.headline)!;
      expect(card.nps!.score).toBeCloseTo(row.headlineNps!, 9);
    }
    const page = await analyst.get(`/reports/campaigns/${external.id}`).expect(200);
    expect(page.text).toContain('Headline · NPS');
    const first = rows[0];
    const formatted = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(
      first.headlineNps!,
    );
    const row = new RegExp(`${first.unitCode}</span></th>[\\s\\S]*?</tr>`).exec(
      page.text.slice(page.text.indexOf('<table class="rp-units">')),
    )![0];
    expect(row).toContain(`>${formatted}</td>`);
  });
});
