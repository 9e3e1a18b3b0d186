import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  chromiumAvailable,
  launchChromium,
  listen,
  seriousViolations,
  signIn,
} from '../helpers/browser.js';
import { type DemoCampaign, seedDemoCompany, spreadDemoBranches } from '../helpers/companies.js';

/**
 * Unit managers (issue 9) in Chromium: an admin invites a manager of NORTH from the Users page
 * (en and it, axe), the manager signs in and reads a report page with the region's branches
 * only. Screenshots in test-artifacts/unit-managers/ (ignored by git).
 */
const run = chromiumAvailable() ? describe : describe.skip;
const SHOTS = resolve(process.cwd(), 'test-artifacts', 'unit-managers');
const MANAGER = { email: 'north@example.com', password: 'manager password' };

run('unit managers in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let internal: DemoCampaign;
  let external: DemoCampaign;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
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

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

  it('invites a manager from the Users page, in en and it, with no serious axe violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await signIn(page, base);
    await page.goto(`${base}/admin/users?lang=it`);
    await page.getByLabel('Unità di competenza (solo responsabili di unità)').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'users-it');
    await page.goto(`${base}/admin/users`);
    // Without a scope unit: the error next to the field, in the summary, nothing created.
    await page.getByLabel('E-mail', { exact: true }).fill(MANAGER.email);
    await page.getByLabel('Password (12 characters or more)').fill(MANAGER.password);
    await page.getByLabel('Role').selectOption('manager');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('needs a scope unit');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'users-en-error');
    await page.getByLabel('Password (12 characters or more)').fill(MANAGER.password);
    await page.getByLabel('Role').selectOption('manager');
    await page.getByLabel('Scope unit (unit managers only)').selectOption('NORTH');
    await Promise.all([
      page.waitForURL((u) => u.search.includes('done=created')),
      page.getByRole('button', { name: 'Add user' }).click(),
    ]);
    expect(await page.locator('table').first().textContent()).toContain('unit manager of NORTH');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'users-en');
    await page.close();
  });

  it('shows a manager the region on a report page, and no admin navigation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await signIn(page, base, MANAGER);
    expect(new URL(page.url()).pathname).toBe('/reports');
    expect(await page.getByRole('status').textContent()).toContain('Region North (NORTH)');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'manager-index-en');
    await page.goto(`${base}/reports/campaigns/${external.id}`);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Milano');
    for (const south of ['Roma', 'Napoli', 'Palermo']) expect(text).not.toContain(south);
    expect(await page.locator('a[href="/admin/users"]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'manager-report-en');
    await page.goto(
      `${base}/reports/linkage?internal=${internal.id}&external=${external.id}&lang=it`,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'manager-linkage-it');
    const res = await page.goto(`${base}/admin/users`);
    expect(res?.status()).toBe(403);
    await page.close();
  });
});
