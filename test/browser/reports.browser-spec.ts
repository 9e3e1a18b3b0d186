import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  axeRun,
  chromiumAvailable,
  launchChromium,
  listen,
  seriousLines,
  submitSignIn,
} from '../helpers/browser.js';
import { type DemoCampaign, seedDemoCompany, spreadDemoBranches } from '../helpers/companies.js';

const run = chromiumAvailable() ? describe : describe.skip;

/** axe-core's serious and critical violations, and how many checks passed. */
async function axe(page: Page): Promise<{ serious: string[]; passed: number }> {
  const { violations, passed } = await axeRun(page);
  return { serious: seriousLines(violations), passed };
}

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

  it('draws the phone variant of the scatter at 390 px, with text of at least 10 px', async () => {
    await page.setViewportSize({ width: 390, height: 900 });
    try {
      await page.goto(`${base}/reports/linkage?internal=${internal.id}&external=${external.id}`);
      expect(await page.locator('svg.rp-chart-wide').isVisible()).toBe(false);
      const svg = page.locator('svg.rp-chart-narrow');
      expect(await svg.isVisible()).toBe(true);
      const box = (await svg.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(390);
      // Drawn text heights on screen: ticks, axis titles and dot labels stay legible.
      const heights = await svg
        .locator('text.rp-tick, text.rp-axis-title tspan, text.rp-dot-label')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(10);
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(10);
      expect(await svg.locator('circle').count()).toBe(
        await page.locator('table.rp-data tbody tr').count(),
      );
      await page.locator('figure.rp-figure-scatter').screenshot({
        path: '/tmp/specchio-report-linkage-scatter-390.png',
      });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('draws the phone variant of the trend at 390 px, with text of at least 10 px', async () => {
    await page.setViewportSize({ width: 390, height: 900 });
    try {
      await page.goto(`${base}/reports/linkage/waves`);
      expect(await page.locator('svg.rp-chart-wide').isVisible()).toBe(false);
      const svg = page.locator('svg.rp-chart-narrow');
      expect(await svg.isVisible()).toBe(true);
      expect((await svg.boundingBox())!.width).toBeLessThanOrEqual(390);
      const heights = await svg
        .locator('text.rp-tick, text.rp-panel-name tspan, text.rp-point-label')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(6);
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(10);
      expect(await svg.locator('polyline').count()).toBe(2);
      await page.locator('figure.rp-figure').first().screenshot({
        path: '/tmp/specchio-report-waves-trend-390.png',
      });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('shows the campaign results, the trend, the service map and the drivers', async () => {
    await page.goto(`${base}/reports/campaigns/${internal.id}`);
    expect(await page.locator('.rp-qcard svg[role="img"]').count()).toBeGreaterThan(0);
    await shot('campaign');
    await page.goto(`${base}/reports/campaigns/${external.id}`);
    await shot('campaign-external');
    await page.goto(`${base}/reports/linkage/waves`);
    expect(await page.locator('figure svg.rp-chart-wide polyline').count()).toBe(2);
    expect(await page.locator('figure svg.rp-chart-narrow polyline').count()).toBe(2);
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

  describe('looks and print (JavaScript on, for axe and text measurements)', () => {
    let p: Page;
    const look = (name: string) =>
      p.screenshot({ path: `/tmp/specchio-report-${name}.png`, fullPage: true });

    beforeAll(async () => {
      p = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
      await p.goto(`${base}/reports`);
      await Promise.all([p.waitForURL(`${base}/reports`), submitSignIn(p)]);
    });
    afterAll(() => p?.close());

    it('service map: diverging colours, readable cell text, a legend naming the good end', async () => {
      for (const lang of ['en', 'it']) {
        await p.goto(`${base}/reports/campaigns/${internal.id}/service-map?lang=${lang}`);
        const svg = p.locator('figure svg[role="img"]');
        expect(await svg.locator('rect[fill^="rgb"]').count()).toBeGreaterThan(0);
        const legend = await svg.locator('.rp-legend-end').allTextContents();
        expect(legend).toEqual(lang === 'en' ? ['← Worse', 'Better →'] : ['← Peggio', 'Meglio →']);
        // Every number drawn on a cell: black or white, whichever contrasts ≥ 4.5 with its fill.
        // (Evaluated as text: this project's TypeScript has no DOM library.)
        const pairs = await p.evaluate<[string, string][]>(`
          [...document.querySelectorAll('svg .rp-cell-label')].map((text) => [
            getComputedStyle(text).fill,
            text.previousElementSibling.getAttribute('fill') ?? '',
          ])`);
        expect(pairs.length).toBeGreaterThan(0);
        const lum = (c: string) => {
          const [r, g, b] = c
            .match(/\d+/g)!
            .slice(0, 3)
            .map((v) => {
              const s = Number(v) / 255;
              return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
            });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        for (const [text, fill] of pairs) {
          if (!fill.startsWith('rgb')) continue;
          const [hi, lo] = [lum(text), lum(fill)].sort((a, b) => b - a);
          expect((hi + 0.05) / (lo + 0.05)).toBeGreaterThanOrEqual(4.5);
        }
        const { serious, passed } = await axe(p);
        expect(passed).toBeGreaterThan(10);
        expect(serious).toEqual([]);
        await look(`service-map-looks-${lang}`);
      }
    });

    it('waves: every title line fits inside the chart as Chromium draws it', async () => {
      for (const lang of ['en', 'it']) {
        await p.goto(`${base}/reports/linkage/waves?lang=${lang}`);
        const fits = await p.evaluate<{ text: string; right: number; width: number }[]>(`
          (() => [...document.querySelectorAll('figure svg[role="img"]')].flatMap((svg) => {
            const width = svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('.rp-panel-name tspan')].map((span) => ({
              text: span.textContent,
              right: Number(span.getAttribute('x')) + span.getComputedTextLength(),
              width,
            }));
          }))()`);
        // Both drawings (880 and the phone's 360 units): every title line inside its own width.
        expect(fits.length).toBeGreaterThanOrEqual(4);
        for (const f of fits) expect([f.text, f.right <= f.width]).toEqual([f.text, true]);
        const { serious } = await axe(p);
        expect(serious).toEqual([]);
        await look(`waves-looks-${lang}`);
      }
    });

    it('print: no controls, the charts and the stamp (date, campaign, thresholds)', async () => {
      const urls = [
        `/reports/campaigns/${internal.id}`,
        `/reports/campaigns/${internal.id}/service-map`,
        '/reports/linkage/waves',
        `/reports/linkage?internal=${internal.id}&external=${external.id}&lang=it`,
      ];
      await p.emulateMedia({ media: 'screen' });
      await p.goto(`${base}${urls[0]}`);
      expect(await p.locator('.rp-print-stamp').isVisible()).toBe(false);
      expect(await p.locator('.rp-export a').first().isVisible()).toBe(true);
      await p.emulateMedia({ media: 'print' });
      for (const [i, url] of urls.entries()) {
        await p.goto(`${base}${url}`);
        const stamp = p.locator('.rp-print-stamp');
        expect(await stamp.isVisible()).toBe(true);
        expect(await stamp.textContent()).toMatch(/(Generated on|Generato il) .*\d{4}/);
        expect(await stamp.textContent()).toContain('MIN_GROUP_SIZE');
        for (const hidden of [
          'header.topbar',
          '.rp-bar',
          'form',
          'button',
          '.rp-export',
          '.rp-controls',
        ])
          for (const el of await p.locator(hidden).all())
            expect([url, hidden, await el.isVisible()]).toEqual([url, hidden, false]);
        expect(await p.locator('figure svg').first().isVisible()).toBe(true);
        const { serious } = await axe(p);
        expect(serious).toEqual([]);
        await look(`print-${i}`);
      }
      await p.emulateMedia({ media: 'screen' });
    });
  });
});
