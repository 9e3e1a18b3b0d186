import type { Browser, Page } from 'playwright-core';
import { bearer, startApp, type TestApp } from '../helpers/app.js';
import {
  axeRun,
  chromiumAvailable,
  launchChromium,
  listen,
  seriousLines,
  submitSignIn,
  type Violation,
} from '../helpers/browser.js';
import { type DemoCampaign, seedDemoCompany } from '../helpers/companies.js';

/**
 * WCAG 2.2 AA (issue 8): axe-core, run in Chromium on every page an admin, an analyst and a
 * respondent reach, reports no serious or critical violation.
 */
const run = chromiumAvailable() ? describe : describe.skip;

const serious = (path: string, violations: Violation[]) =>
  seriousLines(violations).map((v) => `${path}: ${v}`);

run('accessibility (axe-core, WCAG 2.2 AA) in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let internal: DemoCampaign;
  let external: DemoCampaign;

  beforeAll(async () => {
    t = await startApp('sqlite');
    ({ internal, external } = await seedDemoCompany(t));
    base = await listen(t);
    browser = await launchChromium();
    // axe is evaluated through the DevTools protocol; the app's CSP stays as it is.
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await page.goto(`${base}/login`);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/login')),
      submitSignIn(page),
    ]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function check(path: string, status = 200): Promise<string[]> {
    const res = await page.goto(`${base}${path}`);
    // The page itself (signed in where needed, not a redirect to the sign-in form).
    expect([path, res?.status()]).toEqual([path, status]);
    expect(new URL(page.url()).pathname).toBe(path.split('?')[0]);
    const { violations, passed } = await axeRun(page);
    expect(passed).toBeGreaterThan(10);
    return serious(path, violations);
  }

  it('finds no serious or critical violation on the admin, report and error pages', async () => {
    const pages = [
      '/admin',
      '/admin/units',
      '/admin/contacts',
      '/admin/campaigns',
      '/admin/campaigns/new',
      `/admin/campaigns/${internal.id}`,
      `/admin/campaigns/${external.id}`,
      '/admin/outbox',
      '/admin/users',
      '/reports',
      `/reports/campaigns/${internal.id}`,
      `/reports/campaigns/${external.id}`,
      `/reports/linkage?internal=${internal.id}&external=${external.id}`,
      `/reports/campaigns/${internal.id}/service-map`,
      '/no-such-page',
    ];
    const found: string[] = [];
    for (const path of pages)
      found.push(...(await check(path, path === '/no-such-page' ? 404 : 200)));
    expect(found).toEqual([]);
  }, 120_000);

  it('finds no serious or critical violation on the organisation, users and outbox pages', async () => {
    const users = (await t.http().get('/api/users').set(bearer(t.adminToken))).body as Array<{
      id: string;
    }>;
    const contacts = (await t.http().get('/api/contacts').set(bearer(t.adminToken))).body
      .items as Array<{ id: string }>;
    const units = (await t.http().get('/api/units').set(bearer(t.adminToken))).body as Array<{
      code: string;
    }>;
    const tokens = (await t.http().get('/api/tokens').set(bearer(t.adminToken))).body as Array<{
      id: string;
    }>;
    const pages = [
      `/admin/units/${units[0].code}`,
      `/admin/units/${units[0].code}/delete`,
      `/admin/contacts?q=a`,
      `/admin/contacts/${contacts[0].id}`,
      `/admin/users/${users[0].id}`,
      `/admin/users/${users[0].id}/disable`,
      `/admin/users/${users[0].id}/delete`,
      `/admin/tokens/${tokens[0].id}/revoke`,
      '/account/password',
      '/admin/outbox?status=failed',
      '/admin/outbox?pageSize=5',
    ];
    const found: string[] = [];
    for (const path of pages) found.push(...(await check(path)));
    expect(found).toEqual([]);
  }, 120_000);

  it('finds none on the sign-in page and on a respondent page, in both languages, at phone width', async () => {
    // A buyer invited to the open external campaign, with a personal link.
    await t
      .http()
      .post('/api/contacts')
      .set(bearer(t.adminToken))
      .send({
        email: 'axe@buyer.example',
        name: 'Axe Buyer',
        audience: 'external',
        unitCode: 'B-PA',
      })
      .expect(201);
    const invited = await t
      .http()
      .post(`/api/campaigns/${external.id}/invitations`)
      .set(bearer(t.adminToken))
      .send({ all: true })
      .expect(201);
    const link = new URL(
      (invited.body.invitations as Array<{ email: string; url: string }>).find(
        (i) => i.email === 'axe@buyer.example',
      )!.url,
    );
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      bypassCSP: true,
    });
    const previous = page;
    page = await phone.newPage();
    try {
      const found: string[] = [];
      for (const path of ['/login', link.pathname, `${link.pathname}?lang=it`]) {
        found.push(...(await check(path)));
      }
      expect(found).toEqual([]);
    } finally {
      await phone.close();
      page = previous;
    }
  }, 60_000);
});
