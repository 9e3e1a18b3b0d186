import type { Browser, Page } from 'playwright-core';
import { bearer, startApp, type TestApp } from '../helpers/app.js';
import {
  chromiumAvailable,
  launchChromium,
  listen,
  seriousViolations,
  submitSignIn,
} from '../helpers/browser.js';

const run = chromiumAvailable() ? describe : describe.skip;
/** True when the element is entirely inside the viewport. */
async function inView(p: Page, selector: string): Promise<boolean> {
  const box = await p.locator(selector).boundingBox();
  const size = p.viewportSize();
  return Boolean(box && size && box.y >= 0 && box.y + box.height <= size.height);
}

/** The id of the focused element once the page's deferred script has run (polled briefly). */
async function focusedId(p: Page): Promise<string> {
  let id = '';
  for (let i = 0; i < 30 && id === ''; i++) {
    id = String(await p.evaluate('document.activeElement ? document.activeElement.id : ""'));
    if (id === '') await p.waitForTimeout(100);
  }
  return id;
}

/** An admin builds an external campaign from the library in both languages, previews it and launches it. */
run('the campaign builder in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  const found: string[] = [];
  /** A screenshot to look at, and axe-core on the same page. */
  const shot = async (p: Page, name: string, checkAxe = true) => {
    await p.screenshot({ path: `/tmp/specchio-builder-${name}.png`, fullPage: true });
    // axe-core needs JavaScript: the no-JS page is checked as the same template with JS on.
    if (checkAxe) found.push(...(await seriousViolations(p)).map((v) => `${name}: ${v}`));
  };

  beforeAll(async () => {
    t = await startApp('sqlite');
    base = await listen(t);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(8000);
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
      .send(
        'email,name,audience,unit_code,language\n' +
          'ann@example.com,Ann,external,B1,en\nbea@example.com,Bea,external,B1,it\n' +
          'carl@example.com,Carl,external,B1,en\ndan@example.com,Dan,internal,B1,en\n',
      )
      .expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('builds from library questions in en and it, previews, launches with confirmation', async () => {
    await page.goto(`${base}/admin/campaigns/new?audience=external`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await submitSignIn(page);
    expect(new URL(page.url()).pathname).toBe('/admin/campaigns/new');
    await shot(page, '1-new');
    expect(await page.locator('#anonymous').isChecked()).toBe(false);
    expect(await page.locator('#audience-external').isChecked()).toBe(true);
    expect(await page.locator('main').textContent()).not.toMatch(/JSON/);

    await page.getByLabel('Name', { exact: true }).fill('Buyers 2026-Q2');
    await page.getByLabel('Wave').fill('2026-Q2');
    await page.locator('button[value="lib:ext_nps"]').click();
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/campaigns\/[0-9a-f-]{36}\/edit$/);
    expect(await page.locator('.notice').textContent()).toContain(
      'The draft was created and saved.',
    );
    await page.locator('button[value="lib:ext_channel"]').click();
    await page.locator('button[value="lib:ext_comment"]').click();

    // A question of one's own, both languages side by side; a missing Italian text first.
    await page.getByLabel('Kind of question').last().selectOption('csat');
    await page.locator('#new-text-en').fill('How satisfied are you with your branch?');
    await page.locator('button[value="add"]').click();
    expect(await page.locator('#error-summary').textContent()).toContain(
      'Write the question in Italian.',
    );
    expect(await page.locator('#q3-text-en').inputValue()).toBe(
      'How satisfied are you with your branch?',
    );
    await shot(page, '2-error');
    await page.locator('#q3-text-it').fill('Quanto è soddisfatto della sua filiale?');
    await page.locator('button[value="up:3"]').click();
    // The result is shown where the page opens (#q2), in view and focused, not off-screen at the top.
    expect(new URL(page.url()).hash).toBe('#q2');
    expect(await page.locator('#q2 #step-notice').textContent()).toContain('moved');
    expect(await inView(page, '#step-notice')).toBe(true);
    expect(await focusedId(page)).toBe('step-notice');
    await page.locator('#headline').selectOption('satisfied_branch');
    await page.locator('.builder-save button[value="save"]').click();
    expect(await page.locator('.notice').first().textContent()).toContain('The draft was saved.');
    const id = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(page.url())![1];
    const view = (await t.http().get(`/api/campaigns/${id}`).set(bearer(t.adminToken)).expect(200))
      .body;
    expect(view.questions.map((q: { key: string }) => q.key)).toEqual([
      'nps',
      'channel',
      'satisfied_branch',
      'comment',
    ]);
    expect(view.headline).toBe('satisfied_branch');
    expect(view.anonymous).toBe(false);
    await shot(page, '3-detail');

    await page.getByRole('button', { name: 'Create invitations' }).click();
    expect(await page.locator('.notice').first().textContent()).toContain('3 invitations created');

    // Preview in each language; Italian at phone width.
    await page.getByRole('link', { name: 'Preview (English)' }).click();
    expect(await page.locator('.preview-bar').textContent()).toContain('Answers cannot be sent');
    expect(await page.locator('main').textContent()).toContain(
      'How likely are you to recommend us',
    );
    await shot(page, '4-preview-en');
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${base}/admin/campaigns/${id}/preview?lang=it&width=phone`);
    expect(await phone.locator('main').textContent()).toContain('Quanto è probabile');
    const width = Number(await phone.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(390);
    await shot(phone, '5-preview-it-phone');
    await phone.locator('button[type="submit"]').click();
    // The page follows ?lang=it: the preview bar is in Italian too.
    expect(await phone.locator('.preview-bar').textContent()).toContain('Nulla è stato inviato');
    await phone.close();

    // Launch, confirmed once, with the real number of e-mails.
    await page.goto(`${base}/admin/campaigns/${id}`);
    await page.getByRole('link', { name: /launch/i }).click();
    expect(await page.locator('.confirm-box').textContent()).toContain('3 e-mails will be sent');
    await shot(page, '6-confirm-launch');
    await page.getByRole('button', { name: 'Launch' }).click();
    expect(await page.locator('main .notice').first().textContent()).toContain(
      'The campaign is open.',
    );
    await shot(page, '7-launched');

    // Copy to the next wave: one button, the next label proposed.
    await page.getByRole('link', { name: 'Copy to next wave…' }).click();
    expect(await page.locator('#wave').inputValue()).toBe('2026-Q3');
    expect(await page.locator('#name').inputValue()).toBe('Buyers 2026-Q3');
    await page.getByRole('button', { name: 'Create the copy' }).click();
    expect(await page.locator('main .notice').first().textContent()).toContain(
      'This is the copy for the new wave',
    );
    const copyId = /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(page.url())![1];
    expect(copyId).not.toBe(id);

    // The builder without JavaScript, on a phone: remove a question, add one from the library.
    const noJs = await browser.newContext({
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    await noJs.addCookies(await page.context().cookies());
    const mobile = await noJs.newPage();
    mobile.setDefaultTimeout(8000);
    await mobile.goto(`${base}/admin/campaigns/${copyId}/edit`);
    await mobile.getByRole('button', { name: 'Remove question 4' }).click();
    expect(await mobile.locator('#q2 .notice').textContent()).toContain('removed');
    // Without JavaScript too, the page opens at the question and its notice is in view.
    expect(await inView(mobile, '#q2 .notice')).toBe(true);
    await mobile.locator('button[value="lib:ext_csat"]').click();
    expect(await mobile.locator('.notice').textContent()).toContain('added');
    expect(
      Number(await mobile.evaluate('document.documentElement.scrollWidth')),
    ).toBeLessThanOrEqual(390);
    await shot(mobile, '8-builder-phone-nojs', false);
    await noJs.close();
    const copied = (
      await t.http().get(`/api/campaigns/${copyId}`).set(bearer(t.adminToken)).expect(200)
    ).body;
    expect(copied).toMatchObject({ status: 'draft', wave: '2026-Q3', anonymous: false });
    expect(copied.questions.map((q: { key: string }) => q.key)).toEqual([
      'nps',
      'channel',
      'satisfied_branch',
      'csat',
    ]);
    expect(found).toEqual([]);
  }, 120_000);
});
