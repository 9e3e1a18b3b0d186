import type { Browser, Page } from 'playwright-core';
import { bearer, startApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, launchChromium, listen, signIn } from '../helpers/browser.js';
import { type DemoCampaign, seedDemoCompany, spreadDemoBranches } from '../helpers/companies.js';
import { expectOk, JourneyLog } from '../helpers/journey.js';

const run = chromiumAvailable() ? describe : describe.skip;

/**
 * Issue 9's "Done when": every report page a leader uses, in English and Italian, at desktop and
 * phone width, with a full-page screenshot (test-artifacts/journey/leader/) and axe-core on each.
 * The demo company has two waves of an internal and an external campaign, so the waves, drivers,
 * service map and linkage pages have figures to show.
 */
run('issue 9 leader journey in Chromium (demo company, screenshots and axe on every page)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let internal: DemoCampaign;
  let external: DemoCampaign;

  beforeAll(async () => {
    t = await startApp('sqlite');
    ({ internal, external } = await seedDemoCompany(t));
    await spreadDemoBranches(t, internal);
    base = await listen(t);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The report pages, each visited in both languages. */
  const pages = () => [
    ['reports', '/reports'],
    ['report-internal', `/reports/campaigns/${internal.id}`],
    ['report-external', `/reports/campaigns/${external.id}`],
    ['comments-external', `/reports/campaigns/${external.id}/comments`],
    ['service-map', `/reports/campaigns/${internal.id}/service-map`],
    ['waves', '/reports/linkage/waves'],
    ['drivers', `/reports/linkage/drivers?internal=${internal.id}&external=${external.id}`],
    ['linkage', `/reports/linkage?internal=${internal.id}&external=${external.id}`],
    [
      'linkage-nps-options',
      `/reports/linkage?internal=${internal.id}&external=${external.id}&externalMetric=topbox&minResponses=3`,
    ],
    ['methods', `/reports/linkage/methods?internal=${internal.id}&external=${external.id}`],
  ];

  it('shows every report page in en and it, on desktop and phone, with no serious axe violation', async () => {
    const found: string[] = [];
    const log = new JourneyLog('leader', found);
    for (const [width, suffix] of [
      [1280, ''],
      [390, '-phone'],
    ] as const) {
      const page: Page = await browser.newPage({ viewport: { width, height: 900 } });
      await signIn(page, base);
      for (const lang of ['en', 'it']) {
        for (const [slug, url] of pages()) {
          const sep = url.includes('?') ? '&' : '?';
          expectOk(await page.goto(`${base}${url}${sep}lang=${lang}`), slug);
          expect(await page.getAttribute('html', 'lang')).toBe(lang);
          // Every report page offers its downloads (the index lists the campaigns instead).
          if (slug !== 'reports' && slug !== 'methods')
            expect([slug, await page.locator('a[href*=".xlsx"]').count()]).not.toEqual([slug, 0]);
          await log.record(page, `${slug}-${lang}${suffix}`);
        }
      }
      await page.close();
    }
    // Print layout of the linkage page, as a leader saving it as PDF would see it.
    const print = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(print, base);
    await print.emulateMedia({ media: 'print' });
    expectOk(
      await print.goto(`${base}/reports/linkage?internal=${internal.id}&external=${external.id}`),
      'linkage print',
    );
    // The options box goes with its form: paper carries the stamp, not the controls.
    expect(await print.locator('.rp-controls').isVisible()).toBe(false);
    expect(await print.locator('.rp-print-stamp').isVisible()).toBe(true);
    await log.record(print, 'linkage-print');
    await print.emulateMedia({ media: 'screen' });
    // A bad choice (NPS on a side without NPS questions) answers 400 with the page and its reason.
    const bad = await print.goto(
      `${base}/reports/linkage?internal=${internal.id}&external=${external.id}&metric=nps`,
    );
    expect(bad?.status()).toBe(400);
    await log.record(print, 'linkage-bad-metric');
    await print.close();
    // A unit manager of the North region: the same pages, their units and the company-wide figures.
    const manager = { email: 'north@example.com', password: 'manager password 1' };
    await t
      .http()
      .post('/api/users')
      .set(bearer(t.adminToken))
      .send({ ...manager, role: 'manager', scopeUnitCode: 'NORTH' })
      .expect(201);
    const m = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(m, base, manager);
    for (const [slug, url] of pages().filter(([s]) => s !== 'methods')) {
      expectOk(await m.goto(`${base}${url}`), `manager ${slug}`);
      expect([slug, await m.locator('text=Napoli').count()]).toEqual([slug, 0]);
      await log.record(m, `manager-${slug}`);
    }
    await m.close();
    expect(found).toEqual([]);
    expect(log.shots.length).toBe(pages().length * 5 + 1);
  }, 600_000);
});
