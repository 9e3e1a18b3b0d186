import type { Browser } from 'playwright-core';
import { Db } from '../../src/database/db.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, launchChromium, listen } from '../helpers/browser.js';
import { seedSurvey } from '../helpers/survey-fixtures.js';

const run = chromiumAvailable() ? describe : describe.skip;

run('answering in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await startApp('sqlite');
    base = await listen(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('answers on a phone-sized screen with the keyboard-free form, then lands on a token-less thank-you page', async () => {
    const s = await seedSurvey(t, { contactLanguage: 'it', invitees: 1 });
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${base}/s/${s.tokens[0]}`);
    await page.screenshot({ path: '/tmp/specchio-respond-form.png', fullPage: true });
    expect(await page.locator('fieldset').count()).toBe(7);
    expect(await page.getByRole('radio', { name: '10' }).count()).toBeGreaterThan(0);
    // Submitting without the required answer re-renders with a linked error summary.
    await page.getByRole('button', { name: 'Invia le risposte' }).click();
    expect(await page.locator('.error-summary a[href="#q-sat"]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/specchio-respond-errors.png', fullPage: true });
    await page.locator('label[for="q-sat-4"]').click();
    await page.locator('label[for="q-nps-9"]').click();
    await page.locator('label[for="q-topics-1"]').click();
    await page.locator('#q-why').fill('Tutto bene');
    await page.getByRole('button', { name: 'Invia le risposte' }).click();
    expect(new URL(page.url()).pathname).toBe('/s/thanks');
    expect(page.url()).not.toContain(s.tokens[0]);
    expect(await page.locator('h1').textContent()).toBe('Grazie');
    // Only our own origin was ever contacted.
    expect(requests.every((u) => u.startsWith(base))).toBe(true);
    const rows = await t.app.get(Db).manager.query('SELECT COUNT(*) AS n FROM answers');
    expect(Number(rows[0].n)).toBe(4);
    await page.close();
  });

  it('shows author-controlled text literally: no script runs, no element is created', async () => {
    const payload =
      '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>';
    const s = await seedSurvey(t, { name: payload, invitees: 1 });
    const page = await browser.newPage();
    let dialog = false;
    page.on('dialog', (d) => {
      dialog = true;
      void d.dismiss();
    });
    await page.goto(`${base}/s/${s.tokens[0]}`);
    expect(await page.locator('h1').textContent()).toBe(payload);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
    expect(dialog).toBe(false);
    await page.close();
  });
});
