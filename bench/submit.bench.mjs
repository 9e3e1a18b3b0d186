// npm run bench:submit — POST /api/s/:token at 50 concurrent connections, one fresh token per request,
// against the real app (dist/, SQLite file, migrations applied), and in the same run a baseline: plain
// node:http + better-sqlite3 doing the same durable insert with the same synchronous setting.
// Prints req/s, p50/p99 latency, their ratio and the app server's peak RSS.
import { fork, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { appNodeArgs } from './app-node-args.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SYNCHRONOUS = process.env.SQLITE_SYNCHRONOUS ?? 'FULL';
const BODY = JSON.stringify({ answers: { sat: 4, nps: 9, why: 'Quick and friendly service' } });

const dir = mkdtempSync(join(tmpdir(), 'specchio-bench-'));
const appDb = join(dir, 'app.sqlite');
const baseDb = join(dir, 'baseline.sqlite');

function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`)),
    );
  });
}

/** Migrated database with one open campaign and REQUESTS invitations; returns the raw tokens. */
async function prepare(file) {
  await run('node', ['dist/src/cli/main.js', 'migrate'], {
    DATABASE_URL: `sqlite:${file}`,
    LOG_LEVEL: 'error',
  });
  const db = new Database(file);
  const now = new Date().toISOString();
  const unitId = randomUUID();
  const campaignId = randomUUID();
  const tokens = [];
  db.transaction(() => {
    db.prepare(
      'INSERT INTO units (id, code, name, parent_id, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?)',
    ).run(unitId, 'B01', 'Branch 1', now, now);
    db.prepare(
      `INSERT INTO campaigns (id, name, audience, wave, anonymous, languages, headline, status, closes_at, created_at, launched_at, closed_at)
       VALUES (?, 'Bench', 'internal', '2026-Q1', 1, 'en', 'sat', 'open', NULL, ?, ?, NULL)`,
    ).run(campaignId, now, now);
    const q = db.prepare(
      'INSERT INTO questions (campaign_id, question_key, position, type, required, multiple, provider_unit_id, text_json, options_json) VALUES (?, ?, ?, ?, ?, 0, NULL, ?, NULL)',
    );
    q.run(campaignId, 'sat', 0, 'csat', 1, '{"en":"Satisfied?"}');
    q.run(campaignId, 'nps', 1, 'nps', 0, '{"en":"Recommend?"}');
    q.run(campaignId, 'why', 2, 'text', 0, '{"en":"Why?"}');
    const contact = db.prepare(
      "INSERT INTO contacts (id, email, name, audience, unit_id, language, opted_out, erased_at, created_at, updated_at) VALUES (?, ?, 'P', 'internal', ?, 'en', 0, NULL, ?, ?)",
    );
    const inv = db.prepare(
      "INSERT INTO invitations (id, campaign_id, contact_id, status, answered, created_at, reminders) VALUES (?, ?, ?, 'sent', 0, ?, 0)",
    );
    const link = db.prepare(
      'INSERT INTO invitation_links (token_hash, invitation_id, created_at) VALUES (?, ?, ?)',
    );
    for (let i = 0; i < REQUESTS; i++) {
      const contactId = randomUUID();
      const invitationId = randomUUID();
      const token = randomBytes(32).toString('base64url');
      contact.run(contactId, `p${i}@bench.example`, unitId, now, now);
      inv.run(invitationId, campaignId, contactId, now);
      link.run(createHash('sha256').update(token).digest('hex'), invitationId, now);
      tokens.push(token);
    }
  })();
  db.close();
  return tokens;
}

async function waitFor(url) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

function load(url, pathFor) {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        timeout: 60,
        amount: REQUESTS,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: BODY,
            setupRequest: (req) => ({ ...req, path: pathFor(i++) }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

const peakRss = (pid) =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

function summary(name, r) {
  const ok = r['2xx'];
  return {
    name,
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    codes: JSON.stringify(r.statusCodeStats),
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
  };
}

try {
  console.log(
    `bench:submit — ${REQUESTS} requests, ${CONNECTIONS} connections, synchronous=${SYNCHRONOUS}, ` +
      `app node flags "${appNodeArgs().join(' ')}"`,
  );
  const [appTokens] = await Promise.all([prepare(appDb), prepare(baseDb)]);

  const appPort = 3900 + Math.floor(Math.random() * 50);
  const app = spawn(
    'node',
    [
      ...appNodeArgs(),
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      'dist/src/main.js',
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite:${appDb}`,
        PORT: String(appPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SQLITE_SYNCHRONOUS: SYNCHRONOUS,
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  await waitFor(`http://127.0.0.1:${appPort}/health`);
  const appResult = summary(
    'specchio',
    await load(`http://127.0.0.1:${appPort}`, (i) => `/api/s/${appTokens[i % appTokens.length]}`),
  );
  const appRss = peakRss(app.pid);
  app.kill('SIGTERM');

  const basePort = appPort + 100;
  const base = fork('bench/baseline-server.mjs', [baseDb, String(basePort), SYNCHRONOUS], {
    stdio: 'inherit',
  });
  await new Promise((r) => base.once('message', r));
  const baseResult = summary('baseline', await load(`http://127.0.0.1:${basePort}`, () => '/'));
  const baseRss = peakRss(base.pid);
  base.kill('SIGTERM');

  const check = new Database(appDb, { readonly: true });
  const stored = check.prepare('SELECT COUNT(*) AS n FROM responses').get().n;
  check.close();

  console.table([
    { ...appResult, peakRssMiB: Math.round(appRss) },
    { ...baseResult, peakRssMiB: Math.round(baseRss) },
  ]);
  console.log(`responses stored by specchio: ${stored} (2xx acknowledged: ${appResult.ok})`);
  console.log(
    `ratio specchio/baseline req/s: ${(appResult.reqPerSec / baseResult.reqPerSec).toFixed(2)} (aim ≥ 0.5)`,
  );
  if (stored !== appResult.ok) throw new Error('acknowledged and stored responses differ');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
