import type { Browser, Page } from 'playwright-core';
import { ADMIN, bearer, startApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, launchChromium, listen } from '../helpers/browser.js';

const run = chromiumAvailable() ? describe : describe.skip;

/** What the focused element is, and whether it shows a focus ring (outline or box shadow). */
function focused(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const doc = (globalThis as unknown as { document: { activeElement: unknown } }).document;
    const el = doc.activeElement as {
      matches(s: string): boolean;
      outerHTML: string;
    } | null;
    if (!el) return { matches: false, ring: false, html: '' };
    const style = (
      globalThis as unknown as {
        getComputedStyle(e: unknown): {
          outlineStyle: string;
          outlineWidth: string;
          boxShadow: string;
        };
      }
    ).getComputedStyle(el);
    const ring =
      (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none';
    return { matches: el.matches(sel), ring, html: el.outerHTML.slice(0, 120) };
  }, selector);
}

/**
 * Presses Tab (only Tab) until the element matching `selector` has the focus, and checks that it
 * shows a visible focus indicator; fails when it cannot be reached within `max` presses.
 */
async function tabTo(page: Page, selector: string, max = 150): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page, selector);
    if (now.matches) {
      if (!now.ring) throw new Error(`${selector} has the focus but no visible focus indicator`);
      return;
    }
  }
  throw new Error(`${selector} was not reached with ${max} presses of Tab on ${page.url()}`);
}

/** Enter on the focused control, waiting for the page it leads to. */
async function enter(page: Page): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

/**
 * Issue 8: the admin journey works with the keyboard alone. Every step below is Tab to a control
 * (which must show a focus ring), then typing or Enter: sign in, go to campaigns, build a campaign
 * from the library, save it, invite, launch through the confirmation, and switch the interface to
 * Italian with the top bar's picker.
 */
run('the admin journey with the keyboard alone', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    t = await startApp('sqlite');
    base = await listen(t);
    const admin = bearer(t.adminToken);
    await t
      .http()
      .post('/api/units/import')
      .set(admin)
      .set('Content-Type', 'text/csv')
      .send('code,name,parent_code\nACME,Acme Ltd,\nB1,Branch One,ACME\n')
      .expect(200);
    await t
      .http()
      .post('/api/contacts/import')
      .set(admin)
      .set('Content-Type', 'text/csv')
      .send('email,name,audience,unit_code,language\nann@example.com,Ann,external,B1,en\n')
      .expect(200);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(8000);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in, builds, invites, launches and changes language without a mouse', async () => {
    await page.goto(`${base}/login`);
    await tabTo(page, 'input[name="email"]');
    await page.keyboard.type(ADMIN.email);
    await tabTo(page, 'input[name="password"]');
    await page.keyboard.type(ADMIN.password);
    await enter(page);
    expect(new URL(page.url()).pathname).toBe('/admin');

    await tabTo(page, 'header a[href="/admin/campaigns"]');
    await enter(page);
    expect(new URL(page.url()).pathname).toBe('/admin/campaigns');

    await tabTo(page, 'a[href="/admin/campaigns/new?audience=external"]');
    await enter(page);
    await tabTo(page, 'input[name="name"]');
    await page.keyboard.type('Keyboard buyers');
    await tabTo(page, 'input[name="wave"]');
    await page.keyboard.type('2026-Q3');
    await tabTo(page, 'button[value="lib:ext_nps"]');
    await enter(page);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/campaigns\/[0-9a-f-]{36}\/edit$/);
    const id = /campaigns\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.goto(page.url()); // start again from the top of the edited draft
    await tabTo(page, '.builder-save button[value="save"]', 300);
    await enter(page);
    expect(new URL(page.url()).pathname).toBe(`/admin/campaigns/${id}`);

    await tabTo(page, `form[action="/admin/campaigns/${id}/invitations"] button[type="submit"]`);
    await enter(page);
    await page.goto(`${base}/admin/campaigns/${id}`);
    await tabTo(page, `a[href="/admin/campaigns/${id}/confirm/launch"]`);
    await enter(page);
    await tabTo(page, `form[action="/admin/campaigns/${id}/launch"] button[type="submit"]`);
    await enter(page);
    const view = (await t.http().get(`/api/campaigns/${id}`).set(bearer(t.adminToken)).expect(200))
      .body;
    expect(view).toMatchObject({ status: 'open', name: 'Keyboard buyers' });
    expect(view.questions.map((q: { key: string }) => q.key)).toEqual(['nps']);

    // The language picker: focus the select, choose Italiano by typing, Tab to Apply, Enter.
    await tabTo(page, '#language-picker');
    await page.keyboard.type('Ital');
    await tabTo(page, 'form[action="/account/language"] button[type="submit"]', 5);
    await enter(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('it');
    expect(new URL(page.url()).pathname).toBe(`/admin/campaigns/${id}`);
  });
});
