import Database from 'better-sqlite3';
import request from 'supertest';
import { ADMIN, bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { csrfOf, signIn } from '../helpers/auth.js';
import { seedSurvey } from '../helpers/survey-fixtures.js';

describe.each(dbKinds())('platform on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(kind);
  });
  afterAll(() => t.close());

  it('serves the OpenAPI document at /api/docs to signed-in users', async () => {
    await t.http().get('/api/docs').expect(303);
    const doc = await t.http().get('/api/docs/openapi.json').set(bearer(t.adminToken)).expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/token', '/api/s/{token}']),
    );
  });

  it('sends visitors to sign in and back, and shows the admin pages to admins only', async () => {
    await t.http().get('/').expect(303).expect('Location', '/login');
    await t
      .http()
      .get('/admin/users')
      .expect(303)
      .expect('Location', '/login?next=%2Fadmin%2Fusers');
    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get('/login?next=/admin/users').expect(200);
    const csrf = csrfOf(page.text);
    const login = await agent
      .post('/login?next=/admin/users')
      .type('form')
      .send({ _csrf: csrf, ...ADMIN })
      .expect(303);
    expect(login.headers.location).toBe('/admin/users');
    const users = await agent.get('/admin/users').expect(200);
    expect(users.text).toContain(ADMIN.email);
    const dashboard = await agent.get('/admin').expect(200);
    expect(dashboard.text).toContain('Overview');
    // Add an analyst through the form; a bad password re-renders with the error and the e-mail kept.
    const csrf2 = csrfOf(users.text);
    const bad = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: csrf2, email: 'ana@example.com', password: 'short', role: 'analyst' })
      .expect(400);
    expect(bad.text).toContain('at least 12 characters');
    expect(bad.text).toContain('value="ana@example.com"');
    await agent
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrf2,
        email: 'ana@example.com',
        password: 'analyst password',
        role: 'analyst',
      })
      .expect(303);
    // The analyst may not see admin pages.
    const analyst = await signIn(t, { email: 'ana@example.com', password: 'analyst password' });
    await analyst.get('/admin/users').expect(403);
    await analyst.get('/admin').expect(403);
  });

  it('answers unknown routes and methods with 404 and never leaks internals', async () => {
    const res = await t.http().get('/api/nope').set(bearer(t.adminToken)).expect(404);
    expect(res.body.statusCode).toBe(404);
    const trace = await t.http().delete('/api/auth/token');
    expect([404, 405]).toContain(trace.status);
    expect(JSON.stringify(res.body)).not.toMatch(/at |node_modules|\.ts|SELECT/);
  });

  it('accepts 10,000 contact ids in one invitation request (a route-level body limit), and 413 beyond it', async () => {
    const s = await seedSurvey(t, { invitees: 1 });
    const { randomUUID } = await import('node:crypto');
    const contactIds = Array.from({ length: 10_000 }, () => randomUUID());
    const res = await t
      .http()
      .post(`/api/campaigns/${s.campaignId}/invitations`)
      .set(bearer(t.adminToken))
      .send({ contactIds })
      .expect(201);
    expect(res.body.created).toBe(0);
    expect(res.body.skipped).toHaveLength(10_000);
    expect(res.body.skipped[0].reason).toBe('unknown contact');
    await t
      .http()
      .post(`/api/campaigns/${s.campaignId}/invitations`)
      .set(bearer(t.adminToken))
      .send({ contactIds, padding: 'x'.repeat(600_000) })
      .expect(413);
    // Ordinary routes keep the 64 KB limit.
    await t
      .http()
      .post('/api/units')
      .set(bearer(t.adminToken))
      .send({ code: 'X', name: 'x'.repeat(70_000) })
      .expect(413);
  });

  it('refuses a flood of form fields on a survey link in one error', async () => {
    const s = await seedSurvey(t, { invitees: 1 });
    const fields = Array.from({ length: 3000 }, (_, i) => `f${i}=1`).join('&');
    const res = await t
      .http()
      .post(`/api/s/${s.tokens[0]}`)
      .send({ answers: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, 1])) })
      .expect(400);
    expect(res.body.errors).toHaveLength(1);
    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get(`/s/${s.tokens[0]}`).expect(200);
    const csrf = csrfOf(page.text);
    await agent
      .post(`/s/${s.tokens[0]}`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&${fields}`)
      .expect(400);
  });
});

describe('behind HTTPS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp('sqlite', {
      PUBLIC_URL: 'https://surveys.example.com',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '3',
    });
  });
  afterAll(() => t.close());

  it('sets a __Host- session cookie that is Secure, HttpOnly and SameSite, and sends HSTS', async () => {
    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get('/login').expect(200);
    expect(page.headers['strict-transport-security']).toContain('max-age=');
    const csrf = csrfOf(page.text);
    // supertest speaks plain HTTP, so it will not send Secure cookies back: pass the CSRF cookie by hand.
    const csrfCookie = String(page.headers['set-cookie']).split(';')[0];
    const res = await request(t.app.getHttpServer())
      .post('/login')
      .set('Cookie', csrfCookie)
      .type('form')
      .send({ _csrf: csrf, ...ADMIN })
      .expect(303);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(
      /__Host-specchio_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax/,
    );
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it('throttles sign-in per client address across different accounts', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const r = await t
        .http()
        .post('/api/auth/token')
        .set('X-Forwarded-For', `198.51.100.${i}`)
        .send({ email: `user${i}@example.com`, password: 'wrong password!' });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('SQLite held by another process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp('sqlite');
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After, not 500, and accepts the answer once the lock is gone', async () => {
    const s = await seedSurvey(t, { invitees: 1 });
    const other = new Database(t.config.sqlitePath);
    other.prepare('BEGIN IMMEDIATE').run();
    // The lock is released only after the app's 5 s busy timeout has expired.
    const res = await t
      .http()
      .post(`/api/s/${s.tokens[0]}`)
      .send({ answers: { sat: 3 } });
    other.prepare('COMMIT').run();
    other.close();
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    await t
      .http()
      .post(`/api/s/${s.tokens[0]}`)
      .send({ answers: { sat: 3 } })
      .expect(201);
  }, 20_000);
});
