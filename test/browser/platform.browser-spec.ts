import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { seedDemo } from '../../src/cli/seed-demo.js';
import { bearer, startApp, type TestApp } from '../helpers/app.js';
import { chromiumAvailable, launchChromium, listen, submitSignIn } from '../helpers/browser.js';

const run = chromiumAvailable() ? describe : describe.skip;

/** The platform's own pages in Chromium: the API documentation, error pages, phone-width tables. */
run('platform pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  const problems: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: `/tmp/specchio-platform-${name}.png`, fullPage: true });

  beforeAll(async () => {
    t = await startApp('sqlite');
    base = await listen(t);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Every console error (CSP violations are reported there) and every failed script or style.
    // (The browser's own /favicon.ico request is not the page's: the app has no favicon there.)
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
        problems.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
        problems.push(`${r.status()}: ${new URL(r.url()).pathname}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sends an anonymous visitor of /api/docs to sign in, then shows the docs with no CSP error', async () => {
    await page.goto(`${base}/api/docs`);
    expect(new URL(page.url()).pathname).toBe('/login');
    const spec = await page.request.get(`${base}/api/docs/openapi.json`);
    expect(spec.status()).toBe(401);
    problems.length = 0;
    await submitSignIn(page);
    expect(new URL(page.url()).pathname).toBe('/api/docs');
    // Swagger UI rendered the operations from the document.
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    await page.locator('.opblock-summary').first().click();
    await page.waitForTimeout(300);
    await shot('api-docs');
    expect(problems).toEqual([]);
    expect(problems.join('\n')).not.toMatch(/Content Security Policy/);
  });

  it('shows a friendly 404 in the layout with the admin navigation, and in Italian', async () => {
    problems.length = 0;
    const res = await page.goto(`${base}/no-such-page`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    expect(await page.locator('header nav a[href="/admin/units"]').count()).toBe(1);
    await shot('404');
    await page.goto(`${base}/no-such-page?lang=it`);
    expect(await page.locator('h1').textContent()).toBe('Pagina non trovata');
    await page.getByRole('link', { name: 'Vai alla panoramica' }).click();
    expect(new URL(page.url()).pathname).toBe('/admin');
    expect(problems.filter((p) => !p.includes('/no-such-page'))).toEqual([]);
  });

  it('keeps admin tables readable at phone width: no word broken, the page never wider than the phone', async () => {
    await seedDemo(t.app, t.adminToken, 7);
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${base}/login`);
    await submitSignIn(phone);
    const campaigns = await t.http().get('/api/campaigns').set(bearer(t.adminToken)).expect(200);
    const pages = {
      overview: '/admin',
      units: '/admin/units',
      contacts: '/admin/contacts',
      campaigns: '/admin/campaigns',
      campaign: `/admin/campaigns/${campaigns.body[0].id}`,
      outbox: '/admin/outbox',
      users: '/admin/users',
      'campaigns-it': '/admin/campaigns?lang=it',
    };
    for (const [name, path] of Object.entries(pages)) {
      const res = await phone.goto(`${base}${path}`);
      expect(res?.status()).toBe(200);
      await phone.screenshot({ path: `/tmp/specchio-phone-${name}.png`, fullPage: true });
      const table = phone.locator('main table').first();
      if (await table.count())
        await table.screenshot({ path: `/tmp/specchio-phone-${name}-table.png` });
      // Every word of every table cell on one line (a word split over two lines has two boxes),
      // and the page itself no wider than the phone (wide tables scroll inside their own box).
      const found = (await phone.evaluate(BROKEN_WORDS)) as { broken: string[]; width: number };
      expect({ path, broken: found.broken }).toEqual({ path, broken: [] });
      expect(found.width).toBeLessThanOrEqual(390);
    }
    // The error page at phone width, in Italian.
    expect((await phone.goto(`${base}/no-such-page?lang=it`))?.status()).toBe(404);
    await phone.screenshot({ path: '/tmp/specchio-phone-404-it.png', fullPage: true });
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await phone.close();
  }, 120_000);
});

/** Runs in the page: words of table cells drawn over two lines, and the page's width. */
const BROKEN_WORDS = `(() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      // A word, or its part up to a hyphen or en dash: a line may end there or at a <wbr>.
      const re = /[^\\s\u2013-]+[\u2013-]?/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return { broken: [...new Set(broken)].slice(0, 20), width: document.documentElement.scrollWidth };
})()`;
