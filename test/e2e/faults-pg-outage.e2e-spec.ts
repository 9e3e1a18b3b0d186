// PostgreSQL going away during a burst of answers (shared/research/SECURITY.md I5), on the BUILT
// app as a child process and a PRIVATE cluster (never the shared one at :5432, which other specs
// use): stopped (`pg_ctl stop -m immediate`, refused connections) and frozen (SIGSTOP, a server
// that hangs). The respondent gets a 503 within the configured bound, the app recovers without a
// restart when the server is back, and every acknowledged answer is stored exactly once.
// PostgreSQL only by nature; needs root (CI runs as root) to run initdb as the postgres user.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AppProcess,
  ensureBuilt,
  expectEveryAcknowledgedStoredOnce,
  PrivatePostgres,
  RespondentBurst,
  seedDatabase,
  spawnApp,
  storedState,
} from '../helpers/app-process.js';
import type { Survey } from '../helpers/survey-fixtures.js';

/** The bounds the app is started with: a request that needs the database fails after about these. */
const STATEMENT_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 1000;
/** The client-side query timeout is the statement timeout + 1 s (data-source-options.ts). */
const FAIL_BOUND_MS = Math.max(STATEMENT_TIMEOUT_MS + 1000, CONNECT_TIMEOUT_MS);

/** The app's resident memory in MiB (it must stay bounded while requests fail). */
const rssMiB = (pid: number) =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);

const run = PrivatePostgres.available() ? describe : describe.skip;
if (!PrivatePostgres.available()) {
  const why = 'faults-pg-outage needs root and /usr/lib/postgresql/15/bin/initdb';
  if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`${why} (REQUIRE_POSTGRES=1)`);
  console.warn(`${why}: skipped`);
}

run('PostgreSQL stopped, started and frozen during a burst of answers', () => {
  let cluster: PrivatePostgres;
  let app: AppProcess;
  let survey: Survey;
  let burst: RespondentBurst;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    ensureBuilt();
    cluster = new PrivatePostgres();
    await cluster.init();
    survey = await seedDatabase(cluster.url, { invitees: 1500 });
    app = await spawnApp({
      DATABASE_URL: cluster.url,
      DB_POOL_SIZE: '4',
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    burst = new RespondentBurst(app.base, survey.tokens, { concurrency: 4, pauseMs: 30 }).start();
  }, 180_000);

  afterAll(async () => {
    await burst?.stop();
    await app?.stop('SIGKILL');
    cluster?.destroy();
    console.log(`faults-pg-outage figures: ${JSON.stringify(figures, null, 1)}`);
    const errors = (app?.output() ?? '').split('\n').filter((l) => /ERROR/.test(l));
    if (errors.length) console.log(`app errors:\n${errors.slice(0, 20).join('\n')}`);
  });

  it('stopped: 503 at once (a page in the respondent language), recovery without restart', async () => {
    await burst.nextSuccess(0);
    await sleep(500);
    figures.rssBeforeMiB = rssMiB(app.child.pid!);
    const token = survey.tokens[survey.tokens.length - 1]; // the burst reaches it last
    const stopAt = Date.now();
    cluster.stop('immediate');
    try {
      const stoppedAt = Date.now();
      const failedAt = await burst.nextFailure(stoppedAt, 10_000);
      figures.stopTimeTo503Ms = failedAt - stopAt;
      // Refused connections fail fast: well inside the bound.
      expect(failedAt - stopAt).toBeLessThan(FAIL_BOUND_MS + 1000);

      // What the respondent sees: the API answers 503 JSON with Retry-After; the page, in their language.
      const api = await fetch(`${app.base}/api/s/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers: { sat: 4 } }),
      });
      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toBeTruthy();
      expect(await api.json()).toMatchObject({ statusCode: 503 });
      const page = await fetch(`${app.base}/s/${token}`, { headers: { 'accept-language': 'it' } });
      expect(page.status).toBe(503);
      const html = await page.text();
      expect(html).toContain('<html lang="it">');
      expect(html).toContain('Servizio non disponibile');
      expect(html).toContain('Riprovi tra qualche istante.');
      expect(html).not.toMatch(/ECONNREFUSED|postgres|stack/i);
      expect((await fetch(`${app.base}/health`)).status).toBe(503);

      // Every answer during the outage failed fast: no request hung past the bound.
      await sleep(2000);
      // Answers sent after the stop (one that was in flight may still have committed before it).
      const during = burst.since(stoppedAt).filter((a) => a.at - a.ms > stoppedAt);
      expect(during.length).toBeGreaterThan(0);
      expect(during.map((a) => a.status).filter((s) => s !== 503)).toEqual([]);
      expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(FAIL_BOUND_MS + 1000);
      figures.stopFailuresDuringOutage = during.length;
      figures.rssAfterOutageMiB = rssMiB(app.child.pid!);
      figures.stopMaxFailureMs = Math.max(...during.map((a) => a.ms));
    } finally {
      await cluster.start();
    }
    const startedAt = Date.now();
    const recoveredAt = await burst.nextSuccess(startedAt, 15_000);
    figures.stopTimeToRecoverMs = recoveredAt - startedAt;
    expect(app.child.exitCode).toBeNull(); // the same process, never restarted
    expect((await fetch(`${app.base}/health`)).status).toBe(200);
    // The respondent's link still works: a 503 claimed nothing.
    expect((await fetch(`${app.base}/s/${token}`)).status).toBe(200);
  }, 60_000);

  it('frozen: requests fail with 503 within the configured bound, recovery after SIGCONT', async () => {
    await burst.nextSuccess(Date.now());
    const frozenAt = Date.now();
    cluster.freeze();
    let failedAt: number;
    try {
      failedAt = await burst.nextFailure(frozenAt, 15_000);
      const health = Date.now();
      expect((await fetch(`${app.base}/health`)).status).toBe(503);
      figures.freezeHealthMs = Date.now() - health;
      await sleep(FAIL_BOUND_MS + 1500);
      figures.rssFrozenMiB = rssMiB(app.child.pid!);
    } finally {
      cluster.thaw();
    }
    const thawedAt = Date.now();
    figures.freezeTimeTo503Ms = failedAt - frozenAt;
    expect(failedAt - frozenAt).toBeLessThan(FAIL_BOUND_MS + 1500);
    const during = burst.attempts.filter((a) => a.at > frozenAt && a.at - a.ms < thawedAt);
    const failures = during.filter((a) => a.status !== 201);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.map((a) => a.status).filter((s) => s !== 503)).toEqual([]);
    // None waited longer than the bound (plus the pool's own wait for a free connection).
    figures.freezeMaxFailureMs = Math.max(...failures.map((a) => a.ms));
    expect(Math.max(...failures.map((a) => a.ms))).toBeLessThan(
      FAIL_BOUND_MS + CONNECT_TIMEOUT_MS + 1500,
    );

    const recoveredAt = await burst.nextSuccess(thawedAt, 15_000);
    figures.freezeTimeToRecoverMs = recoveredAt - thawedAt;
    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${app.base}/health`)).status).toBe(200);
  }, 60_000);

  it('every acknowledged answer is stored exactly once, with all its answers', async () => {
    await sleep(1000);
    await burst.stop();
    const state = await storedState(cluster.url, survey.campaignId);
    const counts = expectEveryAcknowledgedStoredOnce(state, survey, burst.acknowledged);
    Object.assign(figures, {
      acknowledged: counts.acknowledged,
      stored: counts.stored,
      storedNotAcknowledged: counts.storedNotAcknowledged.length,
      attempts: burst.attempts.length,
      status503: burst.attempts.filter((a) => a.status === 503).length,
      status409: burst.attempts.filter((a) => a.status === 409).length,
    });
    expect(counts.acknowledged).toBeGreaterThan(50);
    // A 503 whose COMMIT reached the server just before it went away is stored without an
    // acknowledgement; the respondent's retry then sees "already answered" (409), never a double.
    for (const token of counts.storedNotAcknowledged)
      expect(burst.attempts.some((a) => a.token === token && a.status !== 201)).toBe(true);
    for (const a of burst.attempts.filter((x) => x.status === 409))
      expect(counts.storedNotAcknowledged).toContain(a.token);
  }, 30_000);
});
