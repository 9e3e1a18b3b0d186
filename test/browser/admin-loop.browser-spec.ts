import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, launchChromium, listen, submitSignIn } from '../helpers/browser.js';

const run = chromiumAvailable() ? describe : describe.skip;

/** The whole survey loop as an admin and a respondent click through it, with no API call. */
run('the survey loop in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  const shot = (name: string) =>
    page.screenshot({ path: `/tmp/specchio-${name}.png`, fullPage: true });

  beforeAll(async () => {
    t = await startApp('sqlite');
    base = await listen(t);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in, builds the organisation, runs a campaign and answers it from the outbox link', async () => {
    await page.goto(`${base}/admin/units`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await submitSignIn(page);
    expect(new URL(page.url()).pathname).toBe('/admin/units');

    await page
      .locator('textarea[name="csv"]')
      .fill('code,name,parent_code\nB1,Branch One,ACME\nACME,Acme Ltd,\nB2,Branch Two,ACME');
    // The import is previewed first (nothing written), then applied with its own button.
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await shot('units-preview');
    expect(await page.locator('#import-report').textContent()).toContain('3 would be created');
    await page.getByRole('button', { name: /^Import: create 3/ }).click();
    await shot('units');
    expect(await page.locator('main').textContent()).toContain('Branch Two');
    expect(await page.locator('.notice').textContent()).toContain('3 created');

    await page.goto(`${base}/admin/contacts`);
    await page
      .locator('textarea[name="csv"]')
      .fill(
        'email,name,audience,unit_code,language\nann@example.com,Ann,internal,B1,en\nbea@example.com,Bea,internal,B2,it\ncarl@example.com,Carl,external,B1,en',
      );
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await shot('contacts-preview');
    expect(await page.locator('#import-report').textContent()).toContain('3 would be created');
    await page.getByRole('button', { name: /^Import: create 3/ }).click();
    await shot('contacts');
    expect(await page.locator('main').textContent()).toContain('bea@example.com');
    expect(await page.locator('.notice').textContent()).toContain('3 created');

    await page.goto(`${base}/admin/campaigns/new`);
    await shot('campaign-new');
    await page.getByLabel('Name', { exact: true }).fill('Internal service 2026-Q1');
    await page.getByLabel('Wave').fill('2026-Q1');
    // One question from the library creates the draft; "Save draft" goes to the campaign page.
    await page.locator('button[name="op"][value="lib:int_overall"]').click();
    await page.locator('.builder-save button[name="op"][value="save"]').click();
    await shot('campaign-created');
    expect(await page.locator('h1').textContent()).toContain('Internal service 2026-Q1');

    await page.getByRole('link', { name: /launch/i }).click();
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.getByRole('button', { name: 'Create invitations' }).click();
    await shot('campaign-invited');
    expect(await page.locator('.notice').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('2 invitations created')]),
    );

    await page.goto(`${base}/admin/outbox`);
    await shot('outbox');
    const link = await page.locator('main').textContent();
    const url = /https?:\/\/[^\s]+\/s\/([A-Za-z0-9_-]{43})/.exec(link ?? '');
    expect(url).not.toBeNull();

    const respondent = await browser.newPage({
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    await respondent.goto(`${base}/s/${url![1]}`);
    const radios = respondent.locator('fieldset').first().locator('label');
    await radios.last().click();
    await respondent.locator('button[type="submit"]').click();
    expect(new URL(respondent.url()).pathname).toBe('/s/thanks');
    await respondent.close();

    await page.goto(`${base}/admin/campaigns`);
    await shot('campaigns');
    expect(await page.locator('main').textContent()).toMatch(/50(\.0)?\s?%/);
  });
});
