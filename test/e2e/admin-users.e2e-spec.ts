import { ADMIN, bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, csrfOf, signIn } from '../helpers/auth.js';

type Body = Record<string, any>;

const credentials = (a: { email: string; password: string }) => ({
  email: a.email,
  password: a.password,
});

describe.each(dbKinds())('users in the browser on %s', (kind) => {
  let t: TestApp;
  let admin: Agent;
  let n = 0;

  /** A new analyst: its id, a bearer token and a signed-in cookie session. */
  async function analyst() {
    const who = { email: `analyst${++n}@example.com`, password: 'analyst password 1' };
    const created = await t
      .http()
      .post('/api/users')
      .set(bearer(t.adminToken))
      .send({ ...who, role: 'analyst' })
      .expect(201);
    const token = (await t.http().post('/api/auth/token').send(who).expect(201)).body
      .accessToken as string;
    const session = await signIn(t, who);
    return { ...who, id: created.body.id as string, token, session };
  }

  /** Both credentials work now. */
  async function works(a: { token: string; session: Agent }) {
    await t.http().get('/api/campaigns').set(bearer(a.token)).expect(200);
    await a.session.get('/reports').expect(200);
  }

  /** Neither credential works from the next request on. */
  async function revoked(a: { token: string; session: Agent }) {
    await t.http().get('/api/campaigns').set(bearer(a.token)).expect(401);
    const page = await a.session.get('/reports');
    expect(page.status).toBe(303);
    expect(page.headers.location).toMatch(/^\/login/);
  }

  const post = async (path: string, form: Body = {}, status = 303) => {
    const page = await admin.get('/admin/users').expect(200);
    return admin
      .post(path)
      .type('form')
      .send({ _csrf: csrfOf(page.text), ...form })
      .expect(status);
  };

  beforeAll(async () => {
    t = await startApp(kind);
    admin = await signIn(t);
  });
  afterAll(() => t.close());

  it('disabling revokes the sessions and API tokens at once (confirmed first)', async () => {
    const a = await analyst();
    await works(a);
    const confirm = await admin.get(`/admin/users/${a.id}/disable`).expect(200);
    expect(confirm.text).toContain('signed out everywhere at once');
    const res = await post(`/admin/users/${a.id}/disable`, {}, 303);
    expect(res.headers.location).toBe(`/admin/users/${a.id}?done=disabled`);
    await revoked(a);
    // No new sign-in either, with the same answer as a wrong password.
    const login = await t.http().post('/api/auth/token').send(credentials(a)).expect(401);
    expect(login.body.message).toBe('Invalid email or password');
    const page = await admin.get(res.headers.location).expect(200);
    expect(page.text).toContain('User disabled');
    expect(page.text.indexOf('role="status"')).toBeLessThan(page.text.indexOf('<h2'));

    await post(`/admin/users/${a.id}/enable`, {}, 303);
    await t.http().post('/api/auth/token').send(credentials(a)).expect(201);
  });

  it('disabling through the API does the same', async () => {
    const a = await analyst();
    const res = await t
      .http()
      .patch(`/api/users/${a.id}`)
      .set(bearer(t.adminToken))
      .send({ disabled: true })
      .expect(200);
    expect(res.body).toMatchObject({ id: a.id, active: false, role: 'analyst' });
    await revoked(a);
  });

  it('deleting revokes everything; the page asks first', async () => {
    const a = await analyst();
    const confirm = await admin.get(`/admin/users/${a.id}/delete`).expect(200);
    expect(confirm.text).toContain('cannot be undone');
    const res = await post(`/admin/users/${a.id}/delete`, {}, 303);
    expect(res.headers.location).toBe('/admin/users?done=deleted');
    await revoked(a);
    const list = (await t.http().get('/api/users').set(bearer(t.adminToken)).expect(200))
      .body as Body[];
    expect(list.map((u) => u.email)).not.toContain(a.email);
  });

  it('changes a role; an admin cannot demote, disable or delete themselves', async () => {
    const a = await analyst();
    await post(`/admin/users/${a.id}/role`, { role: 'admin' }, 303);
    await t.http().get('/api/users').set(bearer(a.token)).expect(200);
    const me = ((await t.http().get('/api/users').set(bearer(t.adminToken))).body as Body[]).find(
      (u) => u.email === ADMIN.email,
    )!;
    const self = await post(`/admin/users/${me.id}/disable`, {}, 409);
    expect(self.text).toContain('You cannot disable yourself');
    await post(`/admin/users/${me.id}/delete`, {}, 409);
    await t
      .http()
      .patch(`/api/users/${me.id}`)
      .set(bearer(t.adminToken))
      .send({ role: 'analyst' })
      .expect(409);
    await post(`/admin/users/${a.id}/role`, { role: 'analyst' }, 303);
  });

  it('a temporary password ends the old sessions and tokens; bad input shows next to the field', async () => {
    const a = await analyst();
    const short = await post(`/admin/users/${a.id}/password`, { password: 'short' }, 400);
    expect(short.text).toContain('class="field-error" id="user-password-error"');
    await works(a);
    await post(`/admin/users/${a.id}/password`, { password: 'temporary password 9' }, 303);
    await revoked(a);
    await t
      .http()
      .post('/api/auth/token')
      .send({ email: a.email, password: 'temporary password 9' })
      .expect(201);
  });

  it('lists API tokens without the token and revokes one', async () => {
    const a = await analyst();
    const tokens = (await t.http().get('/api/tokens').set(bearer(t.adminToken)).expect(200))
      .body as Body[];
    const mine = tokens.filter((x) => x.userId === a.id);
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(tokens)).not.toContain(a.token);
    const page = await admin.get('/admin/users').expect(200);
    expect(page.text).toContain(`/admin/tokens/${mine[0].id}/revoke`);
    await admin.get(`/admin/tokens/${mine[0].id}/revoke`).expect(200);
    const res = await post(`/admin/tokens/${mine[0].id}/revoke`, {}, 303);
    expect(res.headers.location).toBe('/admin/users?done=revoked');
    await t.http().get('/api/campaigns').set(bearer(a.token)).expect(401);
    await a.session.get('/reports').expect(200); // the session is not a token
    await t.http().delete(`/api/tokens/${mine[0].id}`).set(bearer(t.adminToken)).expect(404);
  });

  it('any signed-in user changes their own password; other sessions and tokens end', async () => {
    const a = await analyst();
    const other = await signIn(t, credentials(a));
    const form = await a.session.get('/account/password').expect(200);
    const wrong = await a.session
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrfOf(form.text), current: 'not my password', password: 'new password 1234' })
      .expect(400);
    expect(wrong.text).toContain('The current password is not right.');
    const ok = await a.session
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrfOf(form.text), current: a.password, password: 'new password 1234' })
      .expect(303);
    expect(ok.headers.location).toBe('/account/password?done=own');
    await a.session.get('/reports').expect(200);
    const gone = await other.get('/reports');
    expect(gone.status).toBe(303);
    await t.http().get('/api/campaigns').set(bearer(a.token)).expect(401);
  });

  it('documents the account and token routes in the OpenAPI description', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').set(bearer(t.adminToken)).expect(200))
      .body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/users/{id}',
        '/api/users/{id}/password',
        '/api/tokens',
        '/api/tokens/{id}',
      ]),
    );
    expect(Object.keys(doc.paths['/api/users/{id}']).sort()).toEqual(['delete', 'patch']);
  });
});
