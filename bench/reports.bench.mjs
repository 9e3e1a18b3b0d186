// npm run bench:reports — the linkage report and the CSV export at 10k and 1M responses, against the real
// app (dist/), on SQLite (a temp file) and PostgreSQL (a fresh database, dropped at the end).
// A synthetic company (1 root, 10 regions, 489 branches; each branch has a latent quality, so unit means
// differ and correlate) is generated inside the database (recursive CTE / generate_series). In the same
// run, as the baseline: the raw SQL GROUP BY computing the same per-unit means for both sides, executed
// directly with better-sqlite3 / pg. Prints app ms, baseline ms, their ratio (aim ≤ 2 at 1M), the
// export's time, bytes and rows, and the app server's RSS (idle, after linkage, peak around the export).
//
// Env: BENCH_DB=sqlite|postgres|both (default both), BENCH_SIZES=10000,1000000 (total responses per
// step, growing), BENCH_RUNS=5, BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test (server on which a
// throw-away database is created), BENCH_TIMEOUT_MIN=15 (watchdog for the whole run),
// BENCH_EXPORT_CAP_S=120 (an export still running then is cut off and reported as incomplete, with its
// rate and a projection: a missed aim, not an error), BENCH_KEEP=1 (keep the databases, to EXPLAIN).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { appNodeArgs } from './app-node-args.mjs';

// The answer counts the app keeps inside the answering transaction; the generator below writes
// answers directly, so each step rebuilds them with the app's own recount (what the migration does).
const { answerCountsRecountSql } = await import(
  new URL('../dist/src/database/answer-counts.js', import.meta.url).href
).catch(() => {
  throw new Error('dist/ is missing: run npm run build first');
});

const DB_CHOICE = process.env.BENCH_DB ?? 'both';
const SIZES = (process.env.BENCH_SIZES ?? '10000,1000000').split(',').map(Number);
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TIMEOUT_MIN = Number(process.env.BENCH_TIMEOUT_MIN ?? 15);
/** Node flags of the app server: those of `npm start`, or BENCH_APP_NODE_ARGS (bench/app-node-args.mjs). */
const APP_NODE_ARGS = appNodeArgs();
const KEEP = process.env.BENCH_KEEP === '1'; // keep the generated databases (for EXPLAIN by hand)
const EXPORT_CAP_S = Number(process.env.BENCH_EXPORT_CAP_S ?? 120);
const INTERNAL_SHARE = 0.4; // 1M = 400k internal + 600k external
const REGIONS = 10;
const BRANCHES = 489;
const ADMIN_EMAIL = 'bench-admin@specchio.test';
const ADMIN_PASSWORD = randomBytes(18).toString('base64url');
const WAVE = '2026-Q1';
const EPOCH = 1772323200; // 2026-03-01T00:00:00Z: responses fall in the 30 days after it
const REQUEST_TIMEOUT_MS = 180_000;

if (!['sqlite', 'postgres', 'both'].includes(DB_CHOICE))
  throw new Error('BENCH_DB must be sqlite, postgres or both');
if (!SIZES.every((n, i) => Number.isInteger(n) && n >= 100 && (i === 0 || n > SIZES[i - 1])))
  throw new Error('BENCH_SIZES must be growing integers ≥ 100');

const started = performance.now();
const log = (msg) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`);
/** The machine's load: medians mean little when other work shares the cores. */
const load = () => `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
const ms = (t0) => performance.now() - t0;
const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

// ---------------------------------------------------------------------------------------------------
// Cleanup (temp files, PG database, app processes) — run on normal exit, on errors and on signals.

const cleanups = [];
let cleaning = null;
function cleanupAll() {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error('cleanup failed:', err instanceof Error ? err.message : err);
      }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`\n${sig}: cleaning up`);
    void cleanupAll().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  console.error(`bench exceeded BENCH_TIMEOUT_MIN=${TIMEOUT_MIN} minutes: aborting`);
  void cleanupAll().finally(() => process.exit(2));
}, TIMEOUT_MIN * 60_000);
watchdog.unref();

// ---------------------------------------------------------------------------------------------------
// Helpers

function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`)),
    );
  });
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { min: s[0], median: at(0.5), p95: at(0.95) };
}

async function timed(fn, runs = RUNS) {
  const w0 = performance.now();
  await fn(); // warm-up: its time is reported as `first` (nothing of this request cached yet)
  const first = ms(w0);
  const samples = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    samples.push(ms(t0));
  }
  return { ...stats(samples), first, last };
}

/** VmRSS (current) and VmHWM (peak) of a process, in MiB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

/** Deterministic PRNG (mulberry32) for the company's latent unit qualities. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The company: units, one closed internal and one closed external campaign of the same wave.
 * Responses go to branches; each branch has a latent quality qi (internal climate) and qe, which is
 * correlated with qi (r ≈ 0.8 at the unit level), so the linkage has a real, non-trivial signal.
 */
function company() {
  const rnd = prng(20260301);
  const now = new Date().toISOString();
  const root = { id: randomUUID(), code: 'HQ', name: 'Head office', parent: null };
  const regions = Array.from({ length: REGIONS }, (_, i) => ({
    id: randomUUID(),
    code: `R${String(i + 1).padStart(2, '0')}`,
    name: `Region ${i + 1}`,
    parent: root.id,
  }));
  const branches = Array.from({ length: BRANCHES }, (_, k) => {
    const qi = rnd() * 2 - 1;
    return {
      k,
      id: randomUUID(),
      code: `B${String(k + 1).padStart(3, '0')}`,
      name: `Branch ${k + 1}`,
      parent: regions[k % REGIONS].id,
      qi,
      qe: 0.75 * qi + 0.5 * (rnd() * 2 - 1),
    };
  });
  const campaign = (audience, name, headline) => ({
    id: randomUUID(),
    name,
    audience,
    headline,
    anonymous: audience === 'internal',
  });
  return {
    now,
    units: [root, ...regions, ...branches],
    branches,
    internal: campaign('internal', 'Bench staff climate', 'sat'),
    external: campaign('external', 'Bench customer survey', 'nps'),
  };
}

/**
 * Numeric answers per campaign: [key, type, text, SQL value expression]. In the expressions `q` is the
 * branch quality column and `N` a noise term (sum of three uniforms − 1.5, sd 0.5), both per dialect.
 */
function questionSpecs(d) {
  const N = `(${d.uniform} + ${d.uniform} + ${d.uniform} - 1.5)`;
  const val = (lo, hi, base, slope, q, noise) =>
    d.clamp(lo, hi, `${base} + ${slope} * u.${q} + ${noise} * ${N}`);
  return {
    internal: [
      ['sat', 'csat', 'How satisfied are you working here?', val(1, 5, 3.4, 1.0, 'qi', 1.8)],
      ['lik', 'likert', 'I have the tools I need.', val(1, 5, 3.2, 0.6, 'qi', 2.0)],
    ],
    external: [
      ['nps', 'nps', 'Would you recommend us?', val(0, 10, 7.2, 2.0, 'qe', 4.5)],
      ['sat', 'csat', 'How satisfied are you with our service?', val(1, 5, 3.8, 0.8, 'qe', 1.8)],
    ],
  };
}

/** The physical limit: reading the aggregate rows one side's figures are computed from. */
const AGGREGATE_SQL = (p1, p2) =>
  `SELECT unit_id, value, n FROM answer_counts
    WHERE campaign_id = ${p1} AND kind = 'num' AND question_key = ${p2}`;

const RECOUNT_SQL = (isSqlite) =>
  `INSERT INTO answer_counts (campaign_id, kind, question_key, unit_id, value, n)
   ${answerCountsRecountSql(isSqlite, '')}`;

const BASELINE_SQL = (p1, p2) =>
  `SELECT r.unit_id, AVG(a.num_value) AS mean, COUNT(*) AS n
     FROM answers a JOIN responses r ON r.id = a.response_id
    WHERE a.campaign_id = ${p1} AND a.question_key = ${p2}
    GROUP BY r.unit_id`;

// ---------------------------------------------------------------------------------------------------
// Database targets: same interface for SQLite and PostgreSQL.

async function sqliteTarget() {
  const dir = mkdtempSync(join(tmpdir(), 'specchio-reports-bench-'));
  cleanups.push(() => (KEEP ? log(`kept ${dir}`) : rmSync(dir, { recursive: true, force: true })));
  const file = join(dir, 'bench.sqlite');
  const url = `sqlite:${file}`;
  await run('node', ['dist/src/cli/main.js', 'migrate'], { DATABASE_URL: url, LOG_LEVEL: 'error' });
  const db = new Database(file);
  cleanups.push(() => db.close());
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const dialect = {
    uniform: '((abs(random()) % 1000000) / 1000000.0)',
    clamp: (lo, hi, x) => `max(${lo}, min(${hi}, CAST(round(${x}) AS INTEGER)))`,
  };
  const specs = questionSpecs(dialect);
  // A v4-shaped uuid from 32 random hex digits h (deterministic in h, so h may be referenced twice).
  const uuidOf = (h) =>
    `substr(${h},1,8)||'-'||substr(${h},9,4)||'-4'||substr(${h},14,3)||'-'||` +
    `substr('89ab',((instr('0123456789abcdef',substr(${h},17,1))-1)%4)+1,1)||substr(${h},18,3)||'-'||substr(${h},21,12)`;
  let sizes = { internal: 0, external: 0 };

  return {
    kind: 'sqlite',
    url,
    sizes: () => sizes,
    dbMiB: async () =>
      ['', '-wal'].reduce((s, x) => s + (existsSync(file + x) ? statSync(file + x).size : 0), 0) /
      1048576,
    async seed(co) {
      db.transaction(() => {
        const unit = db.prepare(
          'INSERT INTO units (id, code, name, parent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        );
        for (const u of co.units) unit.run(u.id, u.code, u.name, u.parent, co.now, co.now);
        const camp = db.prepare(
          `INSERT INTO campaigns (id, name, audience, wave, anonymous, languages, headline, status, closes_at, created_at, launched_at, closed_at)
           VALUES (?, ?, ?, ?, ?, 'en,it', ?, 'closed', NULL, ?, ?, ?)`,
        );
        const q = db.prepare(
          'INSERT INTO questions (campaign_id, question_key, position, type, required, multiple, provider_unit_id, text_json, options_json) VALUES (?, ?, ?, ?, 1, 0, NULL, ?, NULL)',
        );
        for (const side of ['internal', 'external']) {
          const c = co[side];
          camp.run(
            c.id,
            c.name,
            side,
            WAVE,
            c.anonymous ? 1 : 0,
            c.headline,
            co.now,
            co.now,
            co.now,
          );
          specs[side].forEach(([key, type, text], i) =>
            q.run(c.id, key, i, type, JSON.stringify({ en: text, it: text })),
          );
        }
      })();
      db.exec(
        'CREATE TEMP TABLE bench_units (k INTEGER PRIMARY KEY, id TEXT NOT NULL, qi REAL, qe REAL)',
      );
      const bu = db.prepare('INSERT INTO bench_units (k, id, qi, qe) VALUES (?, ?, ?, ?)');
      db.transaction(() => co.branches.forEach((b) => bu.run(b.k, b.id, b.qi, b.qe)))();
    },
    async grow(co, target) {
      db.pragma('synchronous = OFF');
      db.transaction(() => {
        for (const side of ['internal', 'external']) {
          const add = target[side] - sizes[side];
          if (add <= 0) continue;
          db.exec(
            'CREATE TEMP TABLE gen (h TEXT NOT NULL, k INTEGER NOT NULL, lang TEXT NOT NULL, ts TEXT NOT NULL)',
          );
          db.prepare(
            `INSERT INTO gen (h, k, lang, ts)
             WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
             SELECT lower(hex(randomblob(16))), abs(random()) % ${BRANCHES},
                    CASE WHEN abs(random()) % 4 = 0 THEN 'it' ELSE 'en' END,
                    strftime('%Y-%m-%dT%H:%M:%fZ', ${EPOCH} + abs(random()) % 2592000, 'unixepoch')
               FROM s`,
          ).run(add);
          db.prepare(
            `INSERT INTO responses (id, campaign_id, unit_id, invitation_id, language, submitted_at)
             SELECT ${uuidOf('g.h')}, ?, u.id, NULL, g.lang, g.ts
               FROM gen g JOIN bench_units u ON u.k = g.k ORDER BY g.h`,
          ).run(co[side].id);
          for (const [key, , , expr] of specs[side]) {
            db.prepare(
              `INSERT INTO answers (response_id, question_key, seq, campaign_id, num_value, text_value)
               SELECT ${uuidOf('g.h')}, ?, 0, ?, ${expr}, NULL
                 FROM gen g JOIN bench_units u ON u.k = g.k ORDER BY g.h`,
            ).run(key, co[side].id);
          }
          db.exec('DROP TABLE gen');
        }
        db.exec('DELETE FROM answer_counts');
        db.exec(RECOUNT_SQL(true));
      })();
      db.pragma('synchronous = FULL');
      db.pragma('wal_checkpoint(TRUNCATE)');
      sizes = { ...target };
    },
    async baseline(campaignId, key) {
      return db.prepare(BASELINE_SQL('?', '?')).all(campaignId, key);
    },
    async aggregate(campaignId, key) {
      return db.prepare(AGGREGATE_SQL('?', '?')).all(campaignId, key);
    },
    async plan(campaignId, key) {
      return db
        .prepare(`EXPLAIN QUERY PLAN ${BASELINE_SQL('?', '?')}`)
        .all(campaignId, key)
        .map((r) => r.detail);
    },
    async count(sql) {
      return Number(Object.values(db.prepare(sql).get())[0]);
    },
  };
}

async function postgresTarget() {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    log(
      `PostgreSQL unreachable at ${PG_URL} (${err instanceof Error ? err.message : err}): skipping PostgreSQL`,
    );
    return null;
  }
  const name = `specchio_bench_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  cleanups.push(async () => {
    if (KEEP) log(`kept database ${name}`);
    else {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      log(`dropped database ${name}`);
    }
    await admin.end();
  });
  const target = new URL(PG_URL);
  target.pathname = `/${name}`;
  const url = target.toString();
  log(`created database ${name}`);
  await run('node', ['dist/src/cli/main.js', 'migrate'], { DATABASE_URL: url, LOG_LEVEL: 'error' });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  cleanups.push(() => db.end());
  const dialect = {
    uniform: 'random()',
    clamp: (lo, hi, x) => `greatest(${lo}, least(${hi}, round(${x})::int))`,
  };
  const specs = questionSpecs(dialect);
  let sizes = { internal: 0, external: 0 };

  return {
    kind: 'postgres',
    url,
    sizes: () => sizes,
    async seed(co) {
      await db.query('BEGIN');
      for (const u of co.units)
        await db.query(
          'INSERT INTO units (id, code, name, parent_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)',
          [u.id, u.code, u.name, u.parent, co.now],
        );
      for (const side of ['internal', 'external']) {
        const c = co[side];
        await db.query(
          `INSERT INTO campaigns (id, name, audience, wave, anonymous, languages, headline, status, closes_at, created_at, launched_at, closed_at)
           VALUES ($1, $2, $3, $4, $5, 'en,it', $6, 'closed', NULL, $7, $7, $7)`,
          [c.id, c.name, side, WAVE, c.anonymous, c.headline, co.now],
        );
        for (const [i, [key, type, text]] of specs[side].entries())
          await db.query(
            'INSERT INTO questions (campaign_id, question_key, position, type, required, multiple, provider_unit_id, text_json, options_json) VALUES ($1, $2, $3, $4, true, false, NULL, $5, NULL)',
            [c.id, key, i, type, JSON.stringify({ en: text, it: text })],
          );
      }
      await db.query('COMMIT');
      await db.query(
        'CREATE TEMP TABLE bench_units (k int PRIMARY KEY, id text NOT NULL, qi float8, qe float8)',
      );
      await db.query(
        'INSERT INTO bench_units SELECT * FROM unnest($1::int[], $2::text[], $3::float8[], $4::float8[])',
        [
          co.branches.map((b) => b.k),
          co.branches.map((b) => b.id),
          co.branches.map((b) => b.qi),
          co.branches.map((b) => b.qe),
        ],
      );
    },
    async grow(co, target) {
      // Bulk load: skip the per-row foreign-key triggers when allowed (superuser; the rows are valid by
      // construction and checked below) — they would triple the generation time on this machine.
      let fkOff = true;
      try {
        await db.query('SET session_replication_role = replica');
      } catch {
        fkOff = false;
      }
      await db.query('BEGIN');
      await db.query('SET LOCAL synchronous_commit = off');
      await db.query("SET LOCAL work_mem = '256MB'");
      for (const side of ['internal', 'external']) {
        const add = target[side] - sizes[side];
        if (add <= 0) continue;
        await db.query(
          `CREATE TEMP TABLE gen ON COMMIT DROP AS
           SELECT gen_random_uuid()::text AS id, floor(random() * ${BRANCHES})::int AS k,
                  CASE WHEN random() < 0.25 THEN 'it' ELSE 'en' END AS lang,
                  to_char(to_timestamp(${EPOCH} + floor(random() * 2592000)) AT TIME ZONE 'UTC',
                          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts
             FROM generate_series(1, $1::int)`,
          [add],
        );
        await db.query(
          `INSERT INTO responses (id, campaign_id, unit_id, invitation_id, language, submitted_at)
           SELECT g.id, $1, u.id, NULL, g.lang, g.ts FROM gen g JOIN bench_units u ON u.k = g.k
            ORDER BY g.id`,
          [co[side].id],
        );
        for (const [key, , , expr] of specs[side])
          await db.query(
            `INSERT INTO answers (response_id, question_key, seq, campaign_id, num_value, text_value)
             SELECT g.id, $1, 0, $2, ${expr}, NULL FROM gen g JOIN bench_units u ON u.k = g.k
              ORDER BY g.id`,
            [key, co[side].id],
          );
        await db.query('DROP TABLE gen');
      }
      await db.query('DELETE FROM answer_counts');
      await db.query(RECOUNT_SQL(false));
      await db.query('COMMIT');
      if (fkOff) {
        await db.query('RESET session_replication_role');
        const orphans = await db.query(
          `SELECT (SELECT COUNT(*) FROM answers a WHERE NOT EXISTS (SELECT 1 FROM responses r WHERE r.id = a.response_id))
                + (SELECT COUNT(*) FROM responses r WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = r.unit_id)) AS n`,
        );
        if (Number(orphans.rows[0].n) !== 0) throw new Error('generated rows break a foreign key');
      }
      // What autovacuum would do shortly after a load of this size (statistics, visibility map).
      await db.query('VACUUM ANALYZE responses, answers, answer_counts');
      sizes = { ...target };
    },
    async baseline(campaignId, key) {
      return (await db.query(BASELINE_SQL('$1', '$2'), [campaignId, key])).rows;
    },
    async aggregate(campaignId, key) {
      return (await db.query(AGGREGATE_SQL('$1', '$2'), [campaignId, key])).rows;
    },
    async plan(campaignId, key) {
      const r = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${BASELINE_SQL('$1', '$2')}`, [
        campaignId,
        key,
      ]);
      return r.rows.map((x) => x['QUERY PLAN']);
    },
    async count(sql) {
      return Number(Object.values((await db.query(sql)).rows[0])[0]);
    },
    dbMiB: async () =>
      Number((await db.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b) /
      1048576,
  };
}

// ---------------------------------------------------------------------------------------------------
// The app

/** The app on a random port; another port when the first is taken (a shared machine). */
async function startApp(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAppOnce(url);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortTaken)) throw err;
      log(`port taken, trying another (${err.message})`);
    }
  }
}

class PortTaken extends Error {}

async function startAppOnce(url) {
  const port = 4100 + Math.floor(Math.random() * 800);
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('node', [...APP_NODE_ARGS, 'dist/src/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    process.stderr.write(d);
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
    if (exited) {
      if (stderr.includes('EADDRINUSE')) throw new PortTaken(`port ${port}`);
      throw new Error('the app exited during start');
    }
    if (i > 300) throw new Error(`${base}/health did not come up`);
    try {
      if ((await fetch(`${base}/health`)).status < 500) break;
    } catch {}
    await sleep(100);
  }
  const res = await fetch(`${base}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (res.status !== 201)
    throw new Error(`POST /api/auth/token → ${res.status} ${await res.text()}`);
  const { accessToken } = await res.json();
  return {
    pid: child.pid,
    base,
    auth: { authorization: `Bearer ${accessToken}` },
    page: { cookie: await signInCookie(base) },
    stop,
  };
}

/** Signs in through the login form (CSRF cookie and token, then the session cookie) for pages. */
async function signInCookie(base) {
  const cookiesOf = (res) => res.headers.getSetCookie().map((c) => c.split(';')[0]);
  const login = await fetch(`${base}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on /login');
  const posted = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiesOf(login).join('; '),
    },
    body: new URLSearchParams({ _csrf: csrf, email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (posted.status !== 303) throw new Error(`POST /login → ${posted.status}`);
  return [...cookiesOf(login), ...cookiesOf(posted)].join('; ');
}

/** GET of an API path (bearer) or a page (session cookie); the body is read to its end. */
async function getText(app, path) {
  const res = await fetch(app.base + path, {
    headers: path.startsWith('/api/') ? app.auth : app.page,
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${body.slice(0, 200)}`);
  return body.length;
}

/** Every report and linkage request a leader or analyst makes, API and page, plus fixed cost. */
function endpoints(co) {
  const pair = `internal=${co.internal.id}&external=${co.external.id}`;
  return [
    ['fixed cost: GET /api/tokens (bearer, one small read)', '/api/tokens'],
    ['fixed cost: GET /health (no auth)', '/health'],
    ['GET /api/campaigns/:internal/report', `/api/campaigns/${co.internal.id}/report`],
    ['GET /api/campaigns/:external/report', `/api/campaigns/${co.external.id}/report`],
    ['GET /api/linkage', `/api/linkage?${pair}`],
    ['GET /api/linkage/waves', `/api/linkage/waves?${pair}`],
    ['GET /api/linkage/drivers', `/api/linkage/drivers?${pair}`],
    ['GET /api/campaigns/:internal/service-map', `/api/campaigns/${co.internal.id}/service-map`],
    ['page /reports', '/reports'],
    ['page /reports/campaigns/:internal', `/reports/campaigns/${co.internal.id}`],
    ['page /reports/campaigns/:external', `/reports/campaigns/${co.external.id}`],
    ['page /reports/linkage', `/reports/linkage?${pair}`],
    ['page /reports/linkage/waves', `/reports/linkage/waves?${pair}`],
    ['page /reports/linkage/drivers', `/reports/linkage/drivers?${pair}`],
    [
      'page /reports/campaigns/:internal/service-map',
      `/reports/campaigns/${co.internal.id}/service-map`,
    ],
  ];
}

async function getJson(app, path) {
  const res = await fetch(app.base + path, {
    headers: app.auth,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${body.slice(0, 300)}`);
  return JSON.parse(body);
}

/**
 * Streams the CSV to nowhere; counts bytes and lines (no quoted newlines: all answers are numeric).
 * Cut off after EXPORT_CAP_S seconds: then `complete` is false and rows/bytes are those received.
 */
async function exportCsv(app, campaignId) {
  const t0 = performance.now();
  const cap = new AbortController();
  const timer = setTimeout(() => cap.abort(), EXPORT_CAP_S * 1000);
  let bytes = 0;
  let lines = 0;
  let last = 10;
  let ttfb = null;
  let complete = true;
  try {
    const res = await fetch(`${app.base}/api/campaigns/${campaignId}/responses.csv`, {
      headers: app.auth,
      signal: cap.signal,
    });
    if (res.status !== 200) throw new Error(`responses.csv → ${res.status} ${await res.text()}`);
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('text/csv')) throw new Error(`responses.csv content-type ${type}`);
    ttfb = ms(t0);
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      bytes += buf.length;
      for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) lines++;
      if (buf.length) last = buf[buf.length - 1];
    }
  } catch (err) {
    if (!cap.signal.aborted) throw err;
    complete = false;
    last = 10; // a partial last line is not counted
  } finally {
    clearTimeout(timer);
  }
  return {
    ms: ms(t0),
    ttfb,
    bytes,
    rows: Math.max(0, lines + (last === 10 ? 0 : 1) - 1),
    complete,
  };
}

// ---------------------------------------------------------------------------------------------------
// One database: grow through SIZES, measuring at each.

function compare(linkage, baseInt, baseExt, codeOf) {
  const byUnit = (rows) => new Map(rows.map((r) => [codeOf.get(r.unit_id), r]));
  const bi = byUnit(baseInt);
  const be = byUnit(baseExt);
  let compared = 0;
  const bad = [];
  for (const u of linkage.units ?? []) {
    const i = bi.get(u.unitCode);
    const e = be.get(u.unitCode);
    if (!i || !e) {
      bad.push(`${u.unitCode}: missing in baseline`);
      continue;
    }
    compared++;
    for (const [side, b] of [
      ['internal', i],
      ['external', e],
    ]) {
      const got = u[side];
      if (got?.n !== Number(b.n)) bad.push(`${u.unitCode} ${side} n ${got?.n} ≠ ${b.n}`);
      if (Math.abs((got?.score ?? NaN) - Number(b.mean)) > 0.006)
        bad.push(`${u.unitCode} ${side} mean ${got?.score} ≠ ${Number(b.mean).toFixed(4)}`);
    }
  }
  return { compared, bad };
}

async function benchDatabase(target, errors) {
  const co = company();
  const codeOf = new Map(co.units.map((u) => [u.id, u.code]));
  await target.seed(co);
  const rows = [];
  for (const size of SIZES) {
    const label = `${target.kind} ${size.toLocaleString('en')}`;
    const internal = Math.round(size * INTERNAL_SHARE);
    const want = { internal, external: size - internal };
    const before = target.sizes();
    log(
      `${label}: generating ${(want.internal - before.internal).toLocaleString('en')} internal + ` +
        `${(want.external - before.external).toLocaleString('en')} external responses …`,
    );
    const g0 = performance.now();
    await target.grow(co, want);
    const genMs = ms(g0);
    const nResp = await target.count('SELECT COUNT(*) FROM responses');
    const nAns = await target.count('SELECT COUNT(*) FROM answers');
    log(
      `${label}: generated in ${(genMs / 1000).toFixed(1)} s — ${nResp.toLocaleString('en')} responses, ` +
        `${nAns.toLocaleString('en')} answers, ${fmt(await target.dbMiB())} MiB on disk`,
    );
    if (nResp !== size) throw new Error(`expected ${size} responses, found ${nResp}`);

    const row = {
      db: target.kind,
      responses: size,
      genS: genMs / 1000,
      linkMs: null,
      baseMs: null,
      aggMs: null,
      endpoints: [],
      ratio: null,
      linkUnits: null,
      exportS: null,
      exportRows: null,
      exportMiB: null,
      idleRss: null,
      rssAfterLinkage: null,
      peakBeforeExport: null,
      peakAfterExport: null,
    };
    rows.push(row);

    // Baseline: the raw GROUP BY for both sides, directly on the database.
    const baseline = async () => [
      await target.baseline(co.internal.id, co.internal.headline),
      await target.baseline(co.external.id, co.external.headline),
    ];
    const base = await timed(baseline);
    row.baseMs = base.median;
    log(
      `${label}: baseline raw GROUP BY (both sides) min ${fmt(base.min)} / median ${fmt(base.median)} / ` +
        `p95 ${fmt(base.p95)} ms — ${base.last[0].length} internal units, ${base.last[1].length} external units`,
    );

    // The physical limit: reading the aggregate rows of both sides, directly on the database.
    const agg = await timed(async () => [
      await target.aggregate(co.internal.id, co.internal.headline),
      await target.aggregate(co.external.id, co.external.headline),
    ]);
    row.aggMs = agg.median;
    log(
      `${label}: physical limit, aggregate rows (both sides) min ${fmt(agg.min)} / median ` +
        `${fmt(agg.median)} / p95 ${fmt(agg.p95)} ms — ${agg.last[0].length + agg.last[1].length} rows`,
    );

    log(`${label}: ${load()}`);
    const app = await startApp(target.url);
    try {
      await sleep(500);
      row.idleRss = memory(app.pid).rss;
      log(`${label}: app started (pid ${app.pid}), idle RSS ${fmt(row.idleRss)} MiB`);

      // Linkage over HTTP.
      const path = `/api/linkage?internal=${co.internal.id}&external=${co.external.id}`;
      try {
        const link = await timed(() => getJson(app, path));
        row.linkMs = link.median;
        row.ratio = link.median / base.median;
        row.linkUnits = link.last.n;
        row.rssAfterLinkage = memory(app.pid).rss;
        const check = compare(link.last, base.last[0], base.last[1], codeOf);
        log(
          `${label}: GET /api/linkage first ${fmt(link.first)} / min ${fmt(link.min)} / median ${fmt(link.median)} / p95 ${fmt(link.p95)} ms ` +
            `(ratio app/baseline ${fmt(row.ratio, 2)}, aim ≤ 2) — n=${link.last.n}, ` +
            `excluded=${link.last.excluded?.length}, r=${fmt(link.last.pearson?.r, 3)}; ` +
            `RSS after ${fmt(row.rssAfterLinkage)} MiB`,
        );
        log(
          `${label}: check against the baseline: ${check.compared} units compared, ${check.bad.length} mismatches` +
            (check.bad.length ? ` — e.g. ${check.bad.slice(0, 5).join('; ')}` : ''),
        );
        if (check.bad.length) errors.push(`${label}: linkage differs from the baseline`);
      } catch (err) {
        errors.push(`${label}: linkage: ${err instanceof Error ? err.message : err}`);
        log(`${label}: linkage FAILED: ${err instanceof Error ? err.message : err}`);
      }

      // Every report and linkage request, API and page.
      for (const [name, path] of endpoints(co)) {
        try {
          const t = await timed(() => getText(app, path));
          row.endpoints.push({
            name,
            first: t.first,
            median: t.median,
            p95: t.p95,
            kib: t.last / 1024,
          });
          log(
            `${label}: ${name} first ${fmt(t.first)} / min ${fmt(t.min)} / median ${fmt(t.median)} / p95 ${fmt(t.p95)} ms, ` +
              `${fmt(t.last / 1024)} KiB`,
          );
        } catch (err) {
          row.endpoints.push({ name, first: null, median: null, p95: null, kib: null });
          errors.push(`${label}: ${name}: ${err instanceof Error ? err.message : err}`);
          log(`${label}: ${name} FAILED: ${err instanceof Error ? err.message : err}`);
        }
      }

      // CSV export of the external campaign.
      try {
        row.peakBeforeExport = memory(app.pid).hwm;
        const exp = await exportCsv(app, co.external.id);
        row.peakAfterExport = memory(app.pid).hwm;
        row.exportS = exp.ms / 1000;
        row.exportRows = exp.rows;
        row.exportMiB = exp.bytes / 1048576;
        row.exportComplete = exp.complete;
        log(
          `${label}: GET responses.csv (external) ${fmt(exp.ms / 1000, 2)} s, first byte after ${fmt(exp.ttfb)} ms, ` +
            `${fmt(row.exportMiB)} MiB, ${exp.rows.toLocaleString('en')} rows ` +
            `(${Math.round(exp.rows / (exp.ms / 1000)).toLocaleString('en')} rows/s); ` +
            `peak RSS ${fmt(row.peakBeforeExport)} → ${fmt(row.peakAfterExport)} MiB`,
        );
        if (!exp.complete) {
          const projected = exp.rows ? (want.external / exp.rows) * (exp.ms / 1000) : Infinity;
          log(
            `${label}: EXPORT INCOMPLETE — cut off after BENCH_EXPORT_CAP_S=${EXPORT_CAP_S} s with ` +
              `${exp.rows.toLocaleString('en')} of ${want.external.toLocaleString('en')} rows; at that ` +
              `average rate the whole export would take ≥ ${fmt(projected, 0)} s (missed aim, not an error)`,
          );
        } else if (exp.rows !== want.external)
          errors.push(`${label}: export has ${exp.rows} rows, expected ${want.external}`);
      } catch (err) {
        errors.push(`${label}: export: ${err instanceof Error ? err.message : err}`);
        log(`${label}: export FAILED: ${err instanceof Error ? err.message : err}`);
      }
    } finally {
      await app.stop();
    }

    if (size === SIZES[SIZES.length - 1]) {
      console.log(`\n${label}: plan of the baseline query (external side):`);
      for (const line of await target.plan(co.external.id, co.external.headline))
        console.log(`  ${line}`);
      console.log('');
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------

const errors = [];
const allRows = [];
try {
  if (!existsSync('dist/src/main.js')) throw new Error('dist/ is missing: run npm run build first');
  log(
    `bench:reports — databases: ${DB_CHOICE}, sizes: ${SIZES.join(', ')} responses ` +
      `(${INTERNAL_SHARE * 100}% internal), ${1 + REGIONS + BRANCHES} units, ${RUNS} timed runs after a warm-up; app node flags "${APP_NODE_ARGS.join(' ')}"`,
  );
  const kinds = DB_CHOICE === 'both' ? ['sqlite', 'postgres'] : [DB_CHOICE];
  for (const kind of kinds) {
    const target = kind === 'sqlite' ? await sqliteTarget() : await postgresTarget();
    if (!target) continue;
    allRows.push(...(await benchDatabase(target, errors)));
  }
} catch (err) {
  errors.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
} finally {
  await cleanupAll();
}

for (const kind of ['sqlite', 'postgres']) {
  const rows = allRows.filter((r) => r.db === kind);
  if (!rows.length) continue;
  console.log(`\n${kind}:`);
  console.table(
    rows.map((r) => ({
      responses: r.responses.toLocaleString('en'),
      'gen s': fmt(r.genS),
      'linkage ms (median)': fmt(r.linkMs),
      'baseline ms (median)': fmt(r.baseMs),
      'aggregate rows ms (median)': fmt(r.aggMs),
      'ratio (aim ≤2)': fmt(r.ratio, 2),
      'linked units': r.linkUnits ?? '-',
      'export s': r.exportComplete === false ? `>${fmt(r.exportS, 0)} cut` : fmt(r.exportS, 2),
      'export rows': r.exportRows?.toLocaleString('en') ?? '-',
      'export MiB': fmt(r.exportMiB),
      'idle RSS MiB': fmt(r.idleRss),
      'RSS after linkage MiB': fmt(r.rssAfterLinkage),
      'peak RSS before export MiB': fmt(r.peakBeforeExport),
      'peak RSS after export MiB': fmt(r.peakAfterExport),
    })),
  );
}
const measured = allRows.filter((r) => r.endpoints.length);
if (measured.length) {
  console.log(
    '\nRequests, median ms (aims: ≤ 50 ms at ≤ 10k, ≤ 150 ms at 1M; fixed cost ≤ 5 ms); ' +
      '* = over the aim:',
  );
  const names = measured[0].endpoints.map((e) => e.name);
  const aim = (r, name) => (name.startsWith('fixed cost') ? 5 : r.responses <= 10_000 ? 50 : 150);
  const col = (r) => `${r.db} ${r.responses.toLocaleString('en')}`;
  const table = [
    Object.fromEntries([
      ['request', 'raw GROUP BY baseline (both sides)'],
      ...measured.map((r) => [col(r), fmt(r.baseMs)]),
    ]),
    Object.fromEntries([
      ['request', 'aggregate rows (both sides)'],
      ...measured.map((r) => [col(r), fmt(r.aggMs)]),
    ]),
    ...names.map((name) =>
      Object.fromEntries([
        ['request', name],
        ...measured.map((r) => {
          const e = r.endpoints.find((x) => x.name === name);
          const v = e?.median ?? null;
          return [col(r), v === null ? 'FAILED' : `${fmt(v)}${v > aim(r, name) ? ' *' : ''}`];
        }),
      ]),
    ),
  ];
  console.table(table);
  console.log(
    '\nFirst request of each (its warm-up: no JIT for its own code yet, and the release decision ' +
      'computed unless an earlier request of the same campaign and questions made it), ms:',
  );
  console.table(
    names.map((name) =>
      Object.fromEntries([
        ['request', name],
        ...measured.map((r) => [col(r), fmt(r.endpoints.find((x) => x.name === name)?.first)]),
      ]),
    ),
  );
}
log(`done (${load()})${errors.length ? ` with ${errors.length} error(s)` : ''}`);
if (errors.length) {
  for (const e of errors) console.error(`ERROR: ${e}`);
  process.exitCode = 1;
}
