/**
 * Issue 9: the campaign results page with its "change since the previous wave" section, in
 * English and Italian, at desktop and phone width — screenshots kept in /tmp and axe-core with no
 * serious or critical violation. Also the campaign page's digest section.
 */
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

run('wave-over-wave change in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let q2: string;
  let q3: string;
  const shot = (name: string) =>
    page.screenshot({ path: `/tmp/specchio-wavechange-${name}.png`, fullPage: true });

  beforeAll(async () => {
    t = await startApp('sqlite', { MIN_GROUP_SIZE: '5' });
    const db = t.app.get(Db);
    const units: string[] = [];
    for (const [code, name] of [
      ['MIL', 'Milano Centro'],
      ['ROM', 'Roma Termini'],
      ['TOR', 'Torino Porta Nuova'],
      ['NAP', 'Napoli Garibaldi'],
    ])
      units.push(
        await insertUnitWith(db, { code }).then(async (id) => {
          await db.write((m) => m.query(`UPDATE units SET name = ? WHERE id = ?`, [name, id]));
          return id;
        }),
      );
    const make = (wave: string) =>
      insertReportCampaign(db, {
        audience: 'external',
        name: `Customer satisfaction ${wave}`,
        wave,
        headline: 'sat',
        questions: [
          { key: 'sat', type: 'csat' },
          { key: 'rec', type: 'nps' },
        ],
      });
    const q1 = await make('2026-Q1');
    q2 = await make('2026-Q2');
    const spread = (shift: number, n: number) =>
      Array.from({ length: n }, (_, i) => Math.min(5, Math.max(1, 3 + shift + ((i % 3) - 1))));
    const fill = (id: string, shifts: number[]) =>
      insertReportResponses(
        db,
        id,
        units.flatMap((unitId, u) =>
          spread(shifts[u], 12).map((sat, i) => ({
            unitId,
            answers: { sat, rec: Math.min(10, sat * 2 + (i % 2)) },
          })),
        ),
      );
    q3 = await insertReportCampaign(db, {
      audience: 'external',
      name: 'Customer satisfaction 2026-Q3',
      wave: '2026-Q3',
      status: 'open',
      headline: 'sat',
      questions: [{ key: 'sat', type: 'csat' }],
    });
    await fill(q1, [0, -1, 0, 0]);
    await fill(q2, [1, -1, 0, 1]);
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

  it.each(['en', 'it'] as const)(
    'shows the change section in %s with no serious axe violation',
    async (lang) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/reports/campaigns/${q2}?lang=${lang}`);
      const section = page.locator('#wave-change');
      await expect(section.locator('h2').textContent()).resolves.toBe(
        lang === 'en'
          ? 'Change since the previous wave'
          : 'Variazione rispetto alla rilevazione precedente',
      );
      expect(await section.locator('table.rp-change-table tbody tr').count()).toBe(1 + 1);
      expect(await section.locator('table.rp-movers tbody tr').count()).toBeGreaterThan(0);
      await shot(`${lang}-desktop`);
      expect(await seriousViolations(page)).toEqual([]);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      // At phone width the tables scroll inside their wrapper, the page itself does not.
      const overflow = Number(
        await page.evaluate(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        ),
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(`${lang}-phone`);
      expect(await seriousViolations(page)).toEqual([]);
    },
    180_000,
  );

  it('shows the digest section of the campaign page with no serious axe violation', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/admin/campaigns/${q3}?lang=it`);
    await expect(page.locator('#digest').textContent()).resolves.toBe('Riepilogo alla chiusura');
    expect(await page.locator('form[action$="/digest"] input[type=checkbox]').count()).toBe(1);
    await shot('digest-it');
    expect(await seriousViolations(page)).toEqual([]);
  }, 180_000);
});
