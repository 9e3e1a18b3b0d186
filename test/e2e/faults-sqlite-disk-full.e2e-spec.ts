/**
 * Fault: the disk that holds the SQLite file is full. SQLite only — PostgreSQL's own disk is the
 * server's business; its faults are in faults-pg-*.
 *
 * The test mounts a small tmpfs (we run as root, CI too), puts the database there, starts the
 * BUILT app as a child process, then fills the filesystem. Shown (SECURITY.md I4): answers are
 * refused with 503 — never a 2xx without the answer stored —, the respondent gets their form back
 * in their language with the answers kept, the process stays up and /health says degraded; once
 * space is freed, writes resume without a restart, every refused link still works, and every
 * acknowledged answer is stored exactly once with `integrity_check` ok.
 */
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
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

/** Switches /metrics on for the scrape below. */
const METRICS_TOKEN = 'disk-full-metrics-token-0123456789abcdef';

jest.setTimeout(90_000);

/** Writes zeros to `path` until the filesystem refuses (ENOSPC); returns the bytes written. */
function fillDisk(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  // Down to the last byte: smaller writes until not even one fits.
  const tail = openSync(path, 'a');
  try {
    for (let size = 8192; size >= 1; size = Math.floor(size / 2)) {
      try {
        for (;;) written += writeSync(tail, Buffer.alloc(size));
      } catch {
        // this size no longer fits; try a smaller one
      }
    }
  } finally {
    closeSync(tail);
  }
  return written;
}

describe('faults: the SQLite file’s disk is full (SQLite only)', () => {
  let dir: string;
  let mount: string;
  let mounted = false;
  let file: string;
  let survey: Survey;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'specchio-full-'));
    mount = join(dir, 'mnt');
    execFileSync('mkdir', ['-p', mount]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount]);
    mounted = true;
    file = join(mount, 'full.sqlite');
    survey = await seedFile(file, { invitees: 300, contactLanguage: 'it' });
  });

  afterAll(async () => {
    await app?.kill();
    if (mounted) execFileSync('umount', ['-l', mount]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers get 503 and the form back, the app stays up; freed space resumes writes without a restart', async () => {
    app = await spawnApp(file, { METRICS_TOKEN });
    const base = app.base;
    const acknowledged = new Set<string>();
    const tokens = [...survey.tokens];
    const take = () => tokens.shift() as string;
    for (let i = 0; i < 5; i++) {
      const token = take();
      expect(await answerOnce(base, token)).toBe(201);
      acknowledged.add(token);
    }
    // A respondent opens the form while there is space.
    const formToken = take();
    const page = await fetch(`${base}/s/${formToken}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

    const filler = join(mount, 'filler');
    const filled = fillDisk(filler);
    const fullAt = performance.now();

    // Answer until the database refuses: what is still acknowledged fits in the WAL's free frames.
    const refused: string[] = [];
    let firstRefusalMs = -1;
    let acknowledgedWhileFull = 0;
    while (refused.length < 10) {
      const token = take();
      const status = await answerOnce(base, token);
      expect([201, 503]).toContain(status);
      if (status === 201) {
        acknowledged.add(token);
        acknowledgedWhileFull++;
      } else {
        if (firstRefusalMs < 0) firstRefusalMs = performance.now() - fullAt;
        refused.push(token);
      }
      expect(acknowledgedWhileFull).toBeLessThan(200);
    }
    // A refused answer says when to retry.
    const again = await fetch(`${base}/api/s/${refused[0]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers: { sat: 4 } }),
    });
    expect(again.status).toBe(503);
    expect(again.headers.get('retry-after')).toBe('2');
    expect(await again.json()).toEqual({
      statusCode: 503,
      message: 'The database is busy or unavailable; please retry',
    });

    // The respondent sends the form: it comes back in Italian, their answers kept.
    const sent = await fetch(`${base}/s/${formToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, sat: '5', why: 'Ottimo servizio' }).toString(),
      redirect: 'manual',
    });
    const sentHtml = await sent.text();
    expect(sent.status).toBe(503);
    expect(sent.headers.get('retry-after')).toBe('2');
    expect(sentHtml).toContain('<html lang="it"');
    expect(sentHtml).toContain('Le sue risposte non sono ancora state inviate');
    expect(sentHtml).toMatch(/name="sat" value="5" checked/);
    expect(sentHtml).toContain('Ottimo servizio');
    // Another respondent can still open their form (reads need no space).
    const opened = await fetch(`${base}/s/${take()}`);
    expect(opened.status).toBe(200);

    // Every refusal counts as a database error on /metrics, the API's and the page's alike.
    const metrics = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    const counted = Number(
      /^specchio_database_errors_total (\d+)/m.exec(await metrics.text())?.[1] ?? 'NaN',
    );
    expect(counted).toBeGreaterThanOrEqual(refused.length + 2); // + the API retry + the form

    // The process is up and says it is degraded.
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'degraded', db: 'up', writes: 'failing' });
    expect(app.process.exitCode).toBeNull();

    // Space returns: /health and answers recover, no restart.
    unlinkSync(filler);
    const freedAt = performance.now();
    let healthyMs = -1;
    while (healthyMs < 0) {
      const res = await fetch(`${base}/health`);
      if (res.status === 200) healthyMs = performance.now() - freedAt;
      else await new Promise((r) => setTimeout(r, 20));
      expect(performance.now() - freedAt).toBeLessThan(10_000);
    }
    const t = performance.now();
    for (const token of refused) {
      expect(await answerOnce(base, token)).toBe(201);
      acknowledged.add(token);
    }
    const retriedMs = performance.now() - t;
    // The form is sent again, now stored.
    const resent = await fetch(`${base}/s/${formToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body:
        new URLSearchParams({
          _csrf: csrf,
          ...{ sat: '4', nps: '9', effort: '6', agree: '5', channel: 'web', why: 'Quick 👩🏽‍💻' },
        }).toString() + '&topics=price&topics=care',
      redirect: 'manual',
    });
    expect(resent.status).toBe(303);
    acknowledged.add(formToken);
    // Other writes (a sign-in, an admin's change) work again too.
    const signIn = await fetch(`${base}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(signIn.status).toBe(201);
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const unit = await fetch(`${base}/api/units`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ code: 'AFTER-FULL', name: 'After the full disk' }),
    });
    expect(unit.status).toBe(201);
    expect(app.process.exitCode).toBeNull();

    await app.stop();
    app = undefined;
    const check = checkFile(file, survey, acknowledged);
    expect(check).toMatchObject({ ...SOUND_FILE, stored: acknowledged.size });
    report('sqlite-disk-full', {
      fillerBytes: filled,
      acknowledgedWhileFull,
      firstRefusalAfterFullMs: Math.round(firstRefusalMs),
      refused: refused.length + 1,
      healthOkAfterFreedMs: Math.round(healthyMs),
      refusedRetriedMs: Math.round(retriedMs),
      acknowledged: acknowledged.size,
      stored: check.stored,
    });
  });
});
