import type { Browser, Page } from 'playwright-core';
import { Db } from '../../src/database/db.js';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  chromiumAvailable,
  launchChromium,
  listen,
  seriousViolations,
  submitSignIn,
} from '../helpers/browser.js';
import {
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
} from '../helpers/factories.js';

const run = chromiumAvailable() ? describe : describe.skip;

run('comments page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let external: string;
  let internal: string;
  const shot = (name: string) =>
    page.screenshot({ path: `/tmp/specchio-comments-${name}.png`, fullPage: true });

  beforeAll(async () => {
    t = await startApp('sqlite', { MIN_GROUP_SIZE: '5', MIN_COMMENT_GROUP_SIZE: '10' });
    const db = t.app.get(Db);
    const root = await insertUnitWith(db, { code: 'HQ' });
    const north = await insertUnitWith(db, { code: 'N', parentId: root });
    const south = await insertUnitWith(db, { code: 'S', parentId: root });
    const questions = [
      { key: 'sat', type: 'csat' as const },
      { key: 'why', type: 'text' as const },
    ];
    external = await insertReportCampaign(db, { audience: 'external', questions });
    internal = await insertReportCampaign(db, { audience: 'internal', questions });
    const texts = [
      'The staff were kind and quick.',
      'Waiting time was too long; I waited forty minutes.',
      'Perché non aprite il sabato?',
      `A very long word: ${'supercalifragilistic'.repeat(12)}`,
      'Parking is hard to find near the branch.',
    ];
    for (const id of [external, internal])
      await insertReportResponses(
        db,
        id,
        Array.from({ length: 60 }, (_, i) => ({
          unitId: i % 2 ? north : south,
          answers: { sat: 1 + (i % 5), why: `${texts[i % texts.length]} (#${i})` },
        })),
      );
    base = await listen(t);
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      // axe-core runs in the page; the page itself has no script (CSP).
      javaScriptEnabled: true,
    });
    await page.goto(`${base}/reports`);
    await Promise.all([page.waitForURL(`${base}/reports`), submitSignIn(page)]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('reads the comments of an external campaign with their units, and searches', async () => {
    await page.goto(`${base}/reports/campaigns/${external}/comments`);
    expect(await page.locator('.cm-item').count()).toBe(50);
    expect(await page.locator('.cm-unit').count()).toBe(50);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('external-en');
    await page.fill('#cm-q', 'PERCHE');
    await Promise.all([page.waitForURL(/q=PERCHE/), page.click('form[role="search"] button')]);
    expect(await page.locator('.cm-count').innerText()).toContain('60 comments, 12 matching');
    expect(await page.locator('.cm-item').count()).toBe(12);
  }, 120_000);

  it('reads the comments of a closed internal campaign, unattributed, in Italian at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/reports/campaigns/${internal}/comments?lang=it`);
    expect(await page.locator('.cm-item').count()).toBe(50);
    expect(await page.locator('.cm-unit').count()).toBe(0);
    expect(await page.locator('.cm-text[lang=""]').count()).toBe(50);
    expect(await page.locator('#cm-group option').allInnerTexts()).toEqual([
      'Intera campagna',
      'Unit HQ (HQ)',
      'Unit N (N)',
      'Unit S (S)',
    ]);
    // Long words wrap: nothing wider than the screen.
    const wide = await page.evaluate(() => {
      const root = (
        globalThis as unknown as {
          document: { documentElement: { scrollWidth: number; clientWidth: number } };
        }
      ).document.documentElement;
      return root.scrollWidth > root.clientWidth;
    });
    expect(wide).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('internal-it-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);
});
