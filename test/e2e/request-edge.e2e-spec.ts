// Issue 10, the request's edge: authentication before the body is read, the auth mode from the
// matched route, text/csv only where it is imported, request logs without secrets, /metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { createApp } from '../../src/app.factory.js';
import { PUBLIC } from '../../src/auth/auth.decorators.js';
import { loadConfig } from '../../src/config/app-config.js';
import { Db } from '../../src/database/db.js';
import { runMigrations } from '../../src/database/migrate.js';
import { OutboxEntity } from '../../src/database/schema/outbox.entity.js';
import {
  type InsertedResponse,
  ResponseInsertHook,
} from '../../src/responses/response-insert.hook.js';
import {
  ADMIN,
  bearer,
  createAnalyst,
  dbKinds,
  freshDatabase,
  startApp,
  type TestApp,
} from '../helpers/app.js';
import { signIn } from '../helpers/auth.js';
import { seedSurvey, VALID_ANSWERS } from '../helpers/survey-fixtures.js';

const MB = 1024 * 1024;

interface EarlyAnswer {
  status: number;
  location?: string;
  body: string;
  /** Body bytes written when the response arrived. */
  sent: number;
}

/**
 * Announces a body of `total` bytes and sends at most 1 MB of it, slowly: the answer must come
 * before the body is complete (it is never completed), i.e. without the server reading the body.
 */
function answerBeforeBody(
  port: number,
  path: string,
  headers: Record<string, string>,
  total: number,
  method = 'POST',
): Promise<EarlyAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method,
      path,
      headers: { ...headers, 'content-length': String(total) },
    });
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer after ${sent} of ${total} bytes: the server waits for the body`));
    }, 5_000);
    req.on('response', (res) => {
      answered = true;
      const at = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, body, sent: at });
      });
    });
    req.on('error', (err) => {
      if (!answered) {
        clearTimeout(timer);
        reject(err);
      }
    });
    const pump = () => {
      if (answered || sent >= MB) return;
      req.write(chunk);
      sent += chunk.length;
      setTimeout(pump, 10);
    };
    pump();
  });
}

const BODY_METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

/** Every Nest route whose method may carry a body, and whether it is @Public. */
function bodyRoutes(t: TestApp): Array<{ method: string; path: string; isPublic: boolean }> {
  const routes: Array<{ method: string; path: string; isPublic: boolean }> = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as { prototype: Record<string, unknown> } | null;
      if (!controller?.prototype) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (typeof handler !== 'function') continue;
        const method = BODY_METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (!method || path === undefined) continue;
        const isPublic =
          Reflect.getMetadata(PUBLIC, handler) === true ||
          Reflect.getMetadata(PUBLIC, controller) === true;
        const full = `/${base}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
        routes.push({ method, path: full, isPublic });
      }
    }
  }
  return routes;
}

async function listening(t: TestApp): Promise<number> {
  const server = t.app.getHttpServer() as http.Server;
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe.each(dbKinds())('the request edge on %s', (kind) => {
  let t: TestApp;
  let port: number;
  let analyst: string;
  beforeAll(async () => {
    t = await startApp(kind);
    port = await listening(t);
    analyst = await createAnalyst(t, { email: 'ana@example.com', password: 'analyst password 1' });
  });
  afterAll(() => t.close());

  it('refuses an unauthenticated 15 MB form to an admin import page before reading it', async () => {
    const a = await answerBeforeBody(
      port,
      '/admin/contacts/import',
      { 'content-type': 'application/x-www-form-urlencoded' },
      15 * MB,
    );
    expect(a.status).toBe(303);
    expect(a.location).toBe('/login?next=%2Fadmin');
    expect(a.sent).toBeLessThan(15 * MB);
  });

  it('refuses every non-public route that takes a body before reading it', async () => {
    const routes = bodyRoutes(t).filter((r) => !r.isPublic);
    expect(routes.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const r of routes) {
      const api = r.path.startsWith('/api/');
      const a = await answerBeforeBody(
        port,
        r.path.replace(/:[A-Za-z]+/g, 'x'),
        { 'content-type': api ? 'application/json' : 'application/x-www-form-urlencoded' },
        2 * MB,
        r.method,
      );
      const expected = api ? 401 : 303;
      if (a.status !== expected || a.sent >= 2 * MB)
        wrong.push(`${r.method} ${r.path}: ${a.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses an unauthenticated or unauthorised CSV import through the API before reading it', async () => {
    const csv = { 'content-type': 'text/csv' };
    const anonymous = await answerBeforeBody(port, '/api/contacts/import', csv, 5 * MB);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toEqual({
      statusCode: 401,
      message: 'Authentication required',
    });
    const wrongRole = await answerBeforeBody(
      port,
      '/api/units/import',
      { ...csv, ...bearer(analyst) },
      5 * MB,
    );
    expect(wrongRole.status).toBe(403);
  });

  it('answers text/csv with 415, unread, on routes that do not import CSV', async () => {
    const token = await answerBeforeBody(
      port,
      '/api/auth/token',
      { 'content-type': 'text/csv; charset=utf-8' },
      4 * MB,
    );
    expect(token.status).toBe(415);
    const units = await answerBeforeBody(
      port,
      '/api/units',
      { 'content-type': 'application/csv', ...bearer(t.adminToken) },
      4 * MB,
    );
    expect(units.status).toBe(415);
    // An unknown URL does not read a CSV body either (before, the parser's 5 MiB limit applied).
    for (const path of ['/nowhere', '/api/nowhere'] as const) {
      const unknown = await answerBeforeBody(port, path, { 'content-type': 'text/csv' }, 4 * MB);
      expect([path, unknown.status]).toEqual([path, 415]);
      expect(unknown.sent).toBeLessThan(4 * MB);
    }
    // The import route itself still takes CSV.
    await t
      .http()
      .post('/api/units/import?dryRun=true')
      .set(bearer(t.adminToken))
      .set('Content-Type', 'text/csv')
      .send('code,name,parent_code\nE1,Edge unit,\n')
      .expect(200);
  });

  it('chooses bearer or session from the matched route, not the raw URL', async () => {
    const agent = await signIn(t);
    const plain = await agent.get('/api/campaigns');
    const escaped = await agent.get('/%61pi/campaigns');
    expect(plain.status).toBe(401);
    expect(escaped.status).toBe(401);
    expect(escaped.body).toEqual(plain.body);
    // …and a bearer token works the same on both spellings.
    const viaBearer = await t.http().get('/%61pi/campaigns').set(bearer(t.adminToken));
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.body).toEqual(
      (await t.http().get('/api/campaigns').set(bearer(t.adminToken))).body,
    );
  });
});

describe.each(dbKinds())('request logs on %s', (kind) => {
  const lines: string[] = [];
  let app: Awaited<ReturnType<typeof createApp>>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await freshDatabase(kind);
    drop = db.drop;
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PUBLIC_URL: 'http://survey.test',
      LOG_LEVEL: 'log',
      MAIL_POLL_MS: '100',
    });
    await runMigrations(config);
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    app = await createApp(config, undefined, { logStream });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('log the request id, status and time, never a token, e-mail, cookie or answer', async () => {
    const http = () => request(app.getHttpServer());
    const t = { app, http } as unknown as TestApp;
    const adminToken = (await http().post('/api/auth/token').send(ADMIN).expect(201)).body
      .accessToken as string;
    const contactEmail = 'logged.person@example.com';
    await http()
      .post('/api/units')
      .set(bearer(adminToken))
      .send({ code: 'LOG1', name: 'Logged unit' })
      .expect(201);
    await http()
      .post('/api/contacts')
      .set(bearer(adminToken))
      .send({ email: contactEmail, name: 'Logged Person', audience: 'internal', unitCode: 'LOG1' })
      .expect(201);
    await http()
      .get(`/api/contacts?q=${encodeURIComponent(contactEmail)}`)
      .set(bearer(adminToken))
      .expect(200);
    const survey = await seedSurvey(t, { invitees: 2 });
    const [token, other] = survey.tokens;
    const secretAnswer = 'my very private remark 8472';
    await http().get(`/s/${token}`).expect(200);
    await http()
      .post(`/api/s/${token}`)
      .send({ answers: { ...VALID_ANSWERS, why: secretAnswer } })
      .expect(201);
    const page = await http().get(`/s/${other}`).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    await http()
      .post(`/s/${other}`)
      .set('Cookie', page.headers['set-cookie'] as unknown as string[])
      .type('form')
      .send({ _csrf: csrf, sat: '4', why: secretAnswer });
    await http().get(`/unsubscribe/${token}`);
    await http().get(`/s/${token}/nothing-here?email=${encodeURIComponent(contactEmail)}`);
    const agent = request.agent(app.getHttpServer());
    const login = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(login.text)![1], ...ADMIN })
      .expect(303);
    await agent.get('/admin').expect(200);

    const entries = lines.map((l) => JSON.parse(l) as Record<string, any>);
    const completed = entries.filter((e) => e.msg === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(12);
    for (const e of completed) {
      expect(typeof e.reqId).toBe('string');
      expect(e.reqId).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof e.res.statusCode).toBe('number');
      expect(typeof e.responseTime).toBe('number');
    }
    const answered = entries.find(
      (e) =>
        e.msg === 'incoming request' && e.req?.method === 'POST' && e.req?.path === '/api/s/:token',
    );
    expect(answered).toBeDefined();
    expect(completed.find((e) => e.reqId === answered!.reqId)?.res.statusCode).toBe(201);
    expect(new Set(completed.map((e) => e.reqId)).size).toBe(completed.length);

    const all = lines.join('\n');
    for (const secret of [
      token,
      other,
      adminToken,
      contactEmail,
      encodeURIComponent(contactEmail),
      ADMIN.email,
      ADMIN.password,
      secretAnswer,
      'specchio_sid',
      'specchio_csrf',
      'authorization',
      'cookie',
    ])
      expect(all.toLowerCase()).not.toContain(secret.toLowerCase());
  });
});

/** A submission whose text answer is this fails as a locked database would (503). */
const LOCKED = 'simulate a locked database';
const lockedDatabaseHook = {
  provide: ResponseInsertHook,
  useValue: {
    afterInsert(response: InsertedResponse): void {
      if (response.answers.some((a) => a.textValue === LOCKED))
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    },
  },
};

const METRICS_TOKEN = 'metrics-scraper-secret-0123456789abcdef';

describe.each(dbKinds())('/metrics on %s', (kind) => {
  it('does not exist unless METRICS_TOKEN is set', async () => {
    const t = await startApp(kind);
    try {
      await t.http().get('/metrics').expect(404);
      await t.http().get('/metrics').set(bearer(t.adminToken)).expect(404);
    } finally {
      await t.close();
    }
  });

  it('serves Prometheus text to the scraper that holds the token', async () => {
    const t = await startApp(kind, { METRICS_TOKEN }, [lockedDatabaseHook]);
    try {
      await t.http().get('/metrics').expect(401);
      await t.http().get('/metrics').set(bearer(t.adminToken)).expect(401);
      await t.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`).expect(401);

      const survey = await seedSurvey(t, { invitees: 3 });
      await t
        .http()
        .post(`/api/s/${survey.tokens[0]}`)
        .send({ answers: VALID_ANSWERS })
        .expect(201);
      await t
        .http()
        .post(`/api/s/${survey.tokens[1]}`)
        .send({ answers: { ...VALID_ANSWERS, why: LOCKED } })
        .expect(503);
      await t
        .http()
        .post(`/api/campaigns/${survey.campaignId}/reminders`)
        .set(bearer(t.adminToken))
        .send({})
        .expect(201);

      const res = await t
        .http()
        .get('/metrics')
        .set('Authorization', `Bearer ${METRICS_TOKEN}`)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.headers['set-cookie']).toBeUndefined();
      const text = res.text;
      const value = (series: string) => {
        const line = text.split('\n').find((l) => l.startsWith(`${series} `));
        return line === undefined ? undefined : Number(line.slice(series.length + 1));
      };
      expect(value('specchio_answers_accepted_total')).toBe(1);
      expect(value('specchio_database_errors_total')).toBe(1);
      expect(
        value('specchio_http_requests_total{method="POST",route="/api/s/:token",status="201"}'),
      ).toBe(1);
      expect(
        value('specchio_http_requests_total{method="POST",route="/api/s/:token",status="503"}'),
      ).toBe(1);
      expect(
        value('specchio_http_request_duration_seconds_count{method="POST",route="/api/s/:token"}'),
      ).toBe(2);
      const queued = await t.app.get(Db).manager.countBy(OutboxEntity, { status: 'queued' });
      expect(queued).toBe(2); // the reminders of the two invitees without a stored answer
      expect(value('specchio_outbox_messages{status="queued"}')).toBe(queued);
      expect(value('specchio_outbox_messages{status="sent"}')).toBe(0);
      expect(value('specchio_outbox_messages{status="failed"}')).toBe(0);
      expect(text).toContain('specchio_process_resident_memory_bytes');
      // No token in any label.
      expect(text).not.toContain(survey.tokens[0]);
    } finally {
      await t.close();
    }
  });
});
