import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Db } from '../../src/database/db.js';
import { bearer, startApp, type TestApp } from '../helpers/app.js';
import {
  chromiumAvailable,
  launchChromium,
  listen,
  seriousViolations,
  signIn,
} from '../helpers/browser.js';
import { insertCampaignWith, insertContactWith, insertUnitWith } from '../helpers/factories.js';

/**
 * Organisation settings in Chromium (issue 8): the logo is uploaded through the real file input,
 * shown in the settings preview and on the respondent's page under the app's own CSP (img-src
 * 'self'), and the settings and mail texts pages have no serious or critical axe violation in
 * either language. Screenshots: /tmp/specchio-branding-*.png.
 */
const run = chromiumAvailable() ? describe : describe.skip;

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** True when the page's first image matching `selector` loaded (the CSP and the server let it). */
const imageLoaded = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((img) => {
      const image = img as unknown as { complete: boolean; naturalWidth: number };
      return image.complete && image.naturalWidth > 0;
    });

run('organisation settings in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startApp('sqlite');
    base = await listen(t);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('uploads a logo, shows it to respondents, and both pages pass axe in en and it', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(admin, base);

    await admin.goto(`${base}/admin/settings`);
    await admin.getByLabel('Organisation name').fill('Acme Servizi');
    await admin.getByLabel('Sender name').fill('Acme Customer Care');
    await admin.getByRole('button', { name: 'Save names' }).click();
    await admin.getByText('Names saved.').waitFor();

    const file = join(tmpdir(), 'specchio-branding-logo.png');
    writeFileSync(file, PNG);
    await admin.getByLabel('Logo file').setInputFiles(file);
    await admin.getByRole('button', { name: 'Upload logo' }).click();
    await admin.getByText('Logo uploaded.').waitFor();
    expect(await imageLoaded(admin, 'figure.logo-preview img')).toBe(true);
    await admin.screenshot({ path: '/tmp/specchio-branding-settings.png', fullPage: true });

    const db = t.app.get(Db);
    const unit = await insertUnitWith(db);
    const contact = await insertContactWith(db, unit, { language: 'it' });
    const campaign = await insertCampaignWith(db, { status: 'open', languages: 'en,it' });
    const invited = await t
      .http()
      .post(`/api/campaigns/${campaign}/invitations`)
      .set(bearer(t.adminToken))
      .send({ contactIds: [contact] })
      .expect(201);

    const respondent = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await respondent.goto(invited.body.invitations[0].url.replace('http://survey.test', base));
    const logo = respondent.getByRole('img', { name: 'Acme Servizi' });
    await logo.waitFor();
    expect(await imageLoaded(respondent, 'header.org-brand img')).toBe(true);
    await respondent.screenshot({ path: '/tmp/specchio-branding-respondent.png', fullPage: true });
    expect(await seriousViolations(respondent)).toEqual([]);

    for (const lang of ['en', 'it']) {
      for (const path of ['/admin/settings', `/admin/campaigns/${campaign}/mail`]) {
        await admin.goto(`${base}${path}?lang=${lang}`);
        expect(await seriousViolations(admin)).toEqual([]);
        const name = path.includes('mail') ? 'mail' : 'settings';
        await admin.screenshot({
          path: `/tmp/specchio-branding-${name}-${lang}.png`,
          fullPage: true,
        });
      }
    }
  }, 120_000);
});
