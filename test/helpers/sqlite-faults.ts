/**
 * The harness of the SQLite fault specs (test/e2e/faults-sqlite-*.e2e-spec.ts): the BUILT app as a
 * real child process on a SQLite file, answers driven over HTTP with every acknowledged token
 * logged, and the checks of the file afterwards (shared/research/SECURITY.md I1, I3, I4).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/app-config.js';
import { answerCountsRecountSql } from '../../src/database/answer-counts.js';
import { runMigrations } from '../../src/database/migrate.js';
import { ADMIN, type TestApp } from './app.js';
import { ANSWER_ROWS, freePort, ROOT } from './app-process.js';
import { seedSurvey, type Survey, type SurveyOptions, VALID_ANSWERS } from './survey-fixtures.js';

// The child-process pieces shared with the PostgreSQL and shutdown fault specs.
export { ANSWER_ROWS, ensureBuilt, freePort } from './app-process.js';

/** Migrates a new SQLite file and writes an open, non-anonymous survey with `invitees` links. */
export async function seedFile(file: string, options: SurveyOptions): Promise<Survey> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: `sqlite:${file}`,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'error',
  });
  await runMigrations(config);
  const app = await createApp(config);
  await app.init();
  try {
    return await seedSurvey({ app } as unknown as TestApp, { anonymous: false, ...options });
  } finally {
    await app.close();
  }
}

export interface RunningApp {
  base: string;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
}

/** Starts `node dist/src/main.js` on the file and waits until /health answers. */
export async function spawnApp(
  file: string,
  env: Record<string, string> = {},
): Promise<RunningApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: `sqlite:${file}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      MAIL_POLL_MS: '60000',
      CLOSE_SWEEP_MS: '3600000',
      REMINDER_SWEEP_MS: '3600000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // Never outlive the test run (a timed-out test, a crashed runner).
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', orphanGuard);
      resolve();
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited at start:\n${output}`);
    const res = await fetch(`${base}/health`).catch(() => null);
    if (res?.ok) break;
    if (Date.now() - started > 20_000) {
      child.kill('SIGKILL');
      throw new Error(`the app did not start within 20 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    base,
    process: child,
    output: () => output,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

/** The survey's answers as the JSON API takes them. */
export const ANSWERS = { answers: VALID_ANSWERS };

/** One JSON answer; the status, or 0 when the connection failed (e.g. the process was killed). */
export async function answerOnce(base: string, token: string): Promise<number> {
  try {
    const res = await fetch(`${base}/api/s/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ANSWERS),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Answers `tokens` with `connections` concurrent clients; returns each token's status. */
export async function answerAll(
  base: string,
  tokens: readonly string[],
  connections = 8,
): Promise<Map<string, number>> {
  const status = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < tokens.length) {
        const token = tokens[next++];
        status.set(token, await answerOnce(base, token));
      }
    }),
  );
  return status;
}

/** What the file holds, checked the way SECURITY.md I1 asks. */
export interface FileCheck {
  integrity: string;
  foreignKeyProblems: number;
  /** Acknowledged tokens whose invitation is not answered or has not exactly one full response. */
  lost: string[];
  /** Invitations with more than one response. */
  doubled: number;
  /** Responses whose invitation is not claimed, and claimed invitations without a response. */
  orphans: number;
  /** Responses whose answer rows are not the full set of the survey's answers. */
  partial: number;
  /** Rows of answer_counts that differ from a recount of the answers. */
  countMismatches: number;
  /** Responses (each its own token) stored in all. */
  stored: number;
}

/** Opens the file (the app stopped or not) and checks every acknowledged token and the counts. */
/**
 * What `checkFile` finds in a sound file after a fault: intact, no broken key, no acknowledged answer
 * lost, none doubled, no claim without its response, no partial response, `answer_counts` equal to
 * a recount. Specs add `stored` where the count is exact.
 */
export const SOUND_FILE = {
  integrity: 'ok',
  foreignKeyProblems: 0,
  lost: [] as string[],
  doubled: 0,
  orphans: 0,
  partial: 0,
  countMismatches: 0,
};

export function checkFile(file: string, survey: Survey, acknowledged: Iterable<string>): FileCheck {
  const db = new Database(file, { timeout: 5000 });
  try {
    const invitationOf = new Map(survey.tokens.map((t, i) => [t, survey.invitationIds[i]]));
    const perInvitation = new Map(
      (
        db
          .prepare(
            `SELECT i.id AS id, i.answered AS answered, COUNT(r.id) AS responses
               FROM invitations i LEFT JOIN responses r ON r.invitation_id = i.id
              WHERE i.campaign_id = ? GROUP BY i.id`,
          )
          .all(survey.campaignId) as Array<{ id: string; answered: number; responses: number }>
      ).map((r) => [r.id, r]),
    );
    const lost = [...acknowledged].filter((t) => {
      const row = perInvitation.get(invitationOf.get(t) ?? '');
      return !row || row.answered !== 1 || row.responses !== 1;
    });
    const rows = [...perInvitation.values()];
    const recount = db
      .prepare(
        `SELECT COUNT(*) AS n FROM (
           SELECT campaign_id, kind, question_key, unit_id, value, n FROM answer_counts
           EXCEPT SELECT * FROM (${answerCountsRecountSql(true, '')})
           UNION ALL
           SELECT * FROM (SELECT * FROM (${answerCountsRecountSql(true, '')})
           EXCEPT SELECT campaign_id, kind, question_key, unit_id, value, n FROM answer_counts))`,
      )
      .get() as { n: number };
    return {
      integrity: (db.pragma('integrity_check', { simple: true }) as string) ?? '',
      foreignKeyProblems: (db.pragma('foreign_key_check') as unknown[]).length,
      lost,
      doubled: rows.filter((r) => r.responses > 1).length,
      orphans: rows.filter((r) => (r.answered === 1) !== r.responses > 0).length,
      partial: (
        db
          .prepare(
            `SELECT COUNT(*) AS n FROM responses r
              WHERE r.campaign_id = ?
                AND (SELECT COUNT(*) FROM answers a WHERE a.response_id = r.id) <> ?`,
          )
          .get(survey.campaignId, ANSWER_ROWS) as { n: number }
      ).n,
      countMismatches: recount.n,
      stored: (
        db
          .prepare('SELECT COUNT(*) AS n FROM responses WHERE campaign_id = ?')
          .get(survey.campaignId) as { n: number }
      ).n,
    };
  } finally {
    db.close();
  }
}

/** The figures a fault spec prints, one line, for the note and the report. */
export function report(fault: string, figures: Record<string, number | string>): void {
  const text = Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  process.stdout.write(`[fault ${fault}] ${text}\n`);
}
