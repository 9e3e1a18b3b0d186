import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, launchChromium, listen, submitSignIn } from '../helpers/browser.js';
import { type DemoCampaign, seedDemoCompany, spreadDemoBranches } from '../helpers/companies.js';

const run = chromiumAvailable() ? describe : describe.skip;

run('report pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let internal: DemoCampaign;
  let external: DemoCampaign;
  const requests: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: `/tmp/specchio-report-${name}.png`, fullPage: true });

  beforeAll(async () => {
    t = await startApp('sqlite');
    ({ internal, external } = await seedDemoCompany(t));
    // Branches varied enough for the release gate, so the scatter plot has units.
    await spreadDemoBranches(t, internal);
    base = await listen(t);
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${base}/reports`);
    await Promise.all([page.waitForURL(`${base}/reports`), submitSignIn(page)]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the campaigns by wave with a linkage form', async () => {
    expect(new URL(page.url()).pathname).toBe('/reports');
    expect(await page.locator('form[action="/reports/linkage"] select').count()).toBe(2);
    await shot('index');
  });

  it('draws the linkage scatter plot: one visible dot per unit and the fitted line', async () => {
    await page.goto(`${base}/reports/linkage?internal=${internal.id}&external=${external.id}`);
    const svg = page.locator('figure svg[role="img"]').first();
    expect(await svg.isVisible()).toBe(true);
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(500);
    const rows = await page.locator('table.rp-data tbody tr').count();
    expect(rows).toBeGreaterThan(3);
    expect(await svg.locator('circle').count()).toBe(rows);
    expect(await svg.locator('line.rp-fit').count()).toBe(1);
    expect(await page.locator('.rp-summary').textContent()).toMatch(/\d/);
    await shot('linkage');
    // The same page in Italian, through the in-page switch.
    await page.getByRole('link', { name: 'Italiano' }).click();
    expect(await page.locator('h1').textContent()).toContain('Legame');
    await shot('linkage-it');
  });

  it('shows the campaign results, the trend, the service map and the drivers', async () => {
    await page.goto(`${base}/reports/campaigns/${internal.id}`);
    expect(await page.locator('.rp-qcard svg[role="img"]').count()).toBeGreaterThan(0);
    await shot('campaign');
    await page.goto(`${base}/reports/campaigns/${external.id}`);
    await shot('campaign-external');
    await page.goto(`${base}/reports/linkage/waves`);
    expect(await page.locator('figure svg polyline').count()).toBe(2);
    await shot('waves');
    await page.goto(`${base}/reports/campaigns/${internal.id}/service-map`);
    expect(await page.locator('figure svg rect[fill^="rgb"]').count()).toBeGreaterThan(0);
    await shot('service-map');
    await page.goto(
      `${base}/reports/linkage/drivers?internal=${internal.id}&external=${external.id}`,
    );
    expect(await page.locator('figure svg rect').count()).toBeGreaterThan(1);
    await shot('drivers');
    // Nothing was loaded from anywhere else.
    expect(requests.every((u) => u.startsWith(base))).toBe(true);
  });
});
