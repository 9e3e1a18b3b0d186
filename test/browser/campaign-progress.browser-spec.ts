import type { Browser } from 'playwright-core';
import { newId } from '../../src/common/crypto.js';
import { recountAnswerCounts } from '../../src/database/answer-counts.js';
import { Db } from '../../src/database/db.js';
import { ResponseEntity } from '../../src/database/schema/response.entity.js';
import { bearer, startApp, type TestApp } from '../helpers/app.js';
import {
  chromiumAvailable,
  launchChromium,
  listen,
  seriousViolations,
  signIn,
} from '../helpers/browser.js';
import { type DemoCampaign, seedDemoCompany } from '../helpers/companies.js';

/**
 * The live progress pages (issue 8) of the demo company's internal and external campaigns, in
 * English and Italian, at desktop and phone width: axe-core (WCAG 2.2 AA) finds no serious or
 * critical violation, the page is never wider than the phone (the unit table scrolls in its own
 * box). Screenshots are kept in /tmp/specchio-progress-*.png.
 */
const run = chromiumAvailable() ? describe : describe.skip;

run('campaign progress pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let internal: DemoCampaign;
  let external: DemoCampaign;

  beforeAll(async () => {
    t = await startApp('sqlite');
    ({ internal, external } = await seedDemoCompany(t));
    // A few earlier days of answers, so the per-day bars have something to draw.
    const units = (await t.http().get('/api/units').set(bearer(t.adminToken)).expect(200))
      .body as Array<{ id: string; code: string }>;
    const branch = units.find((u) => u.code.startsWith('B-'))!;
    const rows = [3, 8, 5, 12].flatMap((n, i) =>
      Array.from({ length: n }, () => ({
        id: newId(),
        campaignId: external.id,
        unitId: branch.id,
        invitationId: null,
        language: 'en',
        submittedAt: new Date(Date.now() - (4 - i) * 86_400_000).toISOString(),
      })),
    );
    await t.app.get(Db).write(async (m) => {
      await m.insert(ResponseEntity, rows);
      await recountAnswerCounts(m, [...new Set(rows.map((r) => r.campaignId))]);
    });
    base = await listen(t);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each([
    ['desktop', 1280],
    ['phone', 390],
  ])(
    'reads well at %s width in both languages',
    async (name, width) => {
      const page = await browser.newPage({ viewport: { width, height: 900 }, bypassCSP: true });
      await signIn(page, base);
      const found: string[] = [];
      for (const [audience, campaign] of [
        ['internal', internal],
        ['external', external],
      ] as const) {
        for (const lang of ['en', 'it']) {
          const path = `/admin/campaigns/${campaign.id}/progress?lang=${lang}`;
          const res = await page.goto(`${base}${path}`);
          expect([path, res?.status()]).toEqual([path, 200]);
          await expect(page.locator('#progress-units tbody tr').count()).resolves.toBeGreaterThan(
            0,
          );
          await page.screenshot({
            path: `/tmp/specchio-progress-${audience}-${lang}-${name}.png`,
            fullPage: true,
          });
          const pageWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
          expect([path, pageWidth <= width]).toEqual([path, true]);
          found.push(...(await seriousViolations(page)).map((v) => `${path}: ${v}`));
        }
      }
      expect(found).toEqual([]);
      await page.close();
    },
    120_000,
  );
});
