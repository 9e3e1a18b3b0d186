// The download buttons of the report pages in Chromium (issue 9 "Exports from the browser"): shown
// under the title in English and Italian, gone in print, no serious axe violation, and a click
// downloads a workbook that opens.
import { mkdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
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
const SHOTS = 'test-artifacts/exports';

run('report page downloads in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let internal: DemoCampaign;
  let external: DemoCampaign;

  beforeAll(async () => {
    t = await startApp('sqlite');
    ({ internal, external } = await seedDemoCompany(t));
    await spreadDemoBranches(t, internal);
    base = await listen(t);
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      // axe-core runs in the page (its timers need scripts on); the page itself has none (CSP).
      javaScriptEnabled: true,
      acceptDownloads: true,
    });
    await page.goto(`${base}/reports`);
    await Promise.all([page.waitForURL(`${base}/reports`), submitSignIn(page)]);
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['en', 'Download this page:', 'Excel (XLSX)'],
    ['it', 'Scarichi questa pagina:', 'Excel (XLSX)'],
  ])(
    'shows the buttons on the linkage page (%s), hides them in print',
    async (lang, label, xlsx) => {
      const url = `${base}/reports/linkage?internal=${internal.id}&external=${external.id}&minResponses=6&lang=${lang}`;
      await page.goto(url);
      const bar = page.locator('p.rp-downloads');
      await expect(bar.isVisible()).resolves.toBe(true);
      expect(await bar.innerText()).toContain(label);
      const link = bar.getByRole('link', { name: new RegExp(xlsx.replace(/[()]/g, '\\$&')) });
      expect(await link.getAttribute('href')).toBe(
        `/reports/linkage.xlsx?internal=${internal.id}&external=${external.id}&minResponses=6&lang=${lang}`,
      );
      await page.screenshot({ path: `${SHOTS}/linkage-${lang}.png` });
      expect(await seriousViolations(page)).toEqual([]);

      // A click downloads the workbook of this page; it opens and carries the page's option.
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toMatch(
        /^Internal-service-.+-linkage-\d{4}-\d{2}-\d{2}\.xlsx$/,
      );
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
      const options = wb.getWorksheet('options')!;
      const values = new Map<string, unknown>();
      options.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
      expect(values.get('external_min_responses')).toBe(6);

      await page.emulateMedia({ media: 'print' });
      await expect(bar.isVisible()).resolves.toBe(false);
      await page.emulateMedia({ media: 'screen' });
    },
    120_000,
  );

  it('shows them on the campaign results with the raw XLSX for admins', async () => {
    await page.goto(`${base}/reports/campaigns/${external.id}?lang=it`);
    await expect(page.locator('p.rp-downloads').isVisible()).resolves.toBe(true);
    expect(
      await page.locator(`a[href="/reports/campaigns/${external.id}/responses.xlsx"]`).count(),
    ).toBe(1);
    await page.screenshot({ path: `${SHOTS}/campaign-it.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);
});
