/**
 * Fault: another process holds the SQLite write lock (a backup, the CLI, a `sqlite3` shell).
 * SQLite only — PostgreSQL has no file lock; its faults are in faults-pg-*.
 *
 * The BUILT app runs as a child process on a SQLite file; a second child (`node -e` with
 * better-sqlite3) holds `BEGIN IMMEDIATE`. Shown (SECURITY.md I3): answers wait for the lock without
 * freezing the event loop (/health and a report read keep answering), get 503 + Retry-After once
 * SQLITE_BUSY_TIMEOUT_MS has passed — the respondent's form again, in their language, the answers
 * kept —, succeed when the lock goes within the timeout, and after the fault every link still works
 * and every acknowledged answer is stored exactly once.
 */
import { jest } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN } from '../helpers/app.js';
import {
  answerOnce,
  checkFile,
  ensureBuilt,
  report,
  type RunningApp,
  seedFile,
  SOUND_FILE,
  spawnApp,
} from '../helpers/sqlite-faults.js';
import type { Survey } from '../helpers/survey-fixtures.js';

jest.setTimeout(90_000);

const BUSY_TIMEOUT_MS = 3000;

/** A second process that takes the write lock, says "locked", and commits after `holdMs`. */
async function holdLock(
  file: string,
  holdMs: number,
): Promise<ChildProcess & { released: Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.exit(0); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(holdMs)], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const released = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return Object.assign(child, { released });
}

/** Polls `url` every 25 ms until `stop` resolves; returns the latencies (ms) and statuses. */
async function poll(url: string, headers: Record<string, string>, stop: Promise<unknown>) {
  let done = false;
  void stop.then(() => (done = true));
  const samples: Array<{ ms: number; status: number }> = [];
  while (!done) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    samples.push({ ms: performance.now() - t, status: res.status });
    await new Promise((r) => setTimeout(r, 25));
  }
  return samples;
}

describe('faults: another process holds the SQLite write lock (SQLite only)', () => {
  let dir: string;
  let file: string;
  let survey: Survey;
  let app: RunningApp;
  let bearer: string;
  const acknowledged = new Set<string>();

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'specchio-lock-'));
    file = join(dir, 'lock.sqlite');
    survey = await seedFile(file, { invitees: 40, contactLanguage: 'it' });
    app = await spawnApp(file, { SQLITE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS) });
    const res = await fetch(`${app.base}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    bearer = ((await res.json()) as { accessToken: string }).accessToken;
    for (const token of survey.tokens.slice(0, 5)) {
      expect(await answerOnce(app.base, token)).toBe(201);
      acknowledged.add(token);
    }
  });

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a lock held past the busy timeout: 503 + Retry-After at the timeout, the event loop free, nothing lost', async () => {
    // A respondent opened the form before the lock; another opens theirs during it.
    const formToken = survey.tokens[13];
    const page = await fetch(`${app.base}/s/${formToken}`);
    const html = await page.text();
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const holder = await holdLock(file, BUSY_TIMEOUT_MS + 1500);
    const lockedAt = performance.now();
    const health = poll(`${app.base}/health`, {}, holder.released);
    const reportRead = poll(
      `${app.base}/api/campaigns/${survey.campaignId}/report`,
      { authorization: `Bearer ${bearer}` },
      holder.released,
    );
    // Eight JSON answers and one respondent's form, all while the lock is held.
    const tokens = survey.tokens.slice(5, 13);
    const answers = tokens.map(async (token) => {
      const t = performance.now();
      const res = await fetch(`${app.base}/api/s/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          answers: {
            sat: 4,
            nps: 9,
            effort: 6,
            agree: 5,
            channel: 'web',
            topics: ['price', 'care'],
            why: 'Quick 👩🏽‍💻',
          },
        }),
      });
      return {
        token,
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        ms: performance.now() - t,
      };
    });
    const opened = (async () => {
      const t = performance.now();
      const res = await fetch(`${app.base}/s/${survey.tokens[14]}`);
      return { status: res.status, html: await res.text(), ms: performance.now() - t };
    })();
    const formPage = (async () => {
      const t = performance.now();
      const res = await fetch(`${app.base}/s/${formToken}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: csrf, sat: '2', why: 'Lento' }).toString(),
        redirect: 'manual',
      });
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        html: await res.text(),
        ms: performance.now() - t,
      };
    })();

    const results = await Promise.all(answers);
    const form = await formPage;
    const other = await opened;
    const timeTo503 = Math.max(...results.map((r) => r.ms));
    for (const r of results) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toBe('2');
      // Refused at the busy timeout, not at once and not after the lock went.
      expect(r.ms).toBeGreaterThan(BUSY_TIMEOUT_MS - 200);
      expect(r.ms).toBeLessThan(BUSY_TIMEOUT_MS + 1000);
    }
    // The respondent: the form opened during the lock, and the send gave the form back in Italian,
    // their answers still there, and a clear "not sent yet".
    expect(page.status).toBe(200);
    expect(form.status).toBe(503);
    expect(form.retryAfter).toBe('2');
    expect(form.html).toContain('Le sue risposte non sono ancora state inviate');
    expect(form.html).toMatch(/name="sat" value="2" checked/);
    expect(form.html).toContain('Lento');
    // A form opened during the lock is shown at once (its "opened" mark is skipped).
    expect(other.status).toBe(200);
    expect(other.ms).toBeLessThan(1000);
    expect(other.html).toContain('name="_csrf"');

    await holder.released;
    const healthSamples = await health;
    const reportSamples = await reportRead;
    const lockHeldMs = performance.now() - lockedAt;
    const worstHealth = Math.max(...healthSamples.map((s) => s.ms));
    const worstReport = Math.max(...reportSamples.map((s) => s.ms));
    // The event loop was never frozen: /health and a report read kept answering throughout.
    expect(healthSamples.length).toBeGreaterThan(20);
    expect(healthSamples.every((s) => s.status === 200)).toBe(true);
    expect(reportSamples.every((s) => s.status === 200)).toBe(true);
    expect(worstHealth).toBeLessThan(500);
    expect(worstReport).toBeLessThan(750);

    // After the lock: every refused link still works (nothing was claimed), once.
    const t = performance.now();
    for (const token of [...tokens, formToken]) {
      expect(await answerOnce(app.base, token)).toBe(201);
      acknowledged.add(token);
    }
    const recoverMs = performance.now() - t;
    const check = checkFile(file, survey, acknowledged);
    expect(check).toMatchObject({ ...SOUND_FILE, stored: acknowledged.size });
    report('sqlite-lock-past-timeout', {
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      lockHeldMs: Math.round(lockHeldMs),
      timeTo503Ms: Math.round(timeTo503),
      formSendTo503Ms: Math.round(form.ms),
      formOpenDuringLockMs: Math.round(other.ms),
      healthSamples: healthSamples.length,
      worstHealthMs: Math.round(worstHealth),
      worstReportMs: Math.round(worstReport),
      answersAfterReleaseMs: Math.round(recoverMs),
      acknowledged: acknowledged.size,
      stored: check.stored,
    });
  });

  it('a lock shorter than the busy timeout: answers wait for it and succeed', async () => {
    const holdMs = 1000;
    const holder = await holdLock(file, holdMs);
    const health = poll(`${app.base}/health`, {}, holder.released);
    const tokens = survey.tokens.slice(20, 28);
    const t = performance.now();
    const statuses = await Promise.all(tokens.map((token) => answerOnce(app.base, token)));
    const waited = performance.now() - t;
    await holder.released;
    const worstHealth = Math.max(...(await health).map((s) => s.ms));
    expect(statuses).toEqual(tokens.map(() => 201));
    for (const token of tokens) acknowledged.add(token);
    expect(waited).toBeGreaterThan(holdMs - 200);
    expect(waited).toBeLessThan(holdMs + 1000);
    expect(worstHealth).toBeLessThan(500);
    const check = checkFile(file, survey, acknowledged);
    expect(check).toMatchObject({ integrity: 'ok', lost: [], doubled: 0, orphans: 0, partial: 0 });
    expect(check.countMismatches).toBe(0);
    expect(check.stored).toBe(acknowledged.size);
    report('sqlite-lock-within-timeout', {
      lockHeldMs: holdMs,
      answersDoneMs: Math.round(waited),
      worstHealthMs: Math.round(worstHealth),
      acknowledged: acknowledged.size,
      stored: check.stored,
    });
  });
});
