// npm run bench:exports — the raw response export (CSV and XLSX) of 1M responses, downloaded through
// the signed-in browser route (`/reports/campaigns/:id/responses.csv|.xlsx`) by a client that reads
// at 1 MB/s, against the real app (dist/), on SQLite (a temp file) and PostgreSQL (a fresh database,
// dropped at the end). The responses are generated inside the database (recursive CTE /
// generate_series): one closed external campaign, identified (an e-mail column, empty: no
// invitations), 50 units, an NPS and a CSAT answer each and a short comment on one in three.
// Prints, per database and format: the app's idle RSS, its peak RSS during the download (sampled
// every 100 ms, and VmHWM), peak − idle against the aim (≤ 100 MiB), time, bytes, rows.
//
// Env: BENCH_DB=sqlite|postgres|both (default sqlite), BENCH_ROWS=1000000, BENCH_RATE=1000000
// (bytes/s the client reads), BENCH_FORMATS=csv,xlsx, BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test,
// BENCH_TIMEOUT_MIN=40 (watchdog for the whole run), BENCH_TRACE=1 (the RSS every 5 s),
// BENCH_APP_NODE_OPTIONS (NODE_OPTIONS of the app server only, e.g. --max-old-space-size=100).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { appNodeArgs } from './app-node-args.mjs';

const DB_CHOICE = process.env.BENCH_DB ?? 'sqlite';
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 1_000_000);
const FORMATS = (process.env.BENCH_FORMATS ?? 'csv,xlsx').split(',');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TIMEOUT_MIN = Number(process.env.BENCH_TIMEOUT_MIN ?? 40);
/** NODE_OPTIONS of the app server only (e.g. --max-old-space-size=100), printed with the results. */
const APP_NODE_OPTIONS = process.env.BENCH_APP_NODE_OPTIONS ?? '';
/** Node flags of the app server: those of `npm start`, or BENCH_APP_NODE_ARGS (bench/app-node-args.mjs). */
const APP_NODE_ARGS = appNodeArgs();
const TRACE = process.env.BENCH_TRACE === '1'; // print the app's RSS every 5 s of a download
const AIM_MIB = 100;
const UNITS = 50;
const ADMIN_EMAIL = 'bench-admin@specchio.test';
const ADMIN_PASSWORD = randomBytes(18).toString('base64url');
const EPOCH = 1772323200; // 2026-03-01T00:00:00Z

if (!['sqlite', 'postgres', 'both'].includes(DB_CHOICE))
  throw new Error('BENCH_DB must be sqlite, postgres or both');
if (!FORMATS.every((f) => f === 'csv' || f === 'xlsx'))
  throw new Error('BENCH_FORMATS: csv and/or xlsx');

const started = performance.now();
const log = (msg) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`);
const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

const cleanups = [];
async function cleanupAll() {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (err) {
      console.error('cleanup failed:', err instanceof Error ? err.message : err);
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => void cleanupAll().finally(() => process.exit(130)));
const watchdog = setTimeout(() => {
  console.error(`bench exceeded BENCH_TIMEOUT_MIN=${TIMEOUT_MIN} minutes: aborting`);
  void cleanupAll().finally(() => process.exit(2));
}, TIMEOUT_MIN * 60_000);
watchdog.unref();

function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`)),
    );
  });
}

/** VmRSS (current) and VmHWM (peak) of a process, in MiB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

function company() {
  const now = new Date().toISOString();
  const units = Array.from({ length: UNITS }, (_, k) => ({
    k,
    id: randomUUID(),
    code: `U${String(k + 1).padStart(2, '0')}`,
    name: `Unit ${k + 1}`,
  }));
  return { now, units, campaign: { id: randomUUID(), name: 'Bench export survey' } };
}

const QUESTIONS = [
  ['nps', 'nps', 'Would you recommend us?'],
  ['sat', 'csat', 'How satisfied are you?'],
  ['why', 'text', 'Why?'],
];

// ---------------------------------------------------------------------------------------------------
// Databases

async function seedCommon(exec, co, bool) {
  for (const u of co.units)
    await exec(
      'INSERT INTO units (id, code, name, parent_id, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?)',
      [u.id, u.code, u.name, co.now, co.now],
    );
  await exec(
    `INSERT INTO campaigns (id, name, audience, wave, anonymous, languages, headline, status, closes_at, created_at, launched_at, closed_at)
     VALUES (?, ?, 'external', '2026-Q1', ?, 'en,it', 'nps', 'closed', NULL, ?, ?, ?)`,
    [co.campaign.id, co.campaign.name, bool(false), co.now, co.now, co.now],
  );
  for (const [i, [key, type, text]] of QUESTIONS.entries())
    await exec(
      'INSERT INTO questions (campaign_id, question_key, position, type, required, multiple, provider_unit_id, text_json, options_json) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL)',
      [co.campaign.id, key, i, type, bool(false), bool(false), JSON.stringify({ en: text })],
    );
}

async function sqliteTarget(co) {
  const dir = mkdtempSync(join(tmpdir(), 'specchio-exports-bench-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'bench.sqlite');
  const url = `sqlite:${file}`;
  await run('node', ['dist/src/cli/main.js', 'migrate'], { DATABASE_URL: url, LOG_LEVEL: 'error' });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  await seedCommon(
    async (sql, args) => db.prepare(sql).run(...args),
    co,
    (b) => (b ? 1 : 0),
  );
  db.exec('CREATE TEMP TABLE bench_units (k INTEGER PRIMARY KEY, id TEXT NOT NULL)');
  const bu = db.prepare('INSERT INTO bench_units (k, id) VALUES (?, ?)');
  for (const u of co.units) bu.run(u.k, u.id);
  const uuidOf = (h) =>
    `substr(${h},1,8)||'-'||substr(${h},9,4)||'-4'||substr(${h},14,3)||'-'||` +
    `substr('89ab',((instr('0123456789abcdef',substr(${h},17,1))-1)%4)+1,1)||substr(${h},18,3)||'-'||substr(${h},21,12)`;
  db.pragma('synchronous = OFF');
  db.transaction(() => {
    db.exec('CREATE TEMP TABLE gen (h TEXT NOT NULL, k INTEGER NOT NULL, lang TEXT, ts TEXT)');
    db.prepare(
      `INSERT INTO gen (h, k, lang, ts)
       WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
       SELECT lower(hex(randomblob(16))), abs(random()) % ${UNITS},
              CASE WHEN abs(random()) % 4 = 0 THEN 'it' ELSE 'en' END,
              strftime('%Y-%m-%dT%H:%M:%fZ', ${EPOCH} + abs(random()) % 2592000, 'unixepoch')
         FROM s`,
    ).run(ROWS);
    db.prepare(
      `INSERT INTO responses (id, campaign_id, unit_id, invitation_id, language, submitted_at)
       SELECT ${uuidOf('g.h')}, ?, u.id, NULL, g.lang, g.ts FROM gen g JOIN bench_units u ON u.k = g.k ORDER BY g.h`,
    ).run(co.campaign.id);
    const answers = (key, value, where = '') =>
      db
        .prepare(
          `INSERT INTO answers (response_id, question_key, seq, campaign_id, num_value, text_value)
           SELECT ${uuidOf('g.h')}, ?, 0, ?, ${value} FROM gen g ${where} ORDER BY g.h`,
        )
        .run(key, co.campaign.id);
    answers('nps', 'abs(random()) % 11, NULL');
    answers('sat', '1 + abs(random()) % 5, NULL');
    answers(
      'why',
      "NULL, 'Service was fine, ticket ' || hex(randomblob(6))",
      "WHERE substr(g.h, 1, 1) < '6'",
    );
    db.exec('DROP TABLE gen');
  })();
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { kind: 'sqlite', url };
}

async function postgresTarget(co) {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    log(
      `PostgreSQL unreachable at ${PG_URL} (${err instanceof Error ? err.message : err}): skipped`,
    );
    return null;
  }
  const name = `specchio_exports_bench_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  cleanups.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    log(`dropped database ${name}`);
  });
  const target = new URL(PG_URL);
  target.pathname = `/${name}`;
  const url = target.toString();
  await run('node', ['dist/src/cli/main.js', 'migrate'], { DATABASE_URL: url, LOG_LEVEL: 'error' });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  let n = 0;
  const numbered = (sql) => sql.replace(/\?/g, () => `$${++n}`);
  await seedCommon(
    async (sql, args) => {
      n = 0;
      await db.query(numbered(sql), args);
    },
    co,
    (b) => b,
  );
  await db.query('BEGIN');
  await db.query('SET LOCAL synchronous_commit = off');
  await db.query(
    `CREATE TEMP TABLE gen ON COMMIT DROP AS
     SELECT gen_random_uuid()::text AS id, floor(random() * ${UNITS})::int AS k,
            CASE WHEN random() < 0.25 THEN 'it' ELSE 'en' END AS lang,
            to_char(to_timestamp(${EPOCH} + floor(random() * 2592000)) AT TIME ZONE 'UTC',
                    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts
       FROM generate_series(1, $1::int)`,
    [ROWS],
  );
  await db.query(
    'CREATE TEMP TABLE bench_units (k int PRIMARY KEY, id text NOT NULL) ON COMMIT DROP',
  );
  await db.query('INSERT INTO bench_units SELECT * FROM unnest($1::int[], $2::text[])', [
    co.units.map((u) => u.k),
    co.units.map((u) => u.id),
  ]);
  await db.query(
    `INSERT INTO responses (id, campaign_id, unit_id, invitation_id, language, submitted_at)
     SELECT g.id, $1, u.id, NULL, g.lang, g.ts FROM gen g JOIN bench_units u ON u.k = g.k ORDER BY g.id`,
    [co.campaign.id],
  );
  const answers = (key, value, where = '') =>
    db.query(
      `INSERT INTO answers (response_id, question_key, seq, campaign_id, num_value, text_value)
       SELECT g.id, $1, 0, $2, ${value} FROM gen g ${where} ORDER BY g.id`,
      [key, co.campaign.id],
    );
  await answers('nps', 'floor(random() * 11)::int, NULL');
  await answers('sat', '1 + floor(random() * 5)::int, NULL');
  await answers(
    'why',
    "NULL, 'Service was fine, ticket ' || substr(md5(g.id), 1, 12)",
    "WHERE substr(g.id, 1, 1) < '6'",
  );
  await db.query('COMMIT');
  await db.query('VACUUM ANALYZE responses, answers');
  await db.end();
  return { kind: 'postgres', url };
}

// ---------------------------------------------------------------------------------------------------
// The app and the slow reader

async function startApp(url) {
  const port = 4900 + Math.floor(Math.random() * 800);
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('node', [...APP_NODE_ARGS, 'dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_OPTIONS: APP_NODE_OPTIONS,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      PUBLIC_URL: base,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = false;
  const exit = new Promise((r) => child.once('exit', (code) => ((exited = true), r(code))));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(t);
  };
  cleanups.push(stop);
  for (let i = 0; ; i++) {
    if (exited) throw new Error('the app exited during start');
    if (i > 300) throw new Error(`${base}/health did not come up`);
    try {
      if ((await fetch(`${base}/health`)).status < 500) break;
    } catch {}
    await sleep(100);
  }
  return { pid: child.pid, base, stop, cookie: await signIn(base) };
}

/** Signs in through the form (as a browser does); returns the Cookie header. */
async function signIn(base) {
  const jar = new Map();
  const keep = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await fetch(`${base}/login`);
  keep(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())[1];
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ _csrf: csrf, email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (res.status !== 303) throw new Error(`sign-in → ${res.status}`);
  keep(res);
  return header();
}

/**
 * Downloads `path` reading at most RATE bytes/s (pausing the response between chunks), while
 * sampling the app's RSS every 100 ms. Counts bytes and, for CSV, lines.
 */
function slowDownload(app, path) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let bytes = 0;
    let lines = 0;
    let peak = 0;
    let peakAt = 0; // bytes received when the sampled peak was seen
    let ticks = 0;
    const sampler = setInterval(() => {
      try {
        const { rss } = memory(app.pid);
        if (rss > peak) [peak, peakAt] = [rss, bytes];
        if (TRACE && (++ticks % 50 === 0 || ticks <= 30))
          log(`  RSS ${fmt(rss)} MiB after ${fmt(bytes / 1e6)} MB`);
      } catch {}
    }, 100);
    const req = http.get(`${app.base}${path}`, { headers: { cookie: app.cookie } }, (res) => {
      if (res.statusCode !== 200) {
        clearInterval(sampler);
        reject(new Error(`${path} → ${res.statusCode}`));
        res.resume();
        return;
      }
      res.on('data', (chunk) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        // Ahead of RATE: stop reading until the schedule catches up (TCP backpressure to the app).
        const due = (bytes / RATE) * 1000 - (performance.now() - t0);
        if (due > 5) {
          res.pause();
          setTimeout(() => res.resume(), due);
        }
      });
      res.on('end', () => {
        clearInterval(sampler);
        resolve({
          ms: performance.now() - t0,
          bytes,
          lines,
          peak,
          peakAt,
          type: res.headers['content-type'],
        });
      });
      res.on('error', (err) => {
        clearInterval(sampler);
        reject(err);
      });
    });
    req.on('error', (err) => {
      clearInterval(sampler);
      reject(err);
    });
  });
}

async function benchDatabase(makeTarget) {
  const co = company();
  const t0 = performance.now();
  const target = await makeTarget(co);
  if (!target) return [];
  log(`${target.kind}: ${ROWS} responses generated in ${fmt((performance.now() - t0) / 1000)} s`);
  const rows = [];
  for (const format of FORMATS) {
    // A fresh server per format: its idle RSS and VmHWM belong to this download alone.
    const app = await startApp(target.url);
    await sleep(1000);
    const { rss: idle, hwm: startHwm } = memory(app.pid);
    log(
      `${target.kind} ${format}: app idle RSS ${fmt(idle)} MiB (peak so far ${fmt(startHwm)}); ` +
        `downloading at ${RATE} B/s…`,
    );
    const res = await slowDownload(app, `/reports/campaigns/${co.campaign.id}/responses.${format}`);
    const hwm = memory(app.pid).hwm;
    await app.stop();
    const peak = Math.max(res.peak, hwm);
    log(
      `${target.kind} ${format}: sampled peak ${fmt(res.peak)} MiB after ${fmt(res.peakAt / 1e6)} MB ` +
        `of ${fmt(res.bytes / 1e6)}; VmHWM ${fmt(hwm)} MiB`,
    );
    const row = {
      db: target.kind,
      format,
      'idle RSS MiB': fmt(idle),
      'peak RSS MiB': fmt(peak),
      'peak − idle MiB': fmt(peak - idle),
      aim: peak - idle <= AIM_MIB ? `≤ ${AIM_MIB} ✓` : `> ${AIM_MIB} ✗`,
      s: fmt(res.ms / 1000),
      MB: fmt(res.bytes / 1e6, 1),
      'MB/s': fmt(res.bytes / 1e6 / (res.ms / 1000), 2),
      rows: format === 'csv' ? res.lines - 1 : '-',
    };
    log(`${target.kind} ${format}: ${JSON.stringify(row)}`);
    rows.push(row);
  }
  return rows;
}

try {
  const results = [];
  if (DB_CHOICE !== 'postgres') results.push(...(await benchDatabase(sqliteTarget)));
  if (DB_CHOICE !== 'sqlite') results.push(...(await benchDatabase(postgresTarget)));
  console.log(
    `\nRaw response export, ${ROWS} rows, client reading at ${RATE} B/s, app NODE_OPTIONS=` +
      `"${APP_NODE_OPTIONS}", node flags "${APP_NODE_ARGS.join(' ')}":`,
  );
  console.table(results);
  if (results.some((r) => r.aim.includes('✗'))) process.exitCode = 1;
} finally {
  await cleanupAll();
}
