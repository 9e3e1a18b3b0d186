import type { Browser, Page } from 'playwright-core';
import { bearer, startApp, type TestApp } from '../helpers/app.js';
import {
  chromiumAvailable,
  launchChromium,
  listen,
  seriousViolations,
  signIn,
} from '../helpers/browser.js';
import { campaignDefinition, insertContactsWith, insertUnitRow } from '../helpers/factories.js';
import { Db } from '../../src/database/db.js';

/**
 * The schedule section of the campaign page in Chromium (issue 8): set an opening date, a closing
 * date and a reminder plan through the form, see the plan in one sentence and the rounds so far,
 * in English and Italian, at desktop and phone width; axe-core finds no serious or critical
 * violation. Screenshots: /tmp/specchio-schedule-*.png.
 */
const run = chromiumAvailable() ? describe : describe.skip;

const local = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16);
const DAY = 86_400_000;

run('campaign schedule in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let draftId: string;
  let openId: string;

  beforeAll(async () => {
    t = await startApp('sqlite');
    const db = t.app.get(Db);
    const unit = await insertUnitRow(db, 'SCHED');
    await insertContactsWith(db, unit, 3);
    const api = () => t.http();
    draftId = (
      await api()
        .post('/api/campaigns')
        .set(bearer(t.adminToken))
        .send(campaignDefinition({ name: 'Service 2027-Q1', wave: '2027-Q1' }))
        .expect(201)
    ).body.id;
    openId = (
      await api()
        .post('/api/campaigns')
        .set(bearer(t.adminToken))
        .send(
          campaignDefinition({
            name: 'Service 2026-Q4',
            wave: '2026-Q4',
            reminderPlan: { afterDays: 3, maxReminders: 2 },
          }),
        )
        .expect(201)
    ).body.id;
    await api()
      .post(`/api/campaigns/${openId}/invitations`)
      .set(bearer(t.adminToken))
      .send({ unitCodes: ['SCHED'] })
      .expect(201);
    await api().post(`/api/campaigns/${openId}/launch`).set(bearer(t.adminToken)).expect(200);
    await api()
      .post(`/api/campaigns/${openId}/reminders`)
      .set(bearer(t.adminToken))
      .send({})
      .expect(201);
    base = await listen(t);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await signIn(page, base);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('schedules a draft through the form and shows the plan, in English', async () => {
    await page.goto(`${base}/admin/campaigns/${draftId}`);
    await page.getByLabel('Opens (UTC)').fill(local(2 * DAY));
    await page.getByLabel('Closes (UTC)').fill(local(30 * DAY));
    await page.getByRole('checkbox', { name: 'Send reminders automatically' }).check();
    await page.getByLabel('Days after launch, and between rounds').fill('3');
    await page.getByLabel('At most this many rounds').fill('2');
    await Promise.all([
      page.waitForURL(/done=scheduleSaved/),
      page.getByRole('button', { name: 'Save the schedule' }).click(),
    ]);
    expect(await page.locator('.notice').first().textContent()).toBe('The schedule was saved.');
    expect(await page.locator('h1 .badge').textContent()).toBe('scheduled');
    expect(await page.locator('#reminder-plan').textContent()).toMatch(
      /^Reminders: 3 days after launch, then every 3 days, at most 2 — next on \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d \(UTC\)$/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/specchio-schedule-draft-en.png', fullPage: true });
  });

  it('keeps a refused input next to its field', async () => {
    await page.goto(`${base}/admin/campaigns/${draftId}`);
    await page.getByLabel('Opens (UTC)').fill(local(-DAY));
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    await page.waitForSelector('#error-summary');
    expect(await page.locator('#error-summary').textContent()).toContain(
      'The opening date must be in the future.',
    );
    expect(await page.getByLabel('Opens (UTC)').inputValue()).toBe(local(-DAY));
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/specchio-schedule-error-en.png', fullPage: true });
  });

  it('shows an open campaign with its plan and rounds in Italian, also at phone width', async () => {
    await page.goto(`${base}/admin/campaigns/${openId}?lang=it`);
    expect(await page.locator('#reminder-plan').textContent()).toContain(
      'Solleciti: 3 giorni dopo l’avvio, poi ogni 3 giorni, al massimo 2 — il prossimo il',
    );
    expect(await page.locator('#reminder-rounds + table tbody tr').count()).toBe(1);
    expect(await page.locator('#reminder-rounds + table td.num').textContent()).toBe('3');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/specchio-schedule-open-it.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
          .document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '/tmp/specchio-schedule-open-it-phone.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('offers Launch now or Schedule on the launch step, in Italian', async () => {
    await page.goto(`${base}/admin/campaigns/${draftId}/confirm/launch?lang=it`);
    expect(await page.getByRole('button', { name: 'Avvia ora' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Programma' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/specchio-schedule-launch-it.png', fullPage: true });
  });
});
