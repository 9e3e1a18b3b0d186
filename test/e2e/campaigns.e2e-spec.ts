import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/app-config.js';
import { Db } from '../../src/database/db.js';
import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { csrfOf, signIn } from '../helpers/auth.js';
import {
  campaignDefinition,
  insertContactRow,
  insertInvitationRow,
  insertResponseRow,
  insertUnitRow,
} from '../helpers/factories.js';
import { CampaignEntity } from '../../src/database/schema/campaign.entity.js';

type Body = Record<string, any>;

const UNKNOWN_ID = '6a3c1e0e-9d7b-4d43-8f0e-2b4f7c1d9a10';
const ANALYST = { email: 'analyst@example.com', password: 'analyst password 1' };

/** The global pipe writes `questions.2.text.it`, validateDefinition `questions[2].text.it`. */
const normalise = (field: string) => field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
const fieldsOf = (res: request.Response): string[] =>
  ((res.body.errors ?? []) as Array<{ field: string }>).map((e) => normalise(e.field));

const providerQuestion = {
  key: 'it_service',
  type: 'csat',
  providerUnitCode: 'IT',
  text: {
    en: 'How satisfied are you with the service of IT?',
    it: 'Quanto è soddisfatto del servizio IT?',
  },
};
const secondsFromNow = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An invalid body: a change applied to a valid definition, and a field path the 400 must name. */
type Invalid = [label: string, change: (b: Body) => void, field: string];
const INVALID: Invalid[] = [
  ['name missing', (b) => delete b.name, 'name'],
  ['name empty', (b) => (b.name = ''), 'name'],
  ['name blank', (b) => (b.name = '   '), 'name'],
  ['name too long', (b) => (b.name = 'x'.repeat(201)), 'name'],
  ['name with NUL', (b) => (b.name = 'a\u0000b'), 'name'],
  ['name with a lone surrogate', (b) => (b.name = 'a\ud800b'), 'name'],
  ['name on two lines', (b) => (b.name = 'a\r\nBcc: x@example.com'), 'name'],
  ['name not a string', (b) => (b.name = 42), 'name'],
  ['audience unknown', (b) => (b.audience = 'both'), 'audience'],
  ['audience missing', (b) => delete b.audience, 'audience'],
  ['wave empty', (b) => (b.wave = ''), 'wave'],
  ['wave too long', (b) => (b.wave = 'W'.repeat(41)), 'wave'],
  ['wave with a slash', (b) => (b.wave = '2026/Q1'), 'wave'],
  ['wave with a leading space', (b) => (b.wave = ' 2026-Q1'), 'wave'],
  ['anonymous not boolean', (b) => (b.anonymous = 'yes'), 'anonymous'],
  ['languages empty', (b) => (b.languages = []), 'languages'],
  ['languages repeated', (b) => (b.languages = ['en', 'en']), 'languages'],
  ['language unsupported', (b) => (b.languages = ['en', 'de']), 'languages'],
  ['languages not a list', (b) => (b.languages = 'en'), 'languages'],
  ['closesAt not a date', (b) => (b.closesAt = 'tomorrow'), 'closesAt'],
  ['closesAt without time', (b) => (b.closesAt = '2099-03-31'), 'closesAt'],
  ['closesAt without zone', (b) => (b.closesAt = '2099-03-31T23:59:59'), 'closesAt'],
  ['closesAt not a real day', (b) => (b.closesAt = '2099-02-30T00:00:00Z'), 'closesAt'],
  ['closesAt in the past', (b) => (b.closesAt = '2020-01-01T00:00:00Z'), 'closesAt'],
  ['closesAt a number', (b) => (b.closesAt = 1_900_000_000_000), 'closesAt'],
  ['questions empty', (b) => (b.questions = []), 'questions'],
  ['questions missing', (b) => delete b.questions, 'questions'],
  ['questions not a list', (b) => (b.questions = 'sat'), 'questions'],
  ['question not an object', (b) => (b.questions[1] = 7), 'questions'],
  ['question nested in a list', (b) => (b.questions[1] = [b.questions[1]]), 'questions'],
  [
    'more than 100 questions',
    (b) =>
      (b.questions = Array.from({ length: 101 }, (_, i) => ({
        key: i === 0 ? 'sat' : `q${i}`,
        type: 'csat',
        text: { en: 'Q?', it: 'D?' },
      }))),
    'questions',
  ],
  ['key with capitals', (b) => (b.questions[1].key = 'Nps'), 'questions[1].key'],
  ['key with a dash', (b) => (b.questions[1].key = 'n-ps'), 'questions[1].key'],
  ['key too long', (b) => (b.questions[1].key = 'k'.repeat(41)), 'questions[1].key'],
  ['key empty', (b) => (b.questions[1].key = ''), 'questions[1].key'],
  ['key repeated', (b) => (b.questions[2].key = 'nps'), 'questions[2].key'],
  ['type unknown', (b) => (b.questions[1].type = 'stars'), 'questions[1].type'],
  ['required not boolean', (b) => (b.questions[1].required = 1), 'questions[1].required'],
  ['text missing', (b) => delete b.questions[1].text, 'questions[1].text'],
  ['text a string', (b) => (b.questions[1].text = 'Would you?'), 'questions[1].text'],
  ['text a list', (b) => (b.questions[1].text = [{ en: 'x', it: 'y' }]), 'questions[1].text'],
  ['text missing a language', (b) => delete b.questions[1].text.it, 'questions[1].text.it'],
  ['text empty in a language', (b) => (b.questions[1].text.it = ''), 'questions[1].text.it'],
  ['text blank in a language', (b) => (b.questions[1].text.en = ' \t '), 'questions[1].text.en'],
  ['text too long', (b) => (b.questions[1].text.en = 'x'.repeat(1001)), 'questions[1].text.en'],
  ['text with NUL', (b) => (b.questions[1].text.en = 'a\u0000'), 'questions[1].text.en'],
  ['text not a string', (b) => (b.questions[1].text.en = 5), 'questions[1].text.en'],
  [
    'text in a language the campaign lacks',
    (b) => {
      b.languages = ['en'];
      for (const q of b.questions) delete q.text.it;
      for (const o of b.questions[4].options) delete o.label.it;
      b.questions[3].text.it = 'Vengo tenuto informato.';
    },
    'questions[3].text.it',
  ],
  ['choice without options', (b) => delete b.questions[4].options, 'questions[4].options'],
  ['choice with one option', (b) => b.questions[4].options.pop(), 'questions[4].options'],
  [
    'choice with 51 options',
    (b) =>
      (b.questions[4].options = Array.from({ length: 51 }, (_, i) => ({
        value: `o${i}`,
        label: { en: 'O', it: 'O' },
      }))),
    'questions[4].options',
  ],
  ['options not a list', (b) => (b.questions[4].options = { web: 'Web' }), 'questions[4].options'],
  ['option not an object', (b) => (b.questions[4].options[1] = 'phone'), 'questions[4].options'],
  [
    'option value repeated',
    (b) => (b.questions[4].options[1].value = 'web'),
    'questions[4].options[1].value',
  ],
  [
    'option value with capitals',
    (b) => (b.questions[4].options[0].value = 'Web'),
    'questions[4].options[0].value',
  ],
  [
    'option value too long',
    (b) => (b.questions[4].options[0].value = 'v'.repeat(41)),
    'questions[4].options[0].value',
  ],
  [
    'option label missing a language',
    (b) => delete b.questions[4].options[1].label.it,
    'questions[4].options[1].label.it',
  ],
  [
    'option label a string',
    (b) => (b.questions[4].options[1].label = 'Phone'),
    'questions[4].options[1].label',
  ],
  [
    'option label too long',
    (b) => (b.questions[4].options[1].label.en = 'x'.repeat(201)),
    'questions[4].options[1].label.en',
  ],
  ['multiple not boolean', (b) => (b.questions[4].multiple = 'no'), 'questions[4].multiple'],
  [
    'options on a numeric question',
    (b) =>
      (b.questions[1].options = [
        { value: 'a', label: { en: 'A', it: 'A' } },
        { value: 'b', label: { en: 'B', it: 'B' } },
      ]),
    'questions[1].options',
  ],
  [
    'multiple on a text question',
    (b) => (b.questions[5].multiple = false),
    'questions[5].multiple',
  ],
  [
    'provider unit on an external campaign',
    (b) => {
      b.audience = 'external';
      b.questions.push(providerQuestion);
    },
    'questions[6].providerUnitCode',
  ],
  [
    'provider unit unknown',
    (b) => b.questions.push({ ...providerQuestion, providerUnitCode: 'NOPE' }),
    'questions[6].providerUnitCode',
  ],
  [
    'provider unit on a text question',
    (b) => (b.questions[5].providerUnitCode = 'IT'),
    'questions[5].providerUnitCode',
  ],
  [
    'provider unit on a choice question',
    (b) => (b.questions[4].providerUnitCode = 'IT'),
    'questions[4].providerUnitCode',
  ],
  [
    'provider unit code too long',
    (b) => (b.questions[1].providerUnitCode = 'U'.repeat(65)),
    'questions[1].providerUnitCode',
  ],
  ['headline missing', (b) => delete b.headline, 'headline'],
  ['headline not a question', (b) => (b.headline = 'overall'), 'headline'],
  ['headline a text question', (b) => (b.headline = 'why'), 'headline'],
  ['headline a choice question', (b) => (b.headline = 'channel'), 'headline'],
  [
    'headline a provider question',
    (b) => {
      b.questions.push(providerQuestion);
      b.headline = 'it_service';
    },
    'headline',
  ],
];

/** Unknown fields must be refused at every depth: [label, change, field path named]. */
const UNKNOWN_FIELDS: Invalid[] = [
  ['top level', (b) => (b.owner = 'me'), 'owner'],
  ['status (mass assignment)', (b) => (b.status = 'open'), 'status'],
  ['closedAt (mass assignment)', (b) => (b.closedAt = '2020-01-01T00:00:00Z'), 'closedAt'],
  ['id', (b) => (b.id = UNKNOWN_ID), 'id'],
  ['question', (b) => (b.questions[0].colour = 'red'), 'questions[0].colour'],
  ['question position', (b) => (b.questions[0].position = 3), 'questions[0].position'],
  ['text language', (b) => (b.questions[0].text.de = 'Wie zufrieden?'), 'questions[0].text.de'],
  ['option', (b) => (b.questions[4].options[0].score = 3), 'questions[4].options[0].score'],
  [
    'option label language',
    (b) => (b.questions[4].options[1].label.fr = 'Téléphone'),
    'questions[4].options[1].label.fr',
  ],
];

describe.each(dbKinds())('campaigns on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let analystToken: string;
  let itUnitId: string;
  const admin = () => bearer(t.adminToken);
  const create = (body: Body) => t.http().post('/api/campaigns').set(admin()).send(body);
  async function createDraft(body: Body = campaignDefinition()): Promise<Body> {
    const res = await create(body);
    expect(res.status).toBe(201);
    return res.body;
  }
  const launch = (id: string) => t.http().post(`/api/campaigns/${id}/launch`).set(admin());
  const close = (id: string) => t.http().post(`/api/campaigns/${id}/close`).set(admin());

  beforeAll(async () => {
    t = await startApp(kind, { CLOSE_SWEEP_MS: '200' });
    db = t.app.get(Db);
    itUnitId = await insertUnitRow(db, 'IT');
    analystToken = await createAnalyst(t, ANALYST);
  });
  afterAll(() => t.close());

  describe('create', () => {
    it('creates a draft with questions of every type and a provider question', async () => {
      const body = campaignDefinition({ closesAt: '2099-03-31T23:59:59+02:00' });
      body.questions.splice(1, 0, providerQuestion);
      const res = await create(body).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'draft',
        name: body.name,
        audience: 'internal',
        wave: '2026-Q1',
        anonymous: true,
        languages: ['en', 'it'],
        closesAt: '2099-03-31T21:59:59.000Z',
        headline: 'sat',
        questions: [
          { ...body.questions[0], providerUnitCode: null },
          { ...providerQuestion, required: false },
          { ...body.questions[2], required: false, providerUnitCode: null },
          { ...body.questions[3], required: false, providerUnitCode: null },
          { ...body.questions[4], required: false, providerUnitCode: null },
          { ...body.questions[5], required: false, providerUnitCode: null },
          { ...body.questions[6], providerUnitCode: null },
        ],
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        launchedAt: null,
        closedAt: null,
        opensAt: null,
        reminderPlan: null,
        digestRecipients: [],
        digestSentAt: null,
      });
      const again = await t.http().get(`/api/campaigns/${res.body.id}`).set(admin()).expect(200);
      expect(again.body).toEqual(res.body);
    });

    it('stores the definition in the agreed format', async () => {
      const body = campaignDefinition({ closesAt: null });
      body.questions.push(providerQuestion);
      body.questions[4].multiple = true;
      const { id } = await createDraft(body);
      const [c] = await db.manager.query(
        `SELECT languages, headline, status, closes_at, anonymous FROM campaigns WHERE id = ${db.isSqlite ? '?' : '$1'}`,
        [id],
      );
      expect(c).toMatchObject({
        languages: 'en,it',
        headline: 'sat',
        status: 'draft',
        closes_at: null,
      });
      expect(Boolean(c.anonymous)).toBe(true);
      const rows: Body[] = await db.manager.query(
        `SELECT question_key, position, type, required, multiple, provider_unit_id, text_json, options_json
         FROM questions WHERE campaign_id = ${db.isSqlite ? '?' : '$1'} ORDER BY position`,
        [id],
      );
      expect(rows.map((r) => [r.question_key, Number(r.position), r.type])).toEqual([
        ['sat', 0, 'csat'],
        ['nps', 1, 'nps'],
        ['effort', 2, 'ces'],
        ['informed', 3, 'likert'],
        ['channel', 4, 'choice'],
        ['why', 5, 'text'],
        ['it_service', 6, 'csat'],
      ]);
      expect(JSON.parse(rows[0].text_json)).toEqual(body.questions[0].text);
      expect(rows.map((r) => Boolean(r.required))).toEqual([
        true,
        false,
        false,
        false,
        false,
        true,
        false,
      ]);
      expect(rows.map((r) => Boolean(r.multiple))).toEqual([
        false,
        false,
        false,
        false,
        true,
        false,
        false,
      ]);
      expect(JSON.parse(rows[4].options_json)).toEqual([
        { value: 'web', label: { en: 'Web', it: 'Web' } },
        { value: 'phone', label: { en: 'Phone', it: 'Telefono' } },
      ]);
      expect(rows.filter((r) => r.options_json !== null)).toHaveLength(1);
      expect(rows.map((r) => r.provider_unit_id)).toEqual([
        null,
        null,
        null,
        null,
        null,
        null,
        itUnitId,
      ]);
    });

    it('defaults anonymous by audience, and required and multiple to false', async () => {
      const internal = campaignDefinition();
      delete internal.anonymous;
      delete internal.questions[4].multiple;
      const a = await createDraft(internal);
      expect(a.anonymous).toBe(true);
      expect(a.questions[4]).toMatchObject({ multiple: false, required: false });
      const external = campaignDefinition({ audience: 'external', languages: ['it', 'en'] });
      delete external.anonymous;
      const b = await createDraft(external);
      expect(b.anonymous).toBe(false);
      expect(b.languages).toEqual(['it', 'en']);
      const identified = await createDraft(campaignDefinition({ anonymous: false }));
      expect(identified.anonymous).toBe(false);
    });

    it('accepts one language and an absent closing time', async () => {
      const body = campaignDefinition({ languages: ['it'] });
      delete body.closesAt;
      for (const q of body.questions) delete q.text.en;
      for (const o of body.questions[4].options) delete o.label.en;
      const c = await createDraft(body);
      expect(c.closesAt).toBeNull();
      expect(c.questions[0].text).toEqual({ it: 'Quanto è soddisfatto del supporto che riceve?' });
    });

    it.each(INVALID)('refuses %s with 400 naming the field', async (_label, change, field) => {
      const body = campaignDefinition();
      change(body);
      const res = await create(body).expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        message: expect.any(String),
        errors: expect.any(Array),
      });
      expect(fieldsOf(res)).toContain(field);
    });

    it('lists every problem of a definition at once', async () => {
      const body = campaignDefinition({ headline: 'why', closesAt: '2020-01-01T00:00:00Z' });
      body.questions[2].key = 'sat';
      delete body.questions[3].text.it;
      body.questions[5].options = [];
      body.questions.push({ ...providerQuestion, providerUnitCode: 'NOPE' });
      const res = await create(body).expect(400);
      expect(fieldsOf(res)).toEqual(
        expect.arrayContaining([
          'closesAt',
          'questions[2].key',
          'questions[3].text.it',
          'questions[5].options',
          'questions[6].providerUnitCode',
          'headline',
        ]),
      );
      for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
    });

    it.each(UNKNOWN_FIELDS)('refuses an unknown field: %s', async (_label, change, field) => {
      const body = campaignDefinition();
      change(body);
      const res = await create(body).expect(400);
      expect(fieldsOf(res)).toContain(field);
    });

    it('refuses bodies that are not an object, and prototype keys', async () => {
      for (const payload of ['[]', 'null', '"campaign"', '42', '{"name":']) {
        const res = await t
          .http()
          .post('/api/campaigns')
          .set(admin())
          .set('Content-Type', 'application/json')
          .send(payload);
        expect(res.status).toBe(400);
        expect(res.body.statusCode).toBe(400);
      }
      const json = JSON.stringify(campaignDefinition()).replace(
        '"name":',
        '"__proto__":{"x":1},"name":',
      );
      await t
        .http()
        .post('/api/campaigns')
        .set(admin())
        .set('Content-Type', 'application/json')
        .send(json)
        .expect(400);
      const ctor = JSON.stringify(campaignDefinition()).replace(
        '"key":"sat"',
        '"constructor":{"prototype":{"x":1}},"key":"sat"',
      );
      await t
        .http()
        .post('/api/campaigns')
        .set(admin())
        .set('Content-Type', 'application/json')
        .send(ctor)
        .expect(400);
    });

    it('writes nothing for an invalid definition', async () => {
      const before = (await t.http().get('/api/campaigns').set(admin()).expect(200)).body.length;
      const body = campaignDefinition({ name: 'never stored' });
      body.questions[1].text.it = '';
      await create(body).expect(400);
      const after = (await t.http().get('/api/campaigns').set(admin()).expect(200)).body;
      expect(after).toHaveLength(before);
      expect(after.some((c: Body) => c.name === 'never stored')).toBe(false);
    });
  });

  describe('read', () => {
    it('answers 404 for unknown and malformed ids, never 500', async () => {
      for (const id of [
        UNKNOWN_ID,
        'not-a-uuid',
        "1' OR '1'='1",
        '%00',
        'x'.repeat(90),
        UNKNOWN_ID.toUpperCase(),
      ]) {
        const path = `/api/campaigns/${encodeURIComponent(id)}`;
        expect((await t.http().get(path).set(admin())).status).toBe(404);
        expect((await t.http().post(`${path}/launch`).set(admin())).status).toBe(404);
        expect((await t.http().post(`${path}/close`).set(admin())).status).toBe(404);
        expect((await t.http().delete(path).set(admin())).status).toBe(404);
        expect((await t.http().patch(path).set(admin()).send(campaignDefinition())).status).toBe(
          404,
        );
      }
      // Fastify refuses over-long path parameters itself, still with a 4xx.
      expect(
        (
          await t
            .http()
            .get(`/api/campaigns/${'x'.repeat(500)}`)
            .set(admin())
        ).status,
      ).toBe(414);
      const res = await t.http().get(`/api/campaigns/${UNKNOWN_ID}`).set(admin()).expect(404);
      expect(res.body).toEqual({ statusCode: 404, message: 'Campaign not found' });
    });

    it('lists campaigns with invitation and response counts, and filters them', async () => {
      const a = await createDraft(
        campaignDefinition({ name: 'Counted internal', wave: 'count-1' }),
      );
      const b = await createDraft(
        campaignDefinition({
          name: 'Counted external',
          audience: 'external',
          anonymous: false,
          wave: 'count-1',
        }),
      );
      const unitId = await insertUnitRow(db);
      for (let i = 0; i < 3; i++)
        await insertInvitationRow(db, a.id, await insertContactRow(db, unitId));
      await insertInvitationRow(db, b.id, await insertContactRow(db, unitId, 'external'));
      await insertResponseRow(db, a.id, unitId);
      await insertResponseRow(db, a.id, unitId);
      await launch(b.id).expect(200);

      const all: Body[] = (await t.http().get('/api/campaigns').set(admin()).expect(200)).body;
      const byId = new Map(all.map((c) => [c.id, c]));
      expect(byId.get(a.id)).toEqual({
        id: a.id,
        name: 'Counted internal',
        audience: 'internal',
        wave: 'count-1',
        anonymous: true,
        status: 'draft',
        closesAt: a.closesAt,
        createdAt: a.createdAt,
        invited: 3,
        responses: 2,
        opensAt: null,
      });
      expect(byId.get(b.id)).toMatchObject({
        status: 'open',
        invited: 1,
        responses: 0,
        anonymous: false,
      });
      const sorted = [...all].sort((x, y) =>
        x.createdAt < y.createdAt ? 1 : x.createdAt > y.createdAt ? -1 : 0,
      );
      expect(all.map((c) => c.createdAt)).toEqual(sorted.map((c) => c.createdAt));

      const external: Body[] = (
        await t.http().get('/api/campaigns?audience=external').set(admin()).expect(200)
      ).body;
      expect(external.length).toBeGreaterThan(0);
      expect(external.every((c) => c.audience === 'external')).toBe(true);
      expect(external.find((c) => c.id === b.id)).toMatchObject({ invited: 1 });
      const openExternal: Body[] = (
        await t.http().get('/api/campaigns?status=open&audience=external').set(admin()).expect(200)
      ).body;
      expect(openExternal.map((c) => c.id)).toContain(b.id);
      expect(openExternal.every((c) => c.status === 'open' && c.audience === 'external')).toBe(
        true,
      );
      const drafts: Body[] = (
        await t.http().get('/api/campaigns?status=draft').set(admin()).expect(200)
      ).body;
      expect(drafts.find((c) => c.id === a.id)).toMatchObject({ invited: 3, responses: 2 });
      expect(drafts.some((c) => c.id === b.id)).toBe(false);

      await t.http().get('/api/campaigns?status=archived').set(admin()).expect(400);
      await t.http().get('/api/campaigns?audience=everyone').set(admin()).expect(400);
      await t.http().get('/api/campaigns?sort=name').set(admin()).expect(400);
    });
  });

  describe('roles', () => {
    it('lets analysts read but not change campaigns', async () => {
      const c = await createDraft();
      const analyst = bearer(analystToken);
      await t.http().get('/api/campaigns').set(analyst).expect(200);
      const one = await t.http().get(`/api/campaigns/${c.id}`).set(analyst).expect(200);
      expect(one.body.questions).toHaveLength(6);
      await t.http().post('/api/campaigns').set(analyst).send(campaignDefinition()).expect(403);
      await t
        .http()
        .patch(`/api/campaigns/${c.id}`)
        .set(analyst)
        .send(campaignDefinition())
        .expect(403);
      await t.http().delete(`/api/campaigns/${c.id}`).set(analyst).expect(403);
      await t.http().post(`/api/campaigns/${c.id}/launch`).set(analyst).expect(403);
      await t.http().post(`/api/campaigns/${c.id}/close`).set(analyst).expect(403);
      await t.http().get('/api/campaigns').expect(401);
      await t.http().post(`/api/campaigns/${c.id}/launch`).expect(401);
      const after = await t.http().get(`/api/campaigns/${c.id}`).set(analyst).expect(200);
      expect(after.body.status).toBe('draft');
    });
  });

  describe('lifecycle', () => {
    it('moves draft → open → closed and refuses every other move with 409', async () => {
      const c = await createDraft();
      const opened = await launch(c.id).expect(200);
      expect(opened.body).toEqual({ status: 'open' });
      expect((await launch(c.id).expect(409)).body).toEqual({
        statusCode: 409,
        message: expect.stringMatching(/already open/),
      });
      const view = (await t.http().get(`/api/campaigns/${c.id}`).set(admin()).expect(200)).body;
      expect(view).toMatchObject({
        status: 'open',
        launchedAt: expect.any(String),
        closedAt: null,
      });
      expect((await close(c.id).expect(200)).body).toEqual({ status: 'closed' });
      await close(c.id).expect(409);
      await launch(c.id).expect(409);
      const closed = (await t.http().get(`/api/campaigns/${c.id}`).set(admin()).expect(200)).body;
      expect(closed).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
      expect(closed.closedAt >= closed.launchedAt).toBe(true);
    });

    it('closes a draft directly', async () => {
      const c = await createDraft();
      await close(c.id).expect(200);
      await launch(c.id).expect(409);
      await close(c.id).expect(409);
    });

    it('refuses to launch a campaign whose closing time has passed', async () => {
      const c = await createDraft();
      await db.write((m) =>
        m.update(CampaignEntity, { id: c.id }, { closesAt: '2020-01-01T00:00:00.000Z' }),
      );
      const res = await launch(c.id).expect(409);
      expect(res.body.message).toMatch(/closing time/);
      expect((await t.http().get(`/api/campaigns/${c.id}`).set(admin())).body.status).toBe('draft');
    });

    it('replaces the definition of a draft, and freezes it once open', async () => {
      const c = await createDraft();
      const next = campaignDefinition({
        name: 'Renamed',
        headline: 'nps',
        languages: ['en'],
        anonymous: false,
      });
      for (const q of next.questions) delete q.text.it;
      for (const o of next.questions[4].options) delete o.label.it;
      next.questions = next.questions.slice(1);
      const replaced = await t
        .http()
        .patch(`/api/campaigns/${c.id}`)
        .set(admin())
        .send(next)
        .expect(200);
      expect(replaced.body).toMatchObject({
        id: c.id,
        status: 'draft',
        name: 'Renamed',
        headline: 'nps',
        anonymous: false,
        languages: ['en'],
        createdAt: c.createdAt,
      });
      expect(replaced.body.questions.map((q: Body) => q.key)).toEqual([
        'nps',
        'effort',
        'informed',
        'channel',
        'why',
      ]);
      const rows = await db.manager.query(
        `SELECT question_key, position FROM questions WHERE campaign_id = ${db.isSqlite ? '?' : '$1'} ORDER BY position`,
        [c.id],
      );
      expect(rows.map((r: Body) => [r.question_key, Number(r.position)])).toEqual([
        ['nps', 0],
        ['effort', 1],
        ['informed', 2],
        ['channel', 3],
        ['why', 4],
      ]);

      // the same validation as creation, and unknown fields refused
      const bad = { ...next, headline: 'why' };
      expect(
        fieldsOf(await t.http().patch(`/api/campaigns/${c.id}`).set(admin()).send(bad).expect(400)),
      ).toContain('headline');
      await t
        .http()
        .patch(`/api/campaigns/${c.id}`)
        .set(admin())
        .send({ ...next, status: 'open' })
        .expect(400);
      await t
        .http()
        .patch(`/api/campaigns/${c.id}`)
        .set(admin())
        .send({ name: 'only a name' })
        .expect(400);

      // a GET can be sent back as a definition
      const {
        id: _id,
        status: _s,
        createdAt: _c,
        launchedAt: _l,
        closedAt: _x,
        ...definition
      } = replaced.body;
      await t.http().patch(`/api/campaigns/${c.id}`).set(admin()).send(definition).expect(200);

      await launch(c.id).expect(200);
      const frozen = await t
        .http()
        .patch(`/api/campaigns/${c.id}`)
        .set(admin())
        .send(campaignDefinition())
        .expect(409);
      expect(frozen.body).toEqual({
        statusCode: 409,
        message: 'questions are frozen once the campaign is open',
      });
      await close(c.id).expect(200);
      await t
        .http()
        .patch(`/api/campaigns/${c.id}`)
        .set(admin())
        .send(campaignDefinition())
        .expect(409);
      const after = (await t.http().get(`/api/campaigns/${c.id}`).set(admin())).body;
      expect(after.name).toBe('Renamed');
    });

    it('deletes only drafts without responses', async () => {
      const empty = await createDraft();
      const unitId = await insertUnitRow(db);
      await insertInvitationRow(db, empty.id, await insertContactRow(db, unitId));
      await t.http().delete(`/api/campaigns/${empty.id}`).set(admin()).expect(204);
      await t.http().get(`/api/campaigns/${empty.id}`).set(admin()).expect(404);
      await t.http().delete(`/api/campaigns/${empty.id}`).set(admin()).expect(404);

      const answered = await createDraft();
      await insertResponseRow(db, answered.id, unitId);
      await t.http().delete(`/api/campaigns/${answered.id}`).set(admin()).expect(409);

      const open = await createDraft();
      await launch(open.id).expect(200);
      await t.http().delete(`/api/campaigns/${open.id}`).set(admin()).expect(409);
      await t.http().get(`/api/campaigns/${answered.id}`).set(admin()).expect(200);
      await t.http().get(`/api/campaigns/${open.id}`).set(admin()).expect(200);
    });

    it('lets exactly one of 10 concurrent launches win', async () => {
      const c = await createDraft();
      const results = await Promise.all(Array.from({ length: 10 }, () => launch(c.id)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    });

    it('lets exactly one close win when launches and closes race', async () => {
      const c = await createDraft();
      const calls = Array.from({ length: 10 }, (_, i) => (i % 2 ? launch(c.id) : close(c.id)));
      const results = await Promise.all(calls);
      const launched = results.filter((r, i) => i % 2 === 1 && r.status === 200).length;
      const closed = results.filter((r, i) => i % 2 === 0 && r.status === 200).length;
      expect(closed).toBe(1);
      expect(launched).toBeLessThanOrEqual(1);
      expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect((await t.http().get(`/api/campaigns/${c.id}`).set(admin())).body.status).toBe(
        'closed',
      );
    });

    it('closes an open campaign automatically when closesAt passes', async () => {
      const c = await createDraft(campaignDefinition({ closesAt: secondsFromNow(2) }));
      const other = await createDraft(campaignDefinition({ closesAt: secondsFromNow(3600) }));
      await launch(c.id).expect(200);
      await launch(other.id).expect(200);
      let status = 'open';
      for (let i = 0; i < 40 && status === 'open'; i++) {
        await sleep(200);
        status = (await t.http().get(`/api/campaigns/${c.id}`).set(admin())).body.status;
      }
      expect(status).toBe('closed');
      const view = (await t.http().get(`/api/campaigns/${c.id}`).set(admin())).body;
      expect(view.closedAt >= view.closesAt).toBe(true);
      expect((await t.http().get(`/api/campaigns/${other.id}`).set(admin())).body.status).toBe(
        'open',
      );
    });
  });

  describe('pages', () => {
    it('lists campaigns, escaping what users typed', async () => {
      const evil = '<script>alert("x")</script> & "quotes"';
      const c = await createDraft(campaignDefinition({ name: evil }));
      const unitId = await insertUnitRow(db);
      await insertInvitationRow(db, c.id, await insertContactRow(db, unitId));
      await insertInvitationRow(db, c.id, await insertContactRow(db, unitId));
      await insertResponseRow(db, c.id, unitId);
      const agent = await signIn(t);
      const list = await agent.get('/admin/campaigns').expect(200);
      expect(list.text).not.toContain('<script>alert');
      expect(list.text).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;',
      );
      expect(list.text).toContain(`href="/admin/campaigns/${c.id}"`);
      expect(list.text).toContain('href="/admin/campaigns/new"');
      expect(list.text).toMatch(/class="badge draft"/);
      expect(list.text).toContain('50%');

      const detail = await agent.get(`/admin/campaigns/${c.id}`).expect(200);
      expect(detail.text).not.toContain('<script>alert');
      expect(detail.text).toContain('&lt;script&gt;');
      expect(detail.text).toContain('How satisfied are you with the support you receive?');
      expect(detail.text).toContain('Quanto è soddisfatto del supporto che riceve?');
      expect(detail.text).toContain(`href="/admin/campaigns/${c.id}/confirm/launch"`);
      expect(detail.text).toContain(`href="/admin/campaigns/${c.id}/confirm/close"`);
      expect(detail.headers['content-security-policy']).toContain("script-src 'self'");
      await agent.get(`/admin/campaigns/${UNKNOWN_ID}`).expect(404);
      await agent.get('/admin/campaigns/not-a-uuid').expect(404);
    });

    it('creates a campaign from the builder form, re-rendering errors with the input kept', async () => {
      const agent = await signIn(t);
      const page = await agent.get('/admin/campaigns/new').expect(200);
      expect(page.text).not.toContain('name="questions"');
      for (const type of ['nps', 'csat', 'ces', 'likert', 'choice', 'text'])
        expect(page.text).toContain(`<option value="${type}"`);
      const csrf = csrfOf(page.text);
      // One question of every type, as the builder posts them (parallel lists).
      const def = campaignDefinition();
      const questions = def.questions as Body[];
      const choices = questions.flatMap((q, i) =>
        ((q.options ?? []) as Body[]).map((o): Body => ({ q: String(i), ...o })),
      );
      const fields = {
        qKey: questions.map((q) => q.key),
        qType: questions.map((q) => q.type),
        qRequired: questions.map((q) => (q.required ? 'yes' : 'no')),
        qMultiple: questions.map((q) => (q.multiple ? 'yes' : 'no')),
        qProvider: questions.map(() => ''),
        qTextEn: questions.map((q) => q.text.en),
        qTextIt: questions.map((q) => q.text.it),
        optQ: choices.map((o) => o.q),
        optValue: choices.map((o) => o.value),
        optEn: choices.map((o) => o.label.en),
        optIt: choices.map((o) => o.label.it),
      };
      expect(new Set(fields.qType)).toEqual(
        new Set(['nps', 'csat', 'ces', 'likert', 'choice', 'text']),
      );

      const bad = await agent
        .post('/admin/campaigns')
        .type('form')
        .send({
          _csrf: csrf,
          name: '<b>kept</b>',
          audience: 'internal',
          wave: 'W 1',
          languages: ['en', 'it'],
          closesAt: '2020-01-01T00:00',
          headline: def.headline,
          op: 'save',
          ...fields,
        })
        .expect(400);
      expect(bad.text).toContain('class="error-summary"');
      expect(bad.text).toContain('href="#closesAt"');
      expect(bad.text).toContain('The closing time must be in the future.');
      expect(bad.text).toContain('value="&lt;b&gt;kept&lt;/b&gt;"');
      expect(bad.text).toContain('value="W 1"');
      expect(bad.text).toContain('value="2020-01-01T00:00"');
      expect(bad.text).not.toContain('<b>kept</b>');
      expect(bad.text).toContain('<option value="likert" selected>');

      const badShape = await agent
        .post('/admin/campaigns')
        .type('form')
        .send({
          _csrf: csrf,
          name: 'x',
          audience: 'everyone',
          wave: '2026/Q1',
          headline: def.headline,
          op: 'save',
          ...fields,
        })
        .expect(400);
      expect(badShape.text).toContain('href="#wave"');
      expect(badShape.text).toContain('href="#audience-internal"');
      expect(badShape.text).toContain('href="#languages-en"');
      expect(badShape.text).toContain('value="2026/Q1"');

      await agent
        .post('/admin/campaigns')
        .type('form')
        .send({
          name: 'no token',
          audience: 'internal',
          wave: 'W1',
          languages: 'en',
          headline: def.headline,
          op: 'save',
          ...fields,
        })
        .expect(403);

      const ok = await agent
        .post('/admin/campaigns')
        .type('form')
        .send({
          _csrf: csrf,
          name: 'From the form',
          audience: 'internal',
          wave: '2026-Q2',
          anonymous: 'true',
          languages: ['en', 'it'],
          closesAt: '2099-06-30T18:00',
          headline: def.headline,
          op: 'save',
          ...fields,
        })
        .expect(303);
      const location = ok.headers.location as string;
      expect(location).toMatch(/^\/admin\/campaigns\/[0-9a-f-]{36}\?done=created$/);
      const id = location.split('/')[3].split('?')[0];
      const view = (await t.http().get(`/api/campaigns/${id}`).set(admin()).expect(200)).body;
      expect(view).toMatchObject({
        name: 'From the form',
        wave: '2026-Q2',
        anonymous: true,
        closesAt: '2099-06-30T18:00:00.000Z',
        headline: def.headline,
      });
      expect(view.questions.map((q: Body) => q.type)).toEqual(fields.qType);
      expect(view.questions.map((q: Body) => q.text)).toEqual(questions.map((q) => q.text));

      // launch and close through the detail page's buttons and their confirmation steps
      const detail = await agent.get(location).expect(200);
      expect(detail.text).toContain('The campaign was created as a draft.');
      const confirm = await agent.get(`/admin/campaigns/${id}/confirm/launch`).expect(200);
      expect(confirm.text).toContain(`action="/admin/campaigns/${id}/launch"`);
      const token = csrfOf(confirm.text);
      await agent.post(`/admin/campaigns/${id}/launch`).type('form').send({}).expect(403);
      const launched = await agent
        .post(`/admin/campaigns/${id}/launch`)
        .type('form')
        .send({ _csrf: token })
        .expect(303);
      expect(launched.headers.location).toBe(`/admin/campaigns/${id}?done=launched`);
      const again = await agent
        .post(`/admin/campaigns/${id}/launch`)
        .type('form')
        .send({ _csrf: token })
        .expect(409);
      expect(again.text).toContain('The campaign is no longer a draft: it is open.');
      await agent
        .post(`/admin/campaigns/${id}/close`)
        .type('form')
        .send({ _csrf: token })
        .expect(303);
      const closed = await agent.get(`/admin/campaigns/${id}`).expect(200);
      expect(closed.text).toMatch(/class="badge closed"/);
      expect(closed.text).not.toContain(`/admin/campaigns/${id}/confirm/launch`);
      expect(closed.text).not.toContain(`/admin/campaigns/${id}/confirm/close`);
    });

    it('keeps analysts and visitors out of the admin pages', async () => {
      await t
        .http()
        .get('/admin/campaigns')
        .expect(303)
        .expect('Location', '/login?next=%2Fadmin%2Fcampaigns');
      const agent = await signIn(t, ANALYST);
      await agent.get('/admin/campaigns').expect(403);
      await agent.get('/admin/campaigns/new').expect(403);
    });
  });
});

describe.each(dbKinds())('campaign close sweep at boot on %s', (kind) => {
  it('closes campaigns that expired while no instance was running, once per instance', async () => {
    const t = await startApp(kind, { CLOSE_SWEEP_MS: '3600000' });
    try {
      const db = t.app.get(Db);
      const ids: string[] = [];
      for (const closesAt of [secondsFromNow(-60), secondsFromNow(3600)]) {
        const res = await t
          .http()
          .post('/api/campaigns')
          .set(bearer(t.adminToken))
          .send(campaignDefinition({ closesAt: secondsFromNow(3600) }))
          .expect(201);
        await t
          .http()
          .post(`/api/campaigns/${res.body.id}/launch`)
          .set(bearer(t.adminToken))
          .expect(200);
        await db.write((m) =>
          m.update(
            CampaignEntity,
            { id: res.body.id },
            { closesAt: new Date(closesAt).toISOString() },
          ),
        );
        ids.push(res.body.id);
      }
      // A second instance on the same database sweeps at boot.
      const second = await createApp(
        loadConfig({
          NODE_ENV: 'test',
          DATABASE_URL: t.databaseUrl,
          LOG_LEVEL: 'error',
          CLOSE_SWEEP_MS: '3600000',
        }),
      );
      await second.init();
      try {
        const [expired, running] = await Promise.all(
          ids.map((id) => db.manager.findOneByOrFail(CampaignEntity, { id })),
        );
        expect(expired).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
        expect(running.status).toBe('open');
      } finally {
        await second.close();
      }
    } finally {
      await t.close();
    }
  });
});
