import { ADMIN, bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { signIn } from '../helpers/auth.js';

describe.each(dbKinds())('platform pages on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(kind);
  });
  afterAll(() => t.close());

  it('answers an unknown page with a friendly 404 in the layout, in English by default', async () => {
    const res = await t.http().get('/no-such-page').expect(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="en"');
    expect(res.text).toContain('Page not found');
    expect(res.text).toContain('href="/login"');
    expect(res.text).not.toContain('Cannot GET');
    // A visitor gets no staff navigation.
    expect(res.text).not.toContain('href="/admin/units"');
  });

  it('speaks Italian from ?lang and from Accept-Language, ?lang first', async () => {
    const byQuery = await t.http().get('/no-such-page?lang=it').expect(404);
    expect(byQuery.text).toContain('<html lang="it"');
    expect(byQuery.text).toContain('Pagina non trovata');
    const byHeader = await t
      .http()
      .get('/no-such-page')
      .set('Accept-Language', 'it-IT,it;q=0.9,en;q=0.8')
      .expect(404);
    expect(byHeader.text).toContain('Pagina non trovata');
    const weighted = await t
      .http()
      .get('/no-such-page')
      .set('Accept-Language', 'de, en;q=0.5, it;q=0.7')
      .expect(404);
    expect(weighted.text).toContain('Pagina non trovata');
    const overridden = await t
      .http()
      .get('/no-such-page?lang=en')
      .set('Accept-Language', 'it')
      .expect(404);
    expect(overridden.text).toContain('Page not found');
  });

  it('shows a signed-in admin the admin navigation, an analyst the reports, on a 404 and a 403', async () => {
    const admin = await signIn(t, ADMIN);
    const res = await admin.get('/no-such-page').expect(404);
    expect(res.text).toContain('href="/admin/units"');
    expect(res.text).toContain('href="/admin"');
    expect(res.text).toContain('action="/logout"');
    await createAnalyst(t, { email: 'pages-analyst@example.com', password: 'analyst password 1' });
    const analyst = await signIn(t, {
      email: 'pages-analyst@example.com',
      password: 'analyst password 1',
    });
    const lost = await analyst.get('/nowhere?lang=it').expect(404);
    expect(lost.text).toContain('Vai ai report');
    expect(lost.text).not.toContain('href="/admin/units"');
    const refused = await analyst.get('/admin/users').expect(403);
    expect(refused.text).toContain('You may not see this page');
    expect(refused.text).toContain('href="/reports"');
  });

  it('keeps JSON errors for the API and for clients that ask for JSON', async () => {
    const api = await t.http().get('/api/nope').set(bearer(t.adminToken)).expect(404);
    expect(api.headers['content-type']).toMatch(/application\/json/);
    expect(api.body).toEqual({ statusCode: 404, message: expect.any(String) });
    const json = await t.http().get('/no-such-page').set('Accept', 'application/json').expect(404);
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect(json.body.statusCode).toBe(404);
    expect(JSON.stringify(json.body)).not.toMatch(/ at |node_modules|\.ts\b/);
  });

  it('keeps the respondent style for survey links', async () => {
    const res = await t
      .http()
      .get(`/s/${'x'.repeat(43)}`)
      .expect(404);
    expect(res.text).not.toContain('href="/admin');
    expect(res.text).not.toContain('action="/logout"');
  });

  it('keeps /api/docs for signed-in users: sign-in for a page, 401 for the document', async () => {
    await t.http().get('/api/docs').expect(303).expect('Location', '/login?next=%2Fapi%2Fdocs');
    const anonymous = await t.http().get('/api/docs/openapi.json').expect(401);
    expect(anonymous.body).toEqual({ statusCode: 401, message: 'Authentication required' });
    await t.http().get('/api/docs/ui/swagger-ui-bundle.js').expect(401);
    // Signed in (session) or with a token, admin or analyst: the page, its local assets, the document.
    const admin = await signIn(t, ADMIN);
    const page = await admin.get('/api/docs').expect(200);
    expect(page.text).not.toMatch(/<style|style=|<script>|https?:\/\//);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    await admin.get('/api/docs/ui/swagger-ui-bundle.js').expect(200);
    await admin.get('/api/docs/ui/swagger-ui.css').expect(200);
    await admin.get('/api/docs/ui/index.html').expect(404);
    await admin.get('/static/js/api-docs.js').expect(200);
    const doc = await admin.get('/api/docs/openapi.json').expect(200);
    expect(doc.body.paths['/api/auth/token']).toBeDefined();
    const analystToken = await createAnalyst(t, {
      email: 'docs-analyst@example.com',
      password: 'analyst password 2',
    });
    await t.http().get('/api/docs/openapi.json').set(bearer(analystToken)).expect(200);
  });
});
