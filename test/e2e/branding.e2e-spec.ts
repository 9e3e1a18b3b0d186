import request from 'supertest';
import { Db } from '../../src/database/db.js';
import { ADMIN, bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { csrfOf, signIn, type Agent } from '../helpers/auth.js';
import { insertCampaignWith, insertContactWith, insertUnitWith } from '../helpers/factories.js';

type Body = Record<string, any>;

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

describe.each(dbKinds())('organisation settings and logo on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let admin: Agent;

  beforeAll(async () => {
    t = await startApp(kind);
    db = t.app.get(Db);
    admin = await signIn(t);
  });
  afterAll(() => t.close());

  /** Uploads `bytes` as the logo through the settings page's form. */
  async function upload(
    agent: Agent,
    bytes: Buffer,
    filename: string,
    type: string,
    status: number,
  ) {
    const page = await agent.get('/admin/settings');
    return agent
      .post('/admin/settings/logo')
      .field('_csrf', csrfOf(page.text))
      .attach('logo', bytes, { filename, contentType: type })
      .expect(status);
  }

  it('reads and sets the names through the API (admins only), refusing a bad one', async () => {
    const api = () => t.http();
    const empty = await api().get('/api/settings').set(bearer(t.adminToken)).expect(200);
    expect(empty.body).toEqual({
      organisationName: null,
      senderName: null,
      senderAddress: 'no-reply@specchio.local',
      logo: null,
    });
    const put = await api()
      .put('/api/settings')
      .set(bearer(t.adminToken))
      .send({ organisationName: '  Acme Servizi  ', senderName: 'Acme Customer Care' })
      .expect(200);
    expect(put.body).toMatchObject({
      organisationName: 'Acme Servizi',
      senderName: 'Acme Customer Care',
    });
    const bad = await api()
      .put('/api/settings')
      .set(bearer(t.adminToken))
      .send({ organisationName: 'x'.repeat(121), senderName: 'two\nlines' })
      .expect(400);
    expect(bad.body.errors.map((e: Body) => e.field)).toEqual(['organisationName', 'senderName']);
    await api().put('/api/settings').set(bearer(t.adminToken)).send({ extra: 1 }).expect(400);
    const analyst = await createAnalyst(t, { email: 'ana@example.com', password: ADMIN.password });
    await api().get('/api/settings').set(bearer(analyst)).expect(403);
    await api().get('/api/settings').expect(401);
    const after = await api().get('/api/settings').set(bearer(t.adminToken)).expect(200);
    expect(after.body.organisationName).toBe('Acme Servizi');

    const doc = (await api().get('/api/docs/openapi.json').set(bearer(t.adminToken)).expect(200))
      .body as Body;
    expect(Object.keys(doc.paths['/api/settings'])).toEqual(['get', 'put']);
    expect(Object.keys(doc.paths['/api/campaigns/{id}/mail-texts'])).toEqual(['get', 'put']);
    expect(doc.paths['/brand/logo']).toBeUndefined();
  });

  it('saves the names on the page, re-rendering a bad input with the input kept', async () => {
    let page = await admin.get('/admin/settings?lang=it').expect(200);
    expect(page.text).toContain('Impostazioni dell&#x27;organizzazione');
    const bad = await admin
      .post('/admin/settings?lang=it')
      .type('form')
      .send({ _csrf: csrfOf(page.text), organisationName: 'Acme', senderName: 'y'.repeat(81) })
      .expect(400);
    expect(bad.text).toContain('Il nome del mittente può avere al massimo 80 caratteri');
    expect(bad.text).toContain(`value="${'y'.repeat(81)}"`);
    page = await admin.get('/admin/settings').expect(200);
    const ok = await admin
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: csrfOf(page.text), organisationName: 'Acme Servizi', senderName: 'Acme Care' })
      .expect(303);
    expect(ok.headers.location).toBe('/admin/settings?done=saved');
    page = await admin.get(ok.headers.location).expect(200);
    expect(page.text).toContain('Names saved.');
    expect(page.text).toContain('value="Acme Care"');
  });

  it('accepts a PNG logo and serves it with its type, nosniff and a validator', async () => {
    const res = await upload(admin, PNG, 'logo.png', 'image/png', 303);
    expect(res.headers.location).toBe('/admin/settings?done=logo');
    const page = await admin.get(res.headers.location).expect(200);
    expect(page.text).toContain('Logo uploaded.');
    const src = /<img src="(\/brand\/logo\?v[^"]+)" alt="Acme Servizi">/.exec(page.text)![1];

    const logo = await t
      .http()
      .get(src.replace(/&#x3D;/g, '='))
      .expect(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
    expect(logo.headers['cache-control']).toContain('immutable');
    expect(Buffer.compare(logo.body as Buffer, PNG)).toBe(0);
    const unversioned = await t.http().get('/brand/logo').expect(200);
    expect(unversioned.headers['cache-control']).toBe('no-cache');
    await t.http().get('/brand/logo').set('If-None-Match', unversioned.headers.etag).expect(304);
    const api = await t.http().get('/api/settings').set(bearer(t.adminToken)).expect(200);
    expect(api.body.logo).toMatchObject({ type: 'image/png' });
  });

  it('refuses SVG, a file over 200 KB, a non-image, no file; keeps the current logo', async () => {
    const svg = await upload(admin, SVG, 'logo.png', 'image/png', 400);
    expect(svg.text).toContain('not a PNG, JPEG or WebP image (SVG is not accepted)');
    const big = Buffer.concat([PNG, Buffer.alloc(200 * 1024)]);
    const tooBig = await upload(admin, big, 'big.png', 'image/png', 413);
    expect(tooBig.text).toContain('The file is larger than 200 KB.');
    const text = await upload(admin, Buffer.from('hello'), 'a.jpg', 'image/jpeg', 400);
    expect(text.text).toContain('not a PNG, JPEG or WebP image');
    const none = await upload(admin, Buffer.alloc(0), '', 'application/octet-stream', 400);
    expect(none.text).toContain('field-error');
    const logo = await t.http().get('/brand/logo').expect(200);
    expect(logo.headers['content-type']).toBe('image/png');
  });

  it('guards the upload: a session, an admin and the CSRF field are needed', async () => {
    await request(t.app.getHttpServer())
      .post('/admin/settings/logo')
      .attach('logo', PNG, { filename: 'logo.png', contentType: 'image/png' })
      .expect(303)
      .expect('location', /^\/login/);
    await admin
      .post('/admin/settings/logo')
      .attach('logo', PNG, { filename: 'logo.png', contentType: 'image/png' })
      .expect(403);
    const analyst = await signIn(t, { email: 'ana@example.com', password: ADMIN.password });
    await upload(analyst, PNG, 'logo.png', 'image/png', 403);
  });

  it('leaves every other route refusing multipart bodies', async () => {
    await t
      .http()
      .put('/api/settings')
      .set(bearer(t.adminToken))
      .field('organisationName', 'x')
      .expect(415);
    const page = await admin.get('/admin/settings').expect(200);
    await admin
      .post('/admin/settings')
      .field('_csrf', csrfOf(page.text))
      .field('organisationName', 'x')
      .expect(415);
    await t.http().post('/api/auth/token').field('email', ADMIN.email).expect(415);
  });

  it('shows the organisation on respondent pages: logo with its name as alt text', async () => {
    const unit = await insertUnitWith(db);
    const contact = await insertContactWith(db, unit, { language: 'it' });
    const campaign = await insertCampaignWith(db, { status: 'open', languages: 'en,it' });
    const res = await t
      .http()
      .post(`/api/campaigns/${campaign}/invitations`)
      .set(bearer(t.adminToken))
      .send({ contactIds: [contact] })
      .expect(201);
    const token = new URL(res.body.invitations[0].url as string).pathname.split('/').pop()!;
    const form = await t.http().get(`/s/${token}`).expect(200);
    expect(form.text).toMatch(
      /<header class="org-brand"><img src="\/brand\/logo\?v[^"]+" alt="Acme Servizi">/,
    );
    const unsubscribe = await t.http().get(`/unsubscribe/${token}`).expect(200);
    expect(unsubscribe.text).toContain('alt="Acme Servizi"');
    const unknown = await t
      .http()
      .get(`/unsubscribe/${'Z'.repeat(43)}`)
      .expect(404);
    expect(unknown.text).toContain('class="org-brand"');

    // Without a logo the name shows as text; with neither, no header at all.
    let page = await admin.get('/admin/settings').expect(200);
    await admin
      .post('/admin/settings/logo/remove')
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    await t.http().get('/brand/logo').expect(404);
    expect((await t.http().get(`/s/${token}`).expect(200)).text).toContain(
      '<p class="org-name">Acme Servizi</p>',
    );
    page = await admin.get('/admin/settings').expect(200);
    expect(page.text).toContain('No logo yet.');
    await admin
      .post('/admin/settings')
      .type('form')
      .send({ _csrf: csrfOf(page.text), organisationName: '', senderName: '' })
      .expect(303);
    expect((await t.http().get(`/s/${token}`).expect(200)).text).not.toContain('org-brand');
  });
});
