import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  chromiumAvailable,
  launchChromium,
  listen,
  seriousViolations,
  submitSignIn,
} from '../helpers/browser.js';
import { type DemoCampaign, seedDemoCompany, spreadDemoBranches } from '../helpers/companies.js';

const run = chromiumAvailable() ? describe : describe.skip;

/** The linkage's methods appendix in Chromium: reached from the linkage page, en and it, print. */
run('linkage methods appendix in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let internal: DemoCampaign;
  let external: DemoCampaign;
  const shot = (name: string) =>
    page.screenshot({ path: `/tmp/specchio-methods-${name}.png`, fullPage: true });

  beforeAll(async () => {
    t = await startApp('sqlite');
    ({ internal, external } = await seedDemoCompany(t));
    await spreadDemoBranches(t, internal);
    base = await listen(t);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await page.goto(`${base}/reports`);
    await Promise.all([page.waitForURL(`${base}/reports`), submitSignIn(page)]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(['en', 'it'] as const)(
    'opens from "Details for analysts" (%s): table, results, no serious axe violation',
    async (lang) => {
      await page.goto(
        `${base}/reports/linkage?internal=${internal.id}&external=${external.id}&lang=${lang}`,
      );
      await page.locator('details.rp-analysts > summary').click();
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/reports/linkage/methods'),
        page.locator('details.rp-analysts a[href^="/reports/linkage/methods"]').click(),
      ]);
      expect(new URL(page.url()).searchParams.get('lang')).toBe(lang);
      expect(await page.locator('h1').textContent()).toBe(
        lang === 'en' ? 'Methods appendix' : 'Appendice metodologica',
      );
      expect(await page.locator('table.mt-units tbody tr').count()).toBeGreaterThan(2);
      expect(await page.locator('table.mt-results tbody tr').count()).toBeGreaterThan(5);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await shot(lang);
      expect(await seriousViolations(page)).toEqual([]);
      // Narrow screens: the page stays readable (tables scroll inside their wrapper).
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await seriousViolations(page)).toEqual([]);
      await shot(`${lang}-phone`);
      await page.setViewportSize({ width: 1280, height: 900 });
    },
  );

  it('prints without controls or download links, with the stamp', async () => {
    await page.goto(
      `${base}/reports/linkage/methods?internal=${internal.id}&external=${external.id}`,
    );
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.mt-downloads').isVisible()).toBe(false);
    expect(await page.locator('.rp-bar').isVisible()).toBe(false);
    expect(await page.locator('.rp-print-stamp').isVisible()).toBe(true);
    expect(await page.locator('table.mt-units').isVisible()).toBe(true);
    await shot('print');
    await page.emulateMedia({ media: 'screen' });
  });
});
