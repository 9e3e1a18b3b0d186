import request from 'supertest';
import { Db } from '../../src/database/db.js';
import { dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { seedSurvey, VALID_ANSWERS } from '../helpers/survey-fixtures.js';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe.each(dbKinds())('answering a survey on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  const q = (sql: string, params: unknown[] = []) =>
    db.manager.query(
      kind === 'sqlite'
        ? sql
        : sql.replace(
            /\?/g,
            (() => {
              let i = 0;
              return () => `$${++i}`;
            })(),
          ),
      params,
    );
  const count = async (sql: string, params: unknown[] = []) => Number((await q(sql, params))[0].n);

  beforeAll(async () => {
    t = await startApp(kind, { TOKEN_MAX_FAILURES_PER_ADDRESS: '1000' });
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  describe('the form page', () => {
    it('renders every question accessibly in the contact language, with privacy headers', async () => {
      const s = await seedSurvey(t, { contactLanguage: 'it' });
      const res = await t.http().get(`/s/${s.tokens[0]}`).expect(200);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.text).toContain('<html lang="it">');
      expect(res.text).toContain('Quanto è soddisfatto?');
      expect((res.text.match(/<fieldset/g) ?? []).length).toBe(7);
      expect((res.text.match(/<legend>/g) ?? []).length).toBe(7);
      for (let v = 0; v <= 10; v++)
        expect(res.text).toContain(
          `id="${v === 0 ? 'q-nps' : `q-nps-${v}`}" name="nps" value="${v}"`,
        );
      expect(res.text).toContain('0 – Per niente probabile');
      expect(res.text).toContain('10 – Estremamente probabile');
      expect(res.text).not.toMatch(/<script/i);
      expect(res.text).not.toMatch(/(src|href)="https?:/);
      const en = await t.http().get(`/s/${s.tokens[0]}?lang=en`).expect(200);
      expect(en.text).toContain('How satisfied are you?');
      const rows = await q('SELECT status, opened_at FROM invitations WHERE id = ?', [
        s.invitationIds[0],
      ]);
      expect(rows[0].status).toBe('opened');
      expect(rows[0].opened_at).toBeTruthy();
    });

    it('gives unknown, answered and closed links their own pages and status codes', async () => {
      await t
        .http()
        .get(`/s/${'A'.repeat(43)}`)
        .expect(404);
      await t.http().get('/s/short').expect(404);
      await t.http().get(`/s/' OR '1'='1`).expect(404);
      const s = await seedSurvey(t);
      await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .send({ answers: { sat: 3 } })
        .expect(201);
      const answered = await t.http().get(`/s/${s.tokens[0]}`).expect(409);
      expect(answered.text).toContain('Already answered');
      const closed = await seedSurvey(t, { status: 'closed' });
      expect((await t.http().get(`/s/${closed.tokens[0]}`).expect(410)).text).toContain(
        'Survey closed',
      );
      const draft = await seedSurvey(t, { status: 'draft' });
      await t.http().get(`/s/${draft.tokens[0]}`).expect(410);
      const past = await seedSurvey(t, { closesAt: new Date(Date.now() - 1000).toISOString() });
      await t.http().get(`/s/${past.tokens[0]}`).expect(410);
      await t
        .http()
        .post(`/api/s/${past.tokens[0]}`)
        .send({ answers: { sat: 3 } })
        .expect(410);
    });
  });

  describe('submitting through the API', () => {
    it('stores an anonymous response without any link to the invitation or a precise time', async () => {
      const s = await seedSurvey(t, { anonymous: true });
      await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .send({ answers: VALID_ANSWERS })
        .expect(201, { received: true });
      const responses = await q('SELECT * FROM responses WHERE campaign_id = ?', [s.campaignId]);
      expect(responses).toHaveLength(1);
      expect(responses[0].invitation_id).toBeNull();
      expect(responses[0].submitted_at).toMatch(/T00:00:00\.000Z$/);
      expect(responses[0].unit_id).toBe(s.unitId);
      const inv = await q('SELECT answered, answered_at, status FROM invitations WHERE id = ?', [
        s.invitationIds[0],
      ]);
      expect(Boolean(inv[0].answered)).toBe(true);
      expect(inv[0].answered_at).toMatch(/T00:00:00\.000Z$/);
      const answers = await q(
        'SELECT question_key, seq, num_value, text_value FROM answers WHERE response_id = ? ORDER BY question_key, seq',
        [responses[0].id],
      );
      expect(
        answers.map((a: any) => [
          a.question_key,
          a.seq,
          a.num_value === null ? null : Number(a.num_value),
          a.text_value,
        ]),
      ).toEqual([
        ['agree', 0, 5, null],
        ['channel', 0, null, 'web'],
        ['effort', 0, 6, null],
        ['nps', 0, 9, null],
        ['sat', 0, 4, null],
        ['topics', 0, null, 'price'],
        ['topics', 1, null, 'care'],
        ['why', 0, null, 'Quick 👩🏽‍💻'],
      ]);
      // The schema itself has no column that could point from a response to a contact.
      const columns =
        kind === 'sqlite'
          ? (await q("SELECT name FROM pragma_table_info('responses')")).map((c: any) => c.name)
          : (
              await q(
                "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'responses'",
              )
            ).map((c: any) => c.name);
      expect(columns.sort()).toEqual([
        'campaign_id',
        'id',
        'invitation_id',
        'language',
        'submitted_at',
        'unit_id',
      ]);
    });

    it('links identified responses to their invitation', async () => {
      const s = await seedSurvey(t, { anonymous: false, audience: 'external' });
      await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .send({ answers: { sat: 5 } })
        .expect(201);
      const rows = await q(
        'SELECT invitation_id, submitted_at FROM responses WHERE campaign_id = ?',
        [s.campaignId],
      );
      expect(rows[0].invitation_id).toBe(s.invitationIds[0]);
      expect(rows[0].submitted_at).not.toMatch(/T00:00:00\.000Z$/);
    });

    const bad: Array<[string, unknown, string | null]> = [
      ['unknown question', { answers: { sat: 3, nope: 1 } }, 'nope'],
      ['missing required', { answers: { nps: 3 } }, 'sat'],
      ['null required', { answers: { sat: null } }, 'sat'],
      ['number as string', { answers: { sat: '4' } }, 'sat'],
      ['fraction', { answers: { sat: 3.5 } }, 'sat'],
      ['below range', { answers: { sat: 0 } }, 'sat'],
      ['above range', { answers: { sat: 6 } }, 'sat'],
      ['nps 11', { answers: { sat: 3, nps: 11 } }, 'nps'],
      ['ces 8', { answers: { sat: 3, effort: 8 } }, 'effort'],
      ['huge', { answers: { sat: 1e309 } }, 'sat'],
      ['boolean', { answers: { sat: true } }, 'sat'],
      ['array for single', { answers: { sat: [3] } }, 'sat'],
      ['object', { answers: { sat: { v: 3 } } }, 'sat'],
      ['unknown option', { answers: { sat: 3, channel: 'fax' } }, 'channel'],
      ['array for single choice', { answers: { sat: 3, channel: ['web'] } }, 'channel'],
      ['string for multiple', { answers: { sat: 3, topics: 'price' } }, 'topics'],
      ['duplicate options', { answers: { sat: 3, topics: ['price', 'price'] } }, 'topics'],
      ['number as text', { answers: { sat: 3, why: 42 } }, 'why'],
      ['text too long', { answers: { sat: 3, why: '👍'.repeat(5001) } }, 'why'],
      ['NUL byte', { answers: { sat: 3, why: 'a\u0000b' } }, 'why'],
      ['extra top-level field', { answers: { sat: 3 }, extra: true }, 'extra'],
      ['answers as array', { answers: [3] }, 'answers'],
      ['answers missing', {}, 'answers'],
    ];
    it.each(bad)('refuses %s with a 400 and writes nothing', async (_name, body, field) => {
      const s = await seedSurvey(t, { invitees: 1 });
      const res = await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .send(body as object)
        .expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(typeof res.body.message).toBe('string');
      if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(
        await count('SELECT COUNT(*) AS n FROM responses WHERE campaign_id = ?', [s.campaignId]),
      ).toBe(0);
      // The link is still usable afterwards.
      await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .send({ answers: { sat: 2 } })
        .expect(201);
    });

    it('accepts exactly 5,000 emoji and refuses lone surrogates and malformed JSON', async () => {
      const s = await seedSurvey(t, { invitees: 2 });
      const raw = '{"answers":{"sat":3,"why":"\\ud800"}}';
      const lone = await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .set('Content-Type', 'application/json')
        .send(raw)
        .expect(400);
      expect(lone.body.errors[0].field).toBe('why');
      await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .set('Content-Type', 'application/json')
        .send('{"answers":')
        .expect(400);
      await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .set('Content-Type', 'application/json')
        .send('{"answers":{"__proto__":{"x":1}}}')
        .expect(400);
      await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .send({ answers: { sat: 3, why: 'x'.repeat(70_000) } })
        .expect(413);
      await t
        .http()
        .post(`/api/s/${s.tokens[0]}`)
        .send({ answers: { sat: 3, why: '👍'.repeat(5000) } })
        .expect(201);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });

    it('answers 404 to unknown tokens and SQL injection attempts, identically', async () => {
      const a = await t
        .http()
        .post(`/api/s/${'B'.repeat(43)}`)
        .send({ answers: { sat: 3 } })
        .expect(404);
      const b = await t
        .http()
        .post(`/api/s/${encodeURIComponent("1' OR '1'='1")}`)
        .send({ answers: { sat: 3 } })
        .expect(404);
      expect(a.body).toEqual(b.body);
      expect(a.body).toEqual({ statusCode: 404, message: 'Survey link not found' });
    });
  });

  describe('the HTML form post', () => {
    it('redirects to a thank-you page without the token, or re-renders with errors and answers kept', async () => {
      const s = await seedSurvey(t, { contactLanguage: 'it' });
      const agent = request.agent(t.app.getHttpServer());
      const page = await agent.get(`/s/${s.tokens[0]}`).expect(200);
      const csrf = csrfOf(page.text);
      await agent.post(`/s/${s.tokens[0]}`).type('form').send({ sat: '4' }).expect(403);
      const rejected = await agent
        .post(`/s/${s.tokens[0]}?lang=it`)
        .type('form')
        .send(
          `_csrf=${encodeURIComponent(csrf)}&nps=12&why=${encodeURIComponent('<b>kept</b>')}&topics=price&topics=speed`,
        )
        .expect(400);
      expect(rejected.text).toContain('Risponda a questa domanda');
      expect(rejected.text).toContain('href="#q-sat"');
      expect(rejected.text).toContain('&lt;b&gt;kept&lt;/b&gt;');
      expect(rejected.text).not.toContain('<b>kept</b>');
      expect(rejected.text).toMatch(/id="q-topics" name="topics" value="price" checked/);
      expect(rejected.text).toMatch(/name="topics" value="speed" checked/);
      const ok = await agent
        .post(`/s/${s.tokens[0]}?lang=it`)
        .type('form')
        .send(
          `_csrf=${encodeURIComponent(csrfOf(rejected.text))}&sat=4&topics=price&topics=speed&why=`,
        )
        .expect(303);
      expect(ok.headers.location).toBe('/s/thanks?lang=it');
      const thanks = await agent.get(ok.headers.location).expect(200);
      expect(thanks.text).toContain('Grazie');
      const again = await agent
        .post(`/s/${s.tokens[0]}`)
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrf)}&sat=4`)
        .expect(409);
      expect(again.text).toContain('Già compilato');
    });
  });

  describe('exactly once', () => {
    it('lets exactly one of 50 concurrent submissions of one token succeed, storing its answers', async () => {
      for (let round = 0; round < 3; round++) {
        const s = await seedSurvey(t, { invitees: 1, anonymous: round % 2 === 0 });
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            t
              .http()
              .post(`/api/s/${s.tokens[0]}`)
              .send({ answers: { sat: (i % 5) + 1, why: `body ${i}` } }),
          ),
        );
        const winners = results.filter((r) => r.status === 201);
        expect(winners).toHaveLength(1);
        expect(results.filter((r) => r.status === 409)).toHaveLength(49);
        const winner = results.indexOf(winners[0]);
        const rows = await q(
          'SELECT a.text_value FROM responses r JOIN answers a ON a.response_id = r.id WHERE r.campaign_id = ? AND a.question_key = ?',
          [s.campaignId, 'why'],
        );
        expect(rows.map((r: any) => r.text_value)).toEqual([`body ${winner}`]);
      }
    });

    it('accepts 50 concurrent submissions of 50 different tokens (no false conflicts)', async () => {
      const s = await seedSurvey(t, { invitees: 50 });
      const results = await Promise.all(
        s.tokens.map((token) =>
          t
            .http()
            .post(`/api/s/${token}`)
            .send({ answers: { sat: 3 } }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
      expect(
        await count('SELECT COUNT(*) AS n FROM responses WHERE campaign_id = ?', [s.campaignId]),
      ).toBe(50);
    });
  });
});

describe('throttling of failed token look-ups', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp('sqlite', { TOKEN_MAX_FAILURES_PER_ADDRESS: '5' });
  });
  afterAll(() => t.close());

  it('answers 429 after repeated unknown tokens, still serves valid links, and X-Forwarded-For does not reset it', async () => {
    const s = await seedSurvey(t, { invitees: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await t
        .http()
        .get(`/s/${String(i).padStart(43, 'x')}`)
        .set('X-Forwarded-For', `203.0.113.${i}`);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const limited = await t
      .http()
      .post(`/api/s/${'z'.repeat(43)}`)
      .send({ answers: { sat: 1 } })
      .expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
    await t.http().get(`/s/${s.tokens[0]}`).expect(200);
    await t
      .http()
      .post(`/api/s/${s.tokens[0]}`)
      .send({ answers: { sat: 1 } })
      .expect(201);
    // A valid token did not reset the counter.
    await t
      .http()
      .get(`/s/${'y'.repeat(43)}`)
      .expect(429);
  });
});
