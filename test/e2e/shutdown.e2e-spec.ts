// SIGTERM during a burst of answers (shared/research/SECURITY.md I10), on the BUILT app as a child
// process, on SQLite and PostgreSQL: answers in flight finish and are stored, new ones are refused
// (503 while the server closes, then the connection is refused), the database is closed (on SQLite
// the WAL is checkpointed into the file) and the process exits with code 0.
import { existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { dbKinds, freshDatabase } from '../helpers/app.js';
import {
  ensureBuilt,
  expectEveryAcknowledgedStoredOnce,
  RespondentBurst,
  seedDatabase,
  spawnApp,
  storedState,
} from '../helpers/app-process.js';
import { VALID_ANSWERS } from '../helpers/survey-fixtures.js';

/**
 * A respondent on a slow line: the request line, headers and half of the body reach the server
 * now, the rest when `finish()` is called. Until then the request is in flight on the server.
 */
function slowAnswer(base: string, token: string) {
  const body = Buffer.from(JSON.stringify({ answers: VALID_ANSWERS }));
  const url = new URL(`/api/s/${token}`, base);
  let finish!: () => void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.subarray(0, 10));
    finish = () => req.end(body.subarray(10));
  });
  return { response, finish: () => finish() };
}

async function tryAnswer(base: string, token: string): Promise<number> {
  try {
    const res = await fetch(`${base}/api/s/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ answers: VALID_ANSWERS }),
    });
    return res.status;
  } catch {
    return 0; // connection refused: the server no longer listens
  }
}

beforeAll(() => ensureBuilt(), 240_000);

describe.each(dbKinds())('SIGTERM during a burst of answers on %s', (kind) => {
  it('in-flight answers finish and are stored, new ones are refused, the process exits 0', async () => {
    const db = await freshDatabase(kind);
    try {
      const survey = await seedDatabase(db.url, { invitees: 600 });
      const [slowToken, lateToken, ...tokens] = survey.tokens;
      const app = await spawnApp({ DATABASE_URL: db.url });
      const burst = new RespondentBurst(app.base, tokens, { concurrency: 8, pauseMs: 0 }).start();
      try {
        await burst.nextSuccess(0);
        await sleep(300);
        const slow = slowAnswer(app.base, slowToken);
        await sleep(300);

        const termAt = Date.now();
        app.child.kill('SIGTERM');
        await sleep(300);
        // A new answer after SIGTERM is refused: a 503, or no connection once the listener closed.
        const late = await tryAnswer(app.base, lateToken);
        expect([503, 0]).toContain(late);
        // The answer that was in flight completes and is acknowledged.
        slow.finish();
        const slowResult = await slow.response;
        expect(slowResult.status).toBe(201);

        const exit = await Promise.race([
          app.exited,
          new Promise((resolve) => setTimeout(resolve, 20_000, 'timeout').unref()),
        ]);
        const exitMs = Date.now() - termAt;
        expect(exit).toEqual({ code: 0, signal: null });
        // Idle keep-alive connections do not hold the exit (the client keeps them for 4 s here).
        expect(exitMs).toBeLessThan(3000);
        await burst.stop();

        // The burst saw only acknowledgements and refusals, never an error.
        const statuses = new Set(burst.attempts.map((a) => a.status));
        expect([...statuses].filter((s) => ![201, 503, 0].includes(s))).toEqual([]);
        const drained = burst.attempts.filter(
          (a) => a.status === 201 && a.at - a.ms < termAt && a.at >= termAt,
        ).length;
        expect(app.output()).not.toMatch(/ERROR/);

        const acknowledged = new Set([...burst.acknowledged, slowToken]);
        const state = await storedState(db.url, survey.campaignId);
        const counts = expectEveryAcknowledgedStoredOnce(state, survey, acknowledged);
        expect(counts.storedNotAcknowledged).toEqual([]);
        expect(state.responses.get(survey.invitationIds[1])!.responses).toBe(0); // the late one

        if (kind === 'sqlite') {
          // Closed cleanly: the WAL was checkpointed into the file and removed.
          const file = db.url.slice('sqlite:'.length);
          expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
          const check = new Database(file, { readonly: true });
          expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
          check.close();
        }
        console.log(
          `shutdown on ${kind}: ${JSON.stringify({
            exitMs,
            acknowledged: counts.acknowledged,
            stored: counts.stored,
            inFlightAtSigtermCompleted: drained + 1,
            refusedAfterSigterm: burst.attempts.filter((a) => a.at > termAt && a.status !== 201)
              .length,
            lateAnswer: late === 0 ? 'connection refused' : late,
          })}`,
        );
      } finally {
        await burst.stop();
        await app.stop('SIGKILL');
      }
    } finally {
      await db.drop();
    }
  }, 120_000);
});
