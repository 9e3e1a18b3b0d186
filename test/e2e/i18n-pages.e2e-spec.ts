import request from 'supertest';
import { ADMIN, bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, csrfOf, signIn } from '../helpers/auth.js';

/** Posts the topbar's language picker from the page at `from`; expects `status`. */
async function pick(agent: Agent, from: string, lang: string, back: unknown = from, status = 303) {
  const page = await agent.get(from).expect(200);
  expect(page.text).toContain('action="/account/language"');
  return agent
    .post('/account/language')
    .type('form')
    .send({ _csrf: csrfOf(page.text), lang, back })
    .expect(status);
}

/** A page's HTML with the escapes of attribute values undone (`=` is written `&#x3D;`). */
const unescaped = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

describe.each(dbKinds())('pages in English and Italian on %s', (kind) => {
  let t: TestApp;
  const analyst = { email: 'i18n-analyst@example.com', password: 'analyst password 1' };
  const other = { email: 'i18n-other@example.com', password: 'analyst password 2' };
  beforeAll(async () => {
    t = await startApp(kind);
    await createAnalyst(t, analyst);
    await createAnalyst(t, other);
  });
  afterAll(() => t.close());

  it('follows Accept-Language, and ?lang= over it, on the admin pages and their <title>', async () => {
    const admin = await signIn(t, ADMIN);
    const english = await admin.get('/admin/users').expect(200);
    expect(english.text).toContain('<html lang="en"');
    expect(english.text).toContain('<title>Users · Specchio</title>');
    expect(english.text).toContain('Add a user');
    expect(english.text).toContain('<a href="/admin/settings">Settings</a>');

    const italian = await admin
      .get('/admin/users')
      .set('Accept-Language', 'it-IT,it;q=0.9')
      .expect(200);
    expect(italian.text).toContain('<html lang="it"');
    expect(italian.text).toContain('<title>Utenti · Specchio</title>');
    expect(italian.text).toContain('Aggiungi un utente');
    expect(italian.text).toContain('<a href="/admin/settings">Impostazioni</a>');
    expect(italian.text).toContain('<option value="it" lang="it" selected>Italiano</option>');
    expect(italian.text).not.toContain('Add a user');

    const overridden = await admin.get('/admin?lang=en').set('Accept-Language', 'it').expect(200);
    expect(overridden.text).toContain('Getting started');
    const outbox = await admin.get('/admin/outbox?lang=it').expect(200);
    expect(outbox.text).toContain('Posta in uscita');
    expect(outbox.text).toContain('Qualsiasi stato');
  });

  it('remembers the picked language for that user only, and goes back to the page', async () => {
    const agent = await signIn(t, analyst);
    const res = await pick(agent, '/account/password', 'it', '/account/password?lang=en&x=1');
    expect(res.headers.location).toBe('/account/password?x=1');

    const later = await agent.get('/account/password').set('Accept-Language', 'en').expect(200);
    expect(later.text).toContain('<html lang="it"');
    expect(later.text).toContain('Password attuale');
    // The report pages default to the page language too.
    const reports = await agent.get('/reports').expect(200);
    expect(reports.text).toContain('<html lang="it"');
    // ?lang= still wins for one page.
    const once = await agent.get('/account/password?lang=en').expect(200);
    expect(once.text).toContain('Current password');

    // A new session of the same user keeps the choice; another user is still in English.
    const again = await signIn(t, analyst);
    expect((await again.get('/account/password').expect(200)).text).toContain('Password attuale');
    const someoneElse = await signIn(t, other);
    const theirs = await someoneElse.get('/account/password').expect(200);
    expect(theirs.text).toContain('<html lang="en"');
    expect(theirs.text).toContain('Current password');

    // Back to English.
    await pick(agent, '/account/password', 'en');
    expect((await agent.get('/account/password').expect(200)).text).toContain('Current password');
  });

  it('returns only to a local page: never another site', async () => {
    const agent = await signIn(t, other);
    for (const back of [
      '//evil.test/x',
      'https://evil.test/',
      '/\\evil.test',
      '/.//evil.test/',
      '/%2F%2Fevil.test',
      'javascript:alert(1)',
      '',
    ]) {
      const res = await pick(agent, '/account/password', 'en', back);
      expect([back, res.headers.location]).toEqual([back, '/']);
    }
    const local = await pick(agent, '/account/password', 'en', '/reports?wave=1');
    expect(local.headers.location).toBe('/reports?wave=1');
  });

  it('refuses an unknown language with a 400 page, and a post without the CSRF token', async () => {
    const agent = await signIn(t, other);
    const bad = await pick(agent, '/account/password', 'de', '/', 400);
    expect(bad.text).toContain('This request could not be understood');
    expect((await agent.get('/account/password').expect(200)).text).toContain('<html lang="en"');
    await agent.post('/account/language').type('form').send({ lang: 'it', back: '/' }).expect(403);
    expect((await agent.get('/account/password').expect(200)).text).toContain('<html lang="en"');
    // Signed out, there is nobody to remember it for.
    const anonymous = request.agent(t.app.getHttpServer());
    const login = await anonymous.get('/login').expect(200);
    const refused = await anonymous
      .post('/account/language')
      .type('form')
      .send({ _csrf: csrfOf(login.text), lang: 'it', back: '/' });
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toMatch(/^\/login/);
  });

  it('shows the sign-in page and its refusal in the language chosen there, then remembers it', async () => {
    const who = { email: 'i18n-login@example.com', password: 'analyst password 3' };
    await createAnalyst(t, who);
    const agent = request.agent(t.app.getHttpServer());
    const english = await agent.get('/login').expect(200);
    expect(english.text).toContain('<h1>Sign in</h1>');
    expect(unescaped(english.text)).toContain('href="/login?lang=it"');

    const page = await agent.get('/login?lang=it').expect(200);
    expect(page.text).toContain('<html lang="it"');
    expect(page.text).toContain('<h1>Accedi</h1>');
    expect(unescaped(page.text)).toContain('href="/login?lang=en"');
    expect(unescaped(page.text)).toContain('action="/login?next=%2Fadmin&lang=it"');

    const wrong = await agent
      .post('/login?next=%2Fadmin&lang=it')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: who.email, password: 'not the password' })
      .expect(401);
    expect(wrong.text).toContain('<html lang="it"');
    expect(wrong.text).toContain('L’e-mail o la password non sono corrette.');
    expect(wrong.text).toContain('value="i18n-login@example.com"');
    expect(unescaped(wrong.text)).toContain('action="/login?next=%2Fadmin&lang=it"');

    await agent
      .post('/login?next=%2Freports&lang=it')
      .type('form')
      .send({ _csrf: csrfOf(wrong.text), ...who })
      .expect(303);
    const after = await agent.get('/account/password').expect(200);
    expect(after.text).toContain('Password attuale');

    // A language already remembered is not replaced by the sign-in page's.
    const next = request.agent(t.app.getHttpServer());
    const en = await next.get('/login?lang=en').expect(200);
    await next
      .post('/login?lang=en')
      .type('form')
      .send({ _csrf: csrfOf(en.text), ...who })
      .expect(303);
    expect((await next.get('/account/password').expect(200)).text).toContain('Password attuale');
  });

  it('shows the pages’ own refusals and results in Italian', async () => {
    const admin = await signIn(t, ADMIN);
    const page = await admin.get('/account/password?lang=it').expect(200);
    const res = await admin
      .post('/account/password?lang=it')
      .type('form')
      .send({ _csrf: csrfOf(page.text), current: 'wrong password!', password: 'short' })
      .expect(400);
    expect(res.text).toContain('La password attuale non è corretta.');
    expect(res.text).toContain('La password deve avere almeno 12 caratteri.');
    expect(res.text).toContain('Correggere quanto segue:');

    const users = await admin.get('/admin/users?lang=it').expect(200);
    const added = await admin
      .post('/admin/users?lang=it')
      .type('form')
      .send({ _csrf: csrfOf(users.text), email: 'not-an-address', password: 'x', role: 'analyst' })
      .expect(400);
    expect(added.text).toContain('Indichi un indirizzo e-mail valido.');
    expect(added.text).toContain('<option value="analyst" selected>analista</option>');
    expect((await admin.get('/admin/users?done=created&lang=it').expect(200)).text).toContain(
      'Utente creato.',
    );
  });

  it('says a refusal of the role in Italian only, without the API’s English sentence', async () => {
    const agent = await signIn(t, other);
    const refused = await agent.get('/admin/users?lang=it').expect(403);
    expect(refused.text).toContain('Non può vedere questa pagina');
    expect(refused.text).toContain('Il suo ruolo non dà accesso a questa pagina.');
    expect(refused.text).not.toContain('Your role may not do this');
  });

  it('sets the remembered language through the API too (PATCH /api/account, any role)', async () => {
    const who = { email: 'i18n-api@example.com', password: 'analyst password 4' };
    const token = await createAnalyst(t, who);
    const res = await t
      .http()
      .patch('/api/account')
      .set(bearer(token))
      .send({ language: 'it' })
      .expect(200);
    expect(res.body).toEqual({ email: who.email, role: 'analyst', language: 'it' });
    const agent = await signIn(t, who);
    expect((await agent.get('/account/password').expect(200)).text).toContain('Password attuale');
    await t.http().patch('/api/account').set(bearer(token)).send({ language: 'de' }).expect(400);
    await t.http().patch('/api/account').set(bearer(token)).send({}).expect(400);
    await t.http().patch('/api/account').send({ language: 'en' }).expect(401);
    const doc = await t.http().get('/api/docs/openapi.json').set(bearer(t.adminToken)).expect(200);
    expect(doc.body.paths['/api/account'].patch).toBeDefined();
  });
});
