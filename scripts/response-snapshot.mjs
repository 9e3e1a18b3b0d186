#!/usr/bin/env node
/**
 * Response snapshot: proves that a refactor leaves the HTTP API and the HTML pages answering
 * byte for byte the same.
 *
 *   node scripts/response-snapshot.mjs <checkoutDir> <outFile.json>
 *       Starts the BUILT app of <checkoutDir> (`node dist/src/main.js`; run `npm run build` there
 *       first) on a fresh SQLite file in a temp dir and a free port, without SMTP (mail stays in
 *       the outbox), builds a deterministic fixture through the public HTTP API only, requests a
 *       wide list of API GETs and HTML pages, and writes
 *       [{ request, status, contentType, headers, sha256, body }] with the volatile parts masked.
 *
 *   node scripts/response-snapshot.mjs --diff <a.json> <b.json>
 *       Prints the entries that differ (with a short unified diff of the bodies); exit code 1 if
 *       any differ.
 *
 * Masked (everything else is compared exactly):
 *  - UUIDs: ids of the entities the fixture created get stable names (<unit:B-MI>,
 *    <campaign:int-q1>, <contact:i-b-mi-1>, <user:analyst>); other UUIDs become <uuid#N>, numbered
 *    by first appearance in the whole snapshot.
 *  - Survey tokens (<survey-token:contact@campaign>; the opt-out link carries the same token),
 *    API access tokens (<access-token:admin>), any other 43-character base64url secret (<token>),
 *    CSRF tokens (<csrf>), the values of Set-Cookie headers (<value>).
 *  - Timestamps/dates of the run (ISO 8601, "YYYY-MM-DD HH:MM", dates) within a few days of now:
 *    replaced by their shape (<time:dddd-dd-ddTdd:dd:dd.dddZ>). Fixed fixture dates (2099) stay.
 *  - Random orders of the app (documented as random): comments in the report JSON
 *    (ORDER BY RANDOM()) are sorted; CSV export rows (ordered by random response UUID) are sorted;
 *    outbox messages created in the same millisecond (ordered by random id) are sorted, in the
 *    API list and on the /admin/outbox page.
 *  The port does not appear anywhere: PUBLIC_URL is a fixed http://specchio.test.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ADMIN = { email: 'admin@specchio.test', password: 'snapshot admin password' };
const ANALYST = { email: 'analyst@specchio.test', password: 'snapshot analyst password' };
const PUBLIC_URL = 'http://specchio.test';
const ZERO_ID = '00000000-0000-4000-8000-000000000000';
const UNKNOWN_TOKEN = 'A'.repeat(43);

// ------------------------------------------------------------------------------------------------
// Masking

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TOKEN_RE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const CSRF_RE = /(name="_csrf" value=")[^"]*(")/g;
const DATE_RE =
  /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?(?!\d)/g;

class Masker {
  constructor() {
    /** secret (uuid in lower case, or token) → label */
    this.labels = new Map();
    this.unknownIds = 0;
    this.start = Date.now();
  }

  name(secret, label) {
    if (typeof secret !== 'string' || secret.length === 0) return;
    const key = /^[0-9a-f-]{36}$/i.test(secret) ? secret.toLowerCase() : secret;
    if (!this.labels.has(key)) this.labels.set(key, label);
  }

  /** Dates within a few days of the run are volatile; fixed fixture dates are kept. */
  isRunDate(y, m, d) {
    const t = Date.UTC(Number(y), Number(m) - 1, Number(d));
    const day = 86_400_000;
    return t >= this.start - 3 * day && t <= Date.now() + 3 * day;
  }

  /** `register` false: unknown UUIDs become <uuid> without taking a number (sort keys). */
  mask(text, register = true) {
    let out = text.replace(CSRF_RE, '$1<csrf>$2');
    out = out.replace(UUID_RE, (id) => {
      const key = id.toLowerCase();
      if (!this.labels.has(key)) {
        if (!register) return '<uuid>';
        this.labels.set(key, `<uuid#${++this.unknownIds}>`);
      }
      return this.labels.get(key);
    });
    out = out.replace(TOKEN_RE, (tok) => {
      if (this.labels.has(tok)) return this.labels.get(tok);
      // A run of lower-case words is an identifier, not a secret.
      if (/^[a-z_-]+$/.test(tok)) return tok;
      return '<token>';
    });
    out = out.replace(DATE_RE, (all, y, m, d) =>
      this.isRunDate(y, m, d) ? `<time:${all.replace(/\d/g, 'd')}>` : all,
    );
    return out;
  }
}

// ------------------------------------------------------------------------------------------------
// Normalisation of documented random orders

function sortComments(value) {
  if (Array.isArray(value)) return value.map(sortComments);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === 'comments' && Array.isArray(v) && v.every((x) => typeof x === 'string')
          ? [...v].sort()
          : sortComments(v);
    }
    return out;
  }
  return value;
}

/** Rows after the header line, sorted (the export orders rows by random response UUIDs). */
function sortCsvRows(text) {
  const lines = text.split('\n');
  const trailing = lines.at(-1) === '' ? lines.pop() : undefined;
  const [header, ...rows] = lines;
  const out = [header, ...rows.sort()];
  if (trailing !== undefined) out.push(trailing);
  return out.join('\n');
}

/** Outbox page: each message is a group of <tr>s; groups of equal masked time sort stably. */
function sortOutboxRows(html) {
  return html.replace(/(<tbody>)([\s\S]*?)(\n\s*<\/tbody>)/, (all, open, inner, close) => {
    const groups = inner.split(/(?=\n\s*<tr>\n\s*<td>)/);
    return open + [...groups].sort().join('') + close;
  });
}

/** Sorted by their masked text (unknown UUIDs unnumbered, so the sort itself is stable). */
function sortMasked(masker, items) {
  return items
    .map((item) => ({ item, key: masker.mask(JSON.stringify(item), false) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.item);
}

function normaliseBody(masker, req, contentType, raw) {
  let text = raw;
  if (/json/.test(contentType)) {
    try {
      const parsed = JSON.parse(raw);
      // Only when re-serialising is lossless (it is for every JSON the app sends).
      if (JSON.stringify(parsed) === raw) {
        let value = sortComments(parsed);
        if (req.path.startsWith('/api/outbox') && Array.isArray(value.items)) {
          // Messages queued in one request share createdAt and are then ordered by random id.
          const items = value.items.map((item) => ({ ...item, id: '<outbox-id>' }));
          value = { ...value, items: sortMasked(masker, items) };
        }
        if (req.method === 'POST' && /\/invitations$/.test(req.path)) {
          // Created and skipped invitations come in contact-id (random UUID) order.
          for (const key of ['invitations', 'skipped'])
            if (Array.isArray(value[key]))
              value = { ...value, [key]: sortMasked(masker, value[key]) };
        }
        text = JSON.stringify(value);
      }
    } catch {
      // Not JSON after all: compared as text.
    }
  }
  // CSV rows come in response-id order (random UUIDs): ids unnumbered, rows sorted.
  if (/text\/csv/.test(contentType)) return sortCsvRows(masker.mask(text, false));
  let masked = masker.mask(text);
  if (/text\/html/.test(contentType) && req.path.startsWith('/admin/outbox'))
    masked = sortOutboxRows(masked);
  return masked;
}

// ------------------------------------------------------------------------------------------------
// HTTP clients: fetch with a small cookie jar and bearer tokens, every response recorded

const RECORDED_HEADERS = [
  'location',
  'content-disposition',
  'cache-control',
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'x-frame-options',
  'retry-after',
  'www-authenticate',
];

/**
 * Keeps the raw responses; masks them only at the end, when every entity the fixture created has
 * its name (a response that creates an entity is recorded before the script learns its id).
 */
class Recorder {
  constructor(masker) {
    this.masker = masker;
    this.raw = [];
  }

  add(as, method, path, note, res, text) {
    const headers = {};
    for (const h of RECORDED_HEADERS) {
      const v = res.headers.get(h);
      if (v !== null) headers[h] = v;
    }
    const cookies = res.headers.getSetCookie();
    if (cookies.length)
      headers['set-cookie'] = cookies.map((c) => c.replace(/^([^=]+)=[^;]*/, '$1=<value>')).sort();
    this.raw.push({
      request: { method, path, as, ...(note ? { note } : {}) },
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      headers,
      text,
    });
  }

  entries() {
    const m = this.masker;
    return this.raw.map(({ request, status, contentType, headers, text }) => {
      const masked = {};
      for (const [k, v] of Object.entries(headers))
        masked[k] = Array.isArray(v) ? v.map((x) => m.mask(x)) : m.mask(v);
      const path = m.mask(request.path);
      const body = normaliseBody(m, request, contentType, text);
      return {
        request: { ...request, path },
        status,
        contentType,
        headers: masked,
        sha256: createHash('sha256').update(body).digest('hex'),
        body,
      };
    });
  }
}

class Client {
  constructor(base, recorder, as) {
    this.base = base;
    this.recorder = recorder;
    this.as = as;
    this.cookies = new Map();
    this.bearer = undefined;
    this.acceptLanguage = undefined;
  }

  /**
   * One request. `json`, `form` (URLSearchParams or entries) or `csv` give the body; `record`
   * false keeps it out of the snapshot. Returns { status, headers, text, json }.
   */
  async send(method, path, { json, form, csv, record = true, note, headers: extra } = {}) {
    const headers = { ...(extra ?? {}) };
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.acceptLanguage) headers['accept-language'] = this.acceptLanguage;
    let body;
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    } else if (csv !== undefined) {
      headers['content-type'] = 'text/csv';
      body = csv;
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    for (const c of res.headers.getSetCookie()) {
      const m = /^([^=]+)=([^;]*)/.exec(c);
      if (!m) continue;
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c) || m[2] === '') this.cookies.delete(m[1]);
      else {
        this.cookies.set(m[1], m[2]);
        if (/sid/.test(m[1])) this.recorder.masker.name(m[2], `<session:${this.as}>`);
      }
    }
    if (record) this.recorder.add(this.as, method, path, note, res, text);
    let parsed;
    if (/json/.test(res.headers.get('content-type') ?? '')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    return { status: res.status, headers: res.headers, text, json: parsed };
  }

  get(path, opts) {
    return this.send('GET', path, opts);
  }

  post(path, opts) {
    return this.send('POST', path, opts);
  }

  /** The statuses the fixture cannot do without. */
  async expect(status, promise) {
    const res = await promise;
    if (res.status !== status)
      throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
    return res;
  }
}

const csrfOf = (html) => {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in the page');
  return m[1];
};

/** Signs a client in through the login form (session cookie + CSRF token). */
async function signIn(client, who) {
  const page = await client.expect(200, client.get('/login', { note: 'login form' }));
  await client.expect(
    303,
    client.post('/login', { form: { _csrf: csrfOf(page.text), ...who }, note: 'sign in' }),
  );
}

// ------------------------------------------------------------------------------------------------
// The fixture: a small company, fully determined by these tables

/** Deterministic integers in [min, max] (an LCG; no Math.random anywhere). */
function generator(seed) {
  let s = seed >>> 0 || 1;
  return (min, max) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return min + ((s >>> 8) % (max - min + 1));
  };
}

const TOP_UNITS = [
  { code: 'ACME', name: 'Acme Group', parentCode: null },
  { code: 'NORTH', name: 'North region', parentCode: 'ACME' },
  { code: 'SOUTH', name: 'South region', parentCode: 'ACME' },
  { code: 'IT', name: 'IT service desk', parentCode: 'ACME' },
  { code: 'HR', name: 'Human resources', parentCode: 'ACME' },
];
// Imported: children before a parent line is fine; one bad line (unknown parent).
const UNITS_CSV = [
  'code,name,parent_code',
  'B-MI,Milano,NORTH',
  'B-TO,Torino,NORTH',
  'B-NA,"Napoli <centro> & ""porto""",SOUTH',
  'B-RM,Roma,SOUTH',
  'B-BA,Bari,SOUTH',
  'X-BAD,Nowhere,NOPE',
  '',
].join('\n');

/**
 * Internal staff per unit: people, answers in wave 1 and 2, quality (1–5). The answer counts of a
 * wave are all different: complementary suppression hides "the next smallest group, ties by key",
 * and the key is the unit's random UUID, so a tie would make the hidden unit differ between two
 * databases filled with the same data.
 */
const STAFF = [
  { unit: 'B-MI', people: 9, answers: [8, 9], quality: [5, 4] },
  { unit: 'B-TO', people: 8, answers: [7, 6], quality: [3, 4] },
  { unit: 'B-NA', people: 7, answers: [5, 7], quality: [4, 3] },
  { unit: 'B-RM', people: 6, answers: [3, 4], quality: [2, 3] },
  { unit: 'B-BA', people: 6, answers: [6, 3], quality: [2, 2] },
  { unit: 'IT', people: 4, answers: [2, 2], quality: [4, 4] },
  { unit: 'HR', people: 5, answers: [4, 5], quality: [3, 3] },
];

/** External buyers per branch: people, answers in wave 1 and 2, NPS base (0–10). */
const BUYERS = [
  { unit: 'B-MI', people: 5, answers: [5, 4], base: [9, 8] },
  { unit: 'B-TO', people: 4, answers: [4, 4], base: [7, 8] },
  { unit: 'B-NA', people: 4, answers: [3, 4], base: [8, 6] },
  { unit: 'B-RM', people: 4, answers: [4, 3], base: [5, 6] },
  { unit: 'B-BA', people: 3, answers: [3, 3], base: [4, 4] },
];

const internalEmail = (unit, i) => `i-${unit.toLowerCase()}-${i}@acme.test`;
const buyerEmail = (unit, i) => `buyer-${unit.toLowerCase()}-${i}@client.test`;
const localPart = (email) => email.split('@')[0];

function internalDefinition(wave) {
  return {
    name: `Internal service ${wave}`,
    audience: 'internal',
    wave,
    anonymous: true,
    languages: ['en', 'it'],
    closesAt: '2099-03-31T23:59:59Z',
    headline: 'sat',
    questions: [
      {
        key: 'sat',
        type: 'csat',
        required: true,
        text: {
          en: 'How satisfied are you with the support you receive?',
          it: 'Quanto è soddisfatto del supporto che riceve?',
        },
      },
      {
        key: 'it_service',
        type: 'csat',
        required: true,
        providerUnitCode: 'IT',
        text: { en: 'How do you rate the IT service desk?', it: 'Come valuta il service desk IT?' },
      },
      {
        key: 'hr_service',
        type: 'csat',
        required: false,
        providerUnitCode: 'HR',
        text: { en: 'How do you rate Human resources?', it: 'Come valuta le Risorse umane?' },
      },
      {
        key: 'effort',
        type: 'ces',
        text: { en: 'It was easy to get help.', it: 'È stato facile ottenere aiuto.' },
      },
      {
        key: 'informed',
        type: 'likert',
        text: { en: 'I am kept informed.', it: 'Vengo tenuto informato.' },
      },
      {
        key: 'channel',
        type: 'choice',
        multiple: true,
        options: [
          { value: 'web', label: { en: 'Web', it: 'Web' } },
          { value: 'phone', label: { en: 'Phone', it: 'Telefono' } },
          { value: 'email', label: { en: 'E-mail', it: 'E-mail' } },
        ],
        text: { en: 'How do you contact us?', it: 'Come ci contatta?' },
      },
      {
        key: 'why',
        type: 'text',
        required: false,
        text: { en: 'Anything to add?', it: 'Qualcosa da aggiungere?' },
      },
    ],
  };
}

function externalDefinition(wave) {
  return {
    name: `Customer NPS ${wave}`,
    audience: 'external',
    wave,
    anonymous: false,
    languages: ['en', 'it'],
    closesAt: '2099-06-30T23:59:59Z',
    headline: 'nps',
    questions: [
      {
        key: 'nps',
        type: 'nps',
        required: true,
        text: {
          en: 'How likely are you to recommend us to a colleague?',
          it: 'Quanto è probabile che ci raccomandi a un collega?',
        },
      },
      {
        key: 'reason',
        type: 'text',
        required: false,
        text: { en: 'What is the main reason?', it: 'Qual è il motivo principale?' },
      },
    ],
  };
}

const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
const COMMENTS = [
  'Quick and friendly.',
  '=SUM(A1:A9) should be neutralised',
  'Slow answers <b>on Mondays</b> & "Fridays"',
  'Più personale, per favore.',
  '+39 is our prefix',
  'Nothing to add.',
];

function internalAnswers(rnd, quality, i) {
  const a = {
    sat: clamp(quality + rnd(-1, 1), 1, 5),
    it_service: clamp(quality + rnd(-2, 1), 1, 5),
    effort: rnd(2, 7),
    informed: clamp(quality + rnd(-1, 1), 1, 5),
    channel: ['web', 'phone', 'email'].filter((_, k) => (i + k) % 2 === 0 || k === rnd(0, 2)),
  };
  if (i % 3 !== 2) a.hr_service = rnd(1, 5);
  if (i % 2 === 0) a.why = COMMENTS[rnd(0, COMMENTS.length - 1)];
  return a;
}

function externalAnswers(rnd, base, i) {
  const a = { nps: clamp(base + rnd(-2, 2), 0, 10) };
  if (i % 2 === 1) a.reason = COMMENTS[rnd(0, COMMENTS.length - 1)];
  return a;
}

/** Form fields of an answer set (a multiple choice repeats its field). */
function formFields(csrf, answers) {
  const fields = [['_csrf', csrf]];
  for (const [k, v] of Object.entries(answers)) {
    for (const x of Array.isArray(v) ? v : [v]) fields.push([k, String(x)]);
  }
  return fields;
}

// ------------------------------------------------------------------------------------------------
// Running the app

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function startApp(checkout, dir) {
  const main = join(checkout, 'dist/src/main.js');
  if (!existsSync(main)) throw new Error(`${main} not found: run npm run build in ${checkout}`);
  const port = await freePort();
  const log = join(dir, 'app.log');
  const out = openSync(log, 'a');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(dir, 'snapshot.sqlite')}`,
    PUBLIC_URL,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // Small thresholds, so a small fixture shows both released and hidden groups.
    MIN_GROUP_SIZE: '3',
    MIN_COMMENT_GROUP_SIZE: '4',
    FATIGUE_DAYS: '0',
    // No SMTP_URL: nothing is sent, mail stays queued in the outbox.
    MAIL_POLL_MS: '2000',
    CLOSE_SWEEP_MS: '30000',
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [main], {
    cwd: checkout,
    env,
    stdio: ['ignore', out, out],
  });
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited)
      throw new Error(`the app exited (${JSON.stringify(exited)}):\n${readFileSync(log, 'utf8')}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`no /health within 90 s:\n${readFileSync(log, 'utf8')}`);
    }
    await sleep(250);
  }
  return {
    base,
    log,
    async stop() {
      if (exited) return;
      const done = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

// ------------------------------------------------------------------------------------------------
// The scenario

async function scenario(base, recorder) {
  const masker = recorder.masker;
  const admin = new Client(base, recorder, 'admin-bearer');
  const anon = new Client(base, recorder, 'anonymous');

  await anon.get('/health');
  await anon.post('/api/auth/token', {
    json: { email: ADMIN.email, password: 'wrong password!' },
    note: 'bad credentials',
  });
  const token = await admin.expect(201, admin.post('/api/auth/token', { json: ADMIN }));
  admin.bearer = token.json.accessToken;
  masker.name(admin.bearer, '<access-token:admin>');
  await anon.get('/api/units', { note: 'no bearer' });

  // Users
  const analystUser = await admin.expect(
    201,
    admin.post('/api/users', { json: { ...ANALYST, role: 'analyst' } }),
  );
  masker.name(analystUser.json.id, '<user:analyst>');
  const analyst = new Client(base, recorder, 'analyst-bearer');
  const at = await analyst.expect(201, analyst.post('/api/auth/token', { json: ANALYST }));
  analyst.bearer = at.json.accessToken;
  masker.name(analyst.bearer, '<access-token:analyst>');
  const users = await admin.get('/api/users', { record: false });
  for (const u of users.json ?? []) masker.name(u.id, `<user:${localPart(u.email)}>`);

  // Units: five through POST, the branches through the CSV import
  for (const u of TOP_UNITS) {
    const res = await admin.expect(201, admin.post('/api/units', { json: u }));
    masker.name(res.json.id, `<unit:${u.code}>`);
  }
  await admin.post('/api/units', { json: TOP_UNITS[1], note: 'duplicate code' });
  await admin.post('/api/units', {
    json: { code: 'ORPHAN', name: 'Orphan', parentCode: 'NOPE' },
    note: 'unknown parent',
  });
  await admin.post('/api/units/import', { csv: UNITS_CSV });
  const units = await admin.get('/api/units', { record: false });
  for (const u of units.json) masker.name(u.id, `<unit:${u.code}>`);

  // Contacts: internal staff by CSV import (dry run first, one bad line), buyers half by POST
  const staffCsv = ['email,name,audience,unit_code,language'];
  for (const s of STAFF)
    for (let i = 1; i <= s.people; i++)
      staffCsv.push(
        `${internalEmail(s.unit, i)},Staff ${s.unit} ${i},internal,${s.unit},${i % 3 === 0 ? 'it' : 'en'}`,
      );
  staffCsv.push('not-an-email,Nobody,internal,B-MI,en');
  const staffText = staffCsv.join('\n') + '\n';
  await admin.post('/api/contacts/import?dryRun=true', { csv: staffText });
  await admin.post('/api/contacts/import', { csv: staffText });
  const buyerCsv = ['email,name,audience,unit_code,language'];
  for (const b of BUYERS)
    for (let i = 1; i <= b.people; i++) {
      const c = {
        email: buyerEmail(b.unit, i),
        name: `Buyer ${b.unit} ${i}`,
        audience: 'external',
        unitCode: b.unit,
        language: i % 2 === 0 ? 'it' : 'en',
      };
      if (i % 2 === 1) await admin.expect(201, admin.post('/api/contacts', { json: c }));
      else buyerCsv.push(`${c.email},${c.name},external,${c.unitCode},${c.language}`);
    }
  await admin.post('/api/contacts/import', { csv: buyerCsv.join('\n') + '\n' });
  await admin.post('/api/contacts', {
    json: { email: 'bad', name: '', audience: 'nobody', unitCode: 'NOPE' },
    note: 'validation errors',
  });
  const contacts = await admin.get('/api/contacts?pageSize=100', { record: false });
  const contactId = new Map();
  for (const c of contacts.json.items) {
    masker.name(c.id, `<contact:${localPart(c.email)}>`);
    contactId.set(c.email, c.id);
  }

  // Campaigns: an invalid one, a draft, then two waves of an internal and an external campaign
  await admin.post('/api/campaigns', {
    json: { ...internalDefinition('2026-Q1'), headline: 'why', questions: [] },
    note: 'invalid definition',
  });
  const campaigns = {};
  const create = async (key, definition) => {
    const res = await admin.expect(201, admin.post('/api/campaigns', { json: definition }));
    masker.name(res.json.id, `<campaign:${key}>`);
    campaigns[key] = res.json.id;
    await sleep(20); // distinct creation times: lists order campaigns by creation time
  };
  await create('draft', { ...internalDefinition('2026-Q3'), name: 'Internal pulse (draft)' });

  const tokens = {}; // campaign key → email → token
  const runWave = async (wave, w) => {
    const ik = `int-q${w + 1}`;
    const ek = `ext-q${w + 1}`;
    await create(ik, internalDefinition(wave));
    await create(ek, externalDefinition(wave));
    for (const key of [ik, ek]) {
      await admin.expect(200, admin.post(`/api/campaigns/${campaigns[key]}/launch`));
    }
    await admin.post(`/api/campaigns/${campaigns[ik]}/launch`, { note: 'launch twice' });
    // Invitations (after launch, so every mail is queued in the same request): internal by
    // unit codes, in two requests; external all at once.
    const invite = async (key, body) => {
      const res = await admin.expect(
        201,
        admin.post(`/api/campaigns/${campaigns[key]}/invitations`, { json: body }),
      );
      tokens[key] ??= {};
      for (const inv of res.json.invitations) {
        const tok = inv.url.slice(inv.url.lastIndexOf('/') + 1);
        tokens[key][inv.email] = tok;
        masker.name(tok, `<survey-token:${localPart(inv.email)}@${key}>`);
      }
      return res;
    };
    await invite(ik, { unitCodes: ['B-MI', 'B-TO', 'B-NA'] });
    await sleep(20);
    await invite(ik, { all: true });
    await sleep(20);
    await invite(ek, { all: true });
    await sleep(20);
    await invite(ek, { unitCodes: ['B-MI'] }); // all skipped: already invited
    await admin.post(`/api/campaigns/${campaigns[ik]}/invitations`, {
      json: { unitCodes: ['NOPE'] },
      note: 'unknown unit',
    });

    // Answers: internal staff, every third through the HTML form, the rest through the JSON API
    const rnd = generator(20260101 + w);
    let first = true;
    let firstForm = true;
    for (const s of STAFF) {
      for (let i = 1; i <= s.answers[w]; i++) {
        const email = internalEmail(s.unit, i);
        const tok = tokens[ik][email];
        const answers = internalAnswers(rnd, s.quality[w], i);
        if (first) {
          await anon.post(`/api/s/${tok}`, {
            json: { answers: { ...answers, sat: 9 } },
            note: 'out of range',
          });
          await anon.post(`/api/s/${tok}`, {
            json: { answers: { ...answers, nope: 1 } },
            note: 'unknown key',
          });
        }
        if (i % 3 === 0) {
          const respondent = new Client(base, recorder, 'respondent');
          const page = await respondent.expect(200, respondent.get(`/s/${tok}`));
          if (firstForm) {
            firstForm = false;
            await respondent.post(`/s/${tok}`, {
              form: formFields(csrfOf(page.text), { why: 'kept' }),
              note: 'missing required answers',
            });
          }
          await respondent.expect(
            303,
            respondent.post(`/s/${tok}`, { form: formFields(csrfOf(page.text), answers) }),
          );
          await respondent.get(`/s/${tok}`, { note: 'answered' });
        } else {
          if (first) await anon.get(`/s/${tok}?lang=it`);
          await anon.expect(201, anon.post(`/api/s/${tok}`, { json: { answers } }));
        }
        if (first) await anon.post(`/api/s/${tok}`, { json: { answers }, note: 'answered' });
        first = false;
      }
    }
    // External buyers: every second through the form
    for (const b of BUYERS) {
      for (let i = 1; i <= b.answers[w]; i++) {
        const email = buyerEmail(b.unit, i);
        const tok = tokens[ek][email];
        if (!tok) continue; // opted out or erased before this wave
        const answers = externalAnswers(rnd, b.base[w], i);
        if (i % 2 === 0) {
          const respondent = new Client(base, recorder, 'respondent');
          const page = await respondent.expect(200, respondent.get(`/s/${tok}`));
          await respondent.expect(
            303,
            respondent.post(`/s/${tok}`, { form: formFields(csrfOf(page.text), answers) }),
          );
        } else {
          await anon.expect(201, anon.post(`/api/s/${tok}`, { json: { answers } }));
        }
      }
    }
    await admin.post(`/api/campaigns/${campaigns[ik]}/reminders`);
    await admin.post(`/api/campaigns/${campaigns[ek]}/reminders`);
    return { ik, ek };
  };

  const q1 = await runWave('2026-Q1', 0);

  // Opt-out of one buyer through the one-click link of their invitation mail (admin outbox page)
  const adminPages = new Client(base, recorder, 'admin-session');
  await signIn(adminPages, ADMIN);
  const optOutEmail = buyerEmail('B-BA', 3);
  const outboxPage = await adminPages.get(
    `/admin/outbox?campaignId=${campaigns[q1.ek]}&pageSize=200`,
    { record: false },
  );
  const row = outboxPage.text.split(optOutEmail)[1] ?? '';
  const unsub = /\/unsubscribe\/([A-Za-z0-9_-]{43})/.exec(row);
  if (!unsub) throw new Error('no unsubscribe link for the opt-out buyer on /admin/outbox');
  masker.name(unsub[1], `<unsubscribe-token:${localPart(optOutEmail)}>`); // if not a survey token
  await anon.get(`/unsubscribe/${unsub[1]}`);
  await anon.get(`/unsubscribe/${unsub[1]}?lang=it`);
  await anon.post(`/api/unsubscribe/${unsub[1]}`, { json: {} });
  await anon.get(`/unsubscribe/${unsub[1]}`, { note: 'opted out' });
  // Erasure of another buyer (answers stay, unlinked)
  await admin.send('DELETE', `/api/contacts/${contactId.get(buyerEmail('B-MI', 5))}`);

  // Close wave 1; an unanswered link now says "closed"
  for (const key of [q1.ik, q1.ek])
    await admin.expect(200, admin.post(`/api/campaigns/${campaigns[key]}/close`));
  await admin.post(`/api/campaigns/${campaigns[q1.ik]}/close`, { note: 'close twice' });
  const unanswered = tokens[q1.ik][internalEmail('B-RM', 4)];
  await anon.get(`/s/${unanswered}`, { note: 'closed campaign' });
  await anon.post(`/api/s/${unanswered}`, { json: { answers: { sat: 3 } }, note: 'closed' });

  const q2 = await runWave('2026-Q2', 1);
  for (const key of [q2.ik, q2.ek])
    await admin.expect(200, admin.post(`/api/campaigns/${campaigns[key]}/close`));

  return { admin, anon, analyst, adminPages, campaigns, contactId, q1, q2, unsub: unsub[1] };
}

async function reads(base, recorder, ctx) {
  const { admin, anon, analyst, adminPages, campaigns, contactId, q1, q2 } = ctx;
  const id = (key) => campaigns[key];
  const i1 = id(q1.ik);
  const e1 = id(q1.ek);
  const i2 = id(q2.ik);
  const e2 = id(q2.ek);
  const pair = `internal=${i1}&external=${e1}`;
  const pair2 = `internal=${i2}&external=${e2}`;

  // ---- JSON API as admin
  const api = [
    '/health',
    '/api/users',
    '/api/units',
    '/api/units/B-MI',
    '/api/units/ACME',
    '/api/units/NOPE',
    '/api/contacts',
    '/api/contacts?audience=internal',
    '/api/contacts?audience=external&pageSize=100',
    '/api/contacts?unitCode=B-MI',
    '/api/contacts?unitCode=SOUTH',
    '/api/contacts?page=2&pageSize=7',
    '/api/contacts?audience=nobody',
    `/api/contacts/${contactId.get(internalEmail('B-MI', 1))}`,
    `/api/contacts/${contactId.get(buyerEmail('B-MI', 5))}`,
    `/api/contacts/${contactId.get(buyerEmail('B-BA', 3))}`,
    `/api/contacts/${ZERO_ID}`,
    '/api/campaigns',
    '/api/campaigns?status=closed',
    '/api/campaigns?status=draft',
    '/api/campaigns?audience=external',
    '/api/campaigns?status=nonsense',
    ...Object.keys(campaigns).map((k) => `/api/campaigns/${id(k)}`),
    `/api/campaigns/${ZERO_ID}`,
    // Outbox lists fit in one page: a page boundary inside a group of messages queued in the
    // same millisecond would cut it at a random place (they are ordered by random id).
    `/api/outbox?campaignId=${e2}`,
    '/api/outbox?pageSize=200',
    `/api/outbox?campaignId=${e1}&pageSize=200`,
    `/api/outbox?campaignId=${i2}&status=queued&pageSize=200`,
    '/api/outbox?status=cancelled&pageSize=200',
    '/api/outbox?status=sent',
    '/api/outbox?status=cancelled&page=2&pageSize=200',
    '/api/outbox?pageSize=1000',
    // Reports
    ...[i1, e1, i2, e2, id('draft')].map((c) => `/api/campaigns/${c}/report`),
    `/api/campaigns/${i1}/report?unitCode=NORTH`,
    `/api/campaigns/${i1}/report?unitCode=SOUTH`,
    `/api/campaigns/${i1}/report?unitCode=B-MI`,
    `/api/campaigns/${i1}/report?unitCode=B-RM`,
    `/api/campaigns/${i1}/report?unitCode=IT`,
    `/api/campaigns/${i2}/report?unitCode=SOUTH`,
    `/api/campaigns/${e1}/report?unitCode=B-TO`,
    `/api/campaigns/${e1}/report?unitCode=NOPE`,
    `/api/campaigns/${ZERO_ID}/report`,
    ...[i1, e1, i2, e2].map((c) => `/api/campaigns/${c}/responses.csv`),
    `/api/campaigns/${ZERO_ID}/responses.csv`,
    // Linkage
    `/api/linkage?${pair}`,
    `/api/linkage?${pair2}`,
    `/api/linkage?${pair}&level=0`,
    `/api/linkage?${pair}&level=1`,
    `/api/linkage?${pair}&level=2`,
    `/api/linkage?${pair}&perspective=provider`,
    `/api/linkage?${pair}&perspective=provider&internalQuestion=it_service`,
    `/api/linkage?${pair}&perspective=provider&level=1`,
    `/api/linkage?${pair}&metric=topbox`,
    `/api/linkage?${pair}&metric=nps`,
    `/api/linkage?${pair}&internalMetric=topbox&externalMetric=nps`,
    `/api/linkage?${pair}&internalQuestion=effort&externalMetric=topbox`,
    `/api/linkage?${pair}&internalQuestion=informed`,
    `/api/linkage?${pair}&minResponses=4`,
    `/api/linkage?${pair}&minResponses=1`,
    `/api/linkage?${pair}&lang=it`,
    `/api/linkage?${pair2}&lang=it&level=1&metric=topbox`,
    `/api/linkage?${pair}&internalQuestion=why`,
    `/api/linkage?${pair}&internalQuestion=nope`,
    `/api/linkage?internal=${e1}&external=${i1}`,
    `/api/linkage?internal=${i1}`,
    '/api/linkage',
    `/api/linkage?${pair}&metric=median`,
    `/api/linkage?${pair}&level=-1`,
    '/api/linkage/waves',
    '/api/linkage/waves?lag=1',
    '/api/linkage/waves?lang=it',
    '/api/linkage/waves?metric=topbox',
    '/api/linkage/waves?internalMetric=mean&externalMetric=nps&level=1',
    '/api/linkage/waves?perspective=provider&internalQuestion=it_service',
    `/api/linkage/waves?internal=${i1},${i2}&external=${e1},${e2}`,
    `/api/linkage/waves?internal=${i2},${i1}&external=${e2},${e1}&lag=1`,
    '/api/linkage/waves?internalPrefix=Internal%20service&externalPrefix=Customer',
    '/api/linkage/waves?minResponses=4',
    '/api/linkage/waves?lag=99',
    `/api/linkage/drivers?${pair}`,
    `/api/linkage/drivers?${pair2}`,
    `/api/linkage/drivers?${pair}&metric=topbox`,
    `/api/linkage/drivers?${pair}&externalMetric=nps&lang=it`,
    `/api/linkage/drivers?${pair}&externalQuestion=nps&level=1`,
    `/api/linkage/drivers?${pair}&minResponses=4`,
    `/api/linkage/drivers?internal=${i1}`,
    `/api/linkage/methods?${pair}`,
    `/api/linkage/methods?${pair}&externalMetric=nps&level=1`,
    `/api/campaigns/${i1}/service-map`,
    `/api/campaigns/${i2}/service-map`,
    `/api/campaigns/${i1}/service-map?level=0`,
    `/api/campaigns/${i1}/service-map?level=1`,
    `/api/campaigns/${e1}/service-map`,
    `/api/campaigns/${ZERO_ID}/service-map`,
    `/api/campaigns/${i1}/service-map?level=x`,
    '/api/nope',
    '/api/docs/openapi.json',
  ];
  for (const path of api) await admin.get(path);

  // Accept-Language picks the summary language
  admin.acceptLanguage = 'it-IT,it;q=0.9,en;q=0.5';
  await admin.get(`/api/linkage?${pair}`, { note: 'Accept-Language: it' });
  await admin.get(`/api/linkage/drivers?${pair}`, { note: 'Accept-Language: it' });
  admin.acceptLanguage = undefined;

  // ---- As an analyst: reports yes, admin things no
  for (const path of [
    '/api/campaigns',
    `/api/campaigns/${i1}/report`,
    `/api/campaigns/${i1}/responses.csv`,
    `/api/campaigns/${e1}/responses.csv`,
    `/api/linkage?${pair}`,
    '/api/outbox',
    '/api/units',
    '/api/users',
  ])
    await analyst.get(path);

  // ---- Pages as an admin (session)
  const pages = [
    '/',
    '/login',
    '/admin',
    '/admin/units',
    '/admin/contacts',
    '/admin/contacts?audience=external',
    '/admin/contacts?audience=internal&unitCode=B-MI',
    '/admin/contacts?unitCode=SOUTH',
    '/admin/contacts?page=2',
    '/admin/contacts?audience=nonsense&page=x',
    `/admin/contacts/${contactId.get(internalEmail('B-TO', 2))}/erase`,
    `/admin/contacts/${ZERO_ID}/erase`,
    '/admin/campaigns',
    '/admin/campaigns/new',
    ...Object.keys(campaigns).map((k) => `/admin/campaigns/${id(k)}`),
    `/admin/campaigns/${i1}?done=created`,
    `/admin/campaigns/${i1}?done=launched`,
    `/admin/campaigns/${i1}?invited=3&skipped=2%20already%20invited`,
    `/admin/campaigns/${i1}?reminded=4`,
    `/admin/campaigns/${i1}?inviteError=Unknown%20unit`,
    `/admin/campaigns/${ZERO_ID}`,
    `/admin/outbox?campaignId=${e2}`,
    '/admin/outbox?pageSize=200',
    `/admin/outbox?campaignId=${e1}&pageSize=200`,
    `/admin/outbox?campaignId=${i1}&status=queued&pageSize=200`,
    '/admin/outbox?status=cancelled&pageSize=200',
    '/admin/outbox?status=bogus',
    '/admin/users',
    '/admin/users?created=analyst%40specchio.test',
    '/reports',
    '/reports?lang=it',
    ...[i1, e1, i2, e2, id('draft')].map((c) => `/reports/campaigns/${c}`),
    `/reports/campaigns/${i1}?lang=it`,
    `/reports/campaigns/${e1}?lang=it`,
    `/reports/campaigns/${ZERO_ID}`,
    `/reports/campaigns/${i1}/service-map`,
    `/reports/campaigns/${i1}/service-map?lang=it`,
    `/reports/campaigns/${i2}/service-map`,
    `/reports/campaigns/${e1}/service-map`,
    `/reports/linkage?${pair}`,
    `/reports/linkage?${pair2}`,
    `/reports/linkage?${pair}&lang=it`,
    `/reports/linkage?${pair}&level=1`,
    `/reports/linkage?${pair}&level=0`,
    `/reports/linkage?${pair}&internalMetric=topbox&externalMetric=nps&level=1&lang=it`,
    `/reports/linkage?${pair}&perspective=provider&internalQuestion=it_service`,
    `/reports/linkage?${pair}&metric=topbox&minResponses=4`,
    `/reports/linkage?${pair}&internalQuestion=&externalQuestion=&metric=`,
    `/reports/linkage?${pair}&internalQuestion=nope`,
    '/reports/linkage',
    `/reports/linkage?internal=${i1}`,
    '/reports/linkage/waves',
    '/reports/linkage/waves?lag=1&lang=it',
    '/reports/linkage/waves?metric=nps',
    `/reports/linkage/waves?internal=${i1}&external=${e1}`,
    `/reports/linkage/drivers?${pair}`,
    `/reports/linkage/drivers?${pair2}&lang=it`,
    `/reports/linkage/drivers?${pair}&metric=topbox`,
    `/reports/linkage/drivers?${pair}&externalQuestion=nps&metric=nps`,
    '/reports/linkage/drivers',
    `/reports/linkage/methods?${pair}`,
    `/reports/linkage/methods?${pair}&lang=it&minResponses=4`,
    `/reports/linkage/methods.csv?${pair}`,
    '/nope',
    '/static/css/app.css',
    '/static/nope.css',
    '/api/docs',
  ];
  for (const path of pages) await adminPages.get(path);

  // ---- Pages as an analyst (role-aware navigation; admin pages refused)
  const analystPages = new Client(base, recorder, 'analyst-session');
  await signIn(analystPages, ANALYST);
  for (const path of [
    '/',
    '/admin',
    '/admin/campaigns',
    '/admin/outbox',
    '/reports',
    `/reports/campaigns/${i1}`,
    `/reports/linkage?${pair}`,
    '/reports/linkage/waves',
    `/reports/linkage/drivers?${pair}`,
    `/reports/campaigns/${i1}/service-map`,
  ])
    await analystPages.get(path);

  // ---- Signed out: redirects to the login page, public pages, error pages
  for (const path of [
    '/',
    '/login',
    '/login?next=%2Freports',
    '/logout',
    '/setup',
    '/admin',
    '/admin/units',
    `/reports/linkage?${pair}`,
    '/s/thanks',
    '/s/thanks?lang=it',
    '/unsubscribe/done',
    '/unsubscribe/done?lang=it',
    `/s/${UNKNOWN_TOKEN}`,
    `/s/${UNKNOWN_TOKEN}?lang=it`,
    '/s/short',
    `/unsubscribe/${UNKNOWN_TOKEN}`,
    `/unsubscribe/${UNKNOWN_TOKEN}?lang=it`,
    '/api/campaigns',
  ])
    await anon.get(path);
  await anon.post(`/api/s/${UNKNOWN_TOKEN}`, { json: { answers: { sat: 3 } } });
  await anon.post('/login', {
    form: { email: ADMIN.email, password: 'x' },
    note: 'no CSRF token',
  });
  const signOut = new Client(base, recorder, 'anonymous-form');
  const login = await signOut.get('/login', { record: false });
  await signOut.post('/login', {
    form: { _csrf: csrfOf(login.text), email: ADMIN.email, password: 'wrong password!' },
    note: 'bad credentials',
  });

  // Sign out of the admin session; its pages then redirect to the login page
  const bye = await adminPages.get('/logout', { record: false });
  await adminPages.post('/logout', { form: { _csrf: csrfOf(bye.text) } });
  await adminPages.get('/admin', { note: 'after sign-out' });
}

// ------------------------------------------------------------------------------------------------
// Snapshot and diff

async function snapshot(checkoutDir, outFile) {
  const checkout = resolve(checkoutDir);
  const dir = mkdtempSync(join(tmpdir(), 'specchio-snapshot-'));
  const masker = new Masker();
  const recorder = new Recorder(masker);
  let app;
  try {
    app = await startApp(checkout, dir);
    const ctx = await scenario(app.base, recorder);
    await reads(app.base, recorder, ctx);
  } catch (err) {
    if (app) console.error(readFileSync(app.log, 'utf8').slice(-4000));
    throw err;
  } finally {
    if (app) await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const entries = recorder.entries();
  writeFileSync(outFile, JSON.stringify(entries, null, 1) + '\n');
  const byStatus = {};
  for (const e of entries) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
  console.log(
    `${entries.length} responses written to ${outFile} (status counts ${JSON.stringify(byStatus)})`,
  );
}

const requestKey = (e) =>
  `${e.request.method} ${e.request.path} [${e.request.as}]${e.request.note ? ` (${e.request.note})` : ''}`;

/** Lines for the diff: JSON pretty-printed, markup split at tag boundaries. */
function diffLines(entry) {
  if (/json/.test(entry.contentType)) {
    try {
      return JSON.stringify(JSON.parse(entry.body), null, 2).split('\n');
    } catch {
      // fall through
    }
  }
  if (/html|svg|xml/.test(entry.contentType)) return entry.body.replace(/></g, '>\n<').split('\n');
  return entry.body.split('\n');
}

/** A short unified diff (LCS on the part between the common prefix and suffix). */
function unifiedDiff(a, b, context = 3, maxLines = 80) {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (
    suf < a.length - pre &&
    suf < b.length - pre &&
    a[a.length - 1 - suf] === b[b.length - 1 - suf]
  )
    suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  let ops = [];
  if (am.length * bm.length > 4_000_000) {
    ops = [...am.map((l) => ['-', l]), ...bm.map((l) => ['+', l])];
  } else {
    const n = am.length;
    const m = bm.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i][j] =
          am[i] === bm[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        ops.push([' ', am[i]]);
        i++;
        j++;
      } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        ops.push(['+', bm[j++]]);
      } else {
        ops.push(['-', am[i++]]);
      }
    }
  }
  const all = [
    ...a.slice(Math.max(0, pre - context), pre).map((l) => [' ', l]),
    ...ops,
    ...a.slice(a.length - suf, a.length - suf + context).map((l) => [' ', l]),
  ];
  // Drop long runs of unchanged lines inside the middle part.
  const out = [];
  for (let k = 0; k < all.length; k++) {
    const [op] = all[k];
    if (op !== ' ') {
      out.push(all[k]);
      continue;
    }
    const near = all.slice(Math.max(0, k - context), k + context + 1).some(([o]) => o !== ' ');
    if (near) out.push(all[k]);
    else if (out.at(-1)?.[0] !== '…') out.push(['…', '']);
  }
  const text = out.map(([op, l]) =>
    op === '…' ? '  …' : `${op} ${l.length > 300 ? l.slice(0, 300) + '…' : l}`,
  );
  return text.length > maxLines
    ? [...text.slice(0, maxLines), `  … ${text.length - maxLines} more diff lines`]
    : text;
}

function diff(fileA, fileB) {
  const a = JSON.parse(readFileSync(fileA, 'utf8'));
  const b = JSON.parse(readFileSync(fileB, 'utf8'));
  const index = (entries) => {
    const seen = new Map();
    return entries.map((e) => {
      const k = requestKey(e);
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      return [n > 1 ? `${k} #${n}` : k, e];
    });
  };
  const ia = index(a);
  const mb = new Map(index(b));
  const ka = new Set(ia.map(([k]) => k));
  let differing = 0;
  for (const [k, ea] of ia) {
    const eb = mb.get(k);
    if (!eb) {
      differing++;
      console.log(`\n✗ ${k}: only in ${fileA}`);
      continue;
    }
    const problems = [];
    if (ea.status !== eb.status) problems.push(`status ${ea.status} → ${eb.status}`);
    if (ea.contentType !== eb.contentType)
      problems.push(`content-type ${ea.contentType} → ${eb.contentType}`);
    if (JSON.stringify(ea.headers) !== JSON.stringify(eb.headers))
      problems.push(`headers ${JSON.stringify(ea.headers)} → ${JSON.stringify(eb.headers)}`);
    if (ea.sha256 !== eb.sha256) problems.push('body differs');
    if (!problems.length) continue;
    differing++;
    console.log(`\n✗ ${k}: ${problems.join('; ')}`);
    if (ea.sha256 !== eb.sha256) {
      console.log(`--- ${fileA}\n+++ ${fileB}`);
      for (const line of unifiedDiff(diffLines(ea), diffLines(eb))) console.log(line);
    }
  }
  for (const [k] of mb) {
    if (!ka.has(k)) {
      differing++;
      console.log(`\n✗ ${k}: only in ${fileB}`);
    }
  }
  console.log(
    differing
      ? `\n${differing} of ${Math.max(a.length, b.length)} entries differ.`
      : `All ${a.length} entries are identical.`,
  );
  return differing ? 1 : 0;
}

const args = process.argv.slice(2);
if (args[0] === '--diff' && args.length === 3) {
  process.exitCode = diff(args[1], args[2]);
} else if (args.length === 2 && !args[0].startsWith('-')) {
  snapshot(args[0], args[1]).catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 2;
  });
} else {
  console.error(
    'usage: node scripts/response-snapshot.mjs <checkoutDir> <outFile.json>\n' +
      '       node scripts/response-snapshot.mjs --diff <a.json> <b.json>',
  );
  process.exitCode = 2;
}
