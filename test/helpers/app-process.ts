// The BUILT app (dist/src/main.js) as a real child process, a private PostgreSQL cluster the
// test may stop, start and freeze, and a respondent driver that records every acknowledged token:
// the pieces of the fault specs (faults-pg-*, shutdown*, backup*).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/app-config.js';
import { runMigrations } from '../../src/database/migrate.js';
import type { TestApp } from './app.js';
import { seedSurvey, VALID_ANSWERS, type Survey, type SurveyOptions } from './survey-fixtures.js';

export const ROOT = join(import.meta.dirname, '../..');

/** Compiles dist/ when it is missing or older than the sources (the CLI wrapper's own rule). */
export function ensureBuilt(): void {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/cli.mjs'), 'help'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (run.status !== 0) throw new Error(`building dist/ failed: ${run.stderr}${run.stdout}`);
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcess {
  base: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Sends the signal and waits for the exit (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

/** Starts `node dist/src/main.js` on a free port with the given environment; waits for /health. */
export async function spawnApp(env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      LOG_LEVEL: 'warn',
      TOKEN_MAX_FAILURES_PER_ADDRESS: '10000',
      CLOSE_SWEEP_MS: '3600000',
      REMINDER_SWEEP_MS: '3600000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (done) throw new Error(`the app exited while starting:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not answer /health within 60 s:\n${out}`);
    }
    try {
      if ((await fetch(`${base}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return {
    base,
    child,
    output: () => out,
    exited,
    stop: async (signal = 'SIGTERM', graceMs = 20_000) => {
      if (!done) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, run as the postgres user),
 * never the shared one at :5432: the fault specs stop and freeze it.
 */
export class PrivatePostgres {
  readonly dir: string;
  port = 0;

  /** initdb is there and we may switch to the postgres user (root, as in CI). */
  static available(): boolean {
    return (
      existsSync(join(PG_BIN, 'initdb')) &&
      process.getuid?.() === 0 &&
      spawnSync('id', ['-u', 'postgres']).status === 0
    );
  }

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'specchio-pg-'));
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private asPostgres(cmd: string, args: string[]) {
    const run = spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`${cmd} failed: ${run.stdout}${run.stderr}`);
    return run.stdout;
  }

  async init(): Promise<void> {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    chownSync(this.dir, uid, gid);
    mkdirSync(join(this.dir, 'data'));
    chownSync(join(this.dir, 'data'), uid, gid);
    this.asPostgres('initdb', ['-D', join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres']);
    this.port = await freePort();
    await this.start();
  }

  async start(): Promise<void> {
    this.asPostgres('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-l',
      join(this.dir, 'log'),
      '-w',
      'start',
    ]);
  }

  /** `pg_ctl stop -m immediate`: every backend is killed at once, as in a crash. */
  stop(mode: 'immediate' | 'fast' = 'immediate'): void {
    this.asPostgres('pg_ctl', ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']);
  }

  /** The postmaster and its children (backends and helpers), by pid. */
  private pids(): number[] {
    const postmaster = Number(
      readFileSync(join(this.dir, 'data/postmaster.pid'), 'utf8').split('\n')[0],
    );
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], {
      encoding: 'utf8',
    })
      .stdout.split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
    return [postmaster, ...children];
  }

  /** Freezes the server (SIGSTOP to the postmaster and every backend): it hangs, as on a lost network. */
  freeze(): void {
    for (const pid of this.pids()) process.kill(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of this.pids()) process.kill(pid, 'SIGCONT');
  }

  destroy(): void {
    try {
      this.thaw();
    } catch {
      // not running
    }
    try {
      this.stop('immediate');
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Migrates the database and writes one open, non-anonymous survey (responses keep their invitation). */
export async function seedDatabase(
  databaseUrl: string,
  options: SurveyOptions = {},
): Promise<Survey> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: 'http://survey.test',
    LOG_LEVEL: 'error',
  });
  await runMigrations(config);
  const app = await createApp(config);
  await app.init();
  try {
    return await seedSurvey({ app } as TestApp, { anonymous: false, ...options });
  } finally {
    await app.close();
  }
}

/** How many answer rows one response to VALID_ANSWERS has (a multiple choice is one row per option). */
export const ANSWER_ROWS = Object.values(VALID_ANSWERS).reduce<number>(
  (n, v) => n + (Array.isArray(v) ? v.length : 1),
  0,
);

export interface Attempt {
  token: string;
  /** HTTP status, or 0 when the connection failed (refused, reset). */
  status: number;
  /** When the answer came back (ms since the epoch) and how long it took. */
  at: number;
  ms: number;
}

/**
 * Respondents answering through POST /api/s/:token: `concurrency` of them at a time, each pausing
 * `pauseMs` between answers. A respondent who gets a 503 or no answer tries again later (the token
 * goes back in the queue), as a person would; every 201 is an acknowledged answer.
 */
export class RespondentBurst {
  readonly attempts: Attempt[] = [];
  readonly acknowledged = new Set<string>();
  private queue: string[];
  private stopping = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly base: string,
    tokens: readonly string[],
    private readonly o: { concurrency?: number; pauseMs?: number } = {},
  ) {
    this.queue = [...tokens];
  }

  start(): this {
    const n = this.o.concurrency ?? 4;
    for (let i = 0; i < n; i++) this.workers.push(this.worker());
    return this;
  }

  /** Lets the answers in flight finish; stops taking new tokens. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers);
  }

  /** Waits until a 201 arrives after `since`; returns its time. */
  async nextSuccess(since: number, timeoutMs = 30_000): Promise<number> {
    return this.waitFor((a) => a.at > since && a.status === 201, timeoutMs);
  }

  /** Waits until any answer but a 201 arrives after `since`; returns its time. */
  async nextFailure(since: number, timeoutMs = 30_000): Promise<number> {
    return this.waitFor((a) => a.at > since && a.status !== 201, timeoutMs);
  }

  private async waitFor(p: (a: Attempt) => boolean, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.attempts.find(p);
      if (hit) return hit.at;
      if (Date.now() > deadline) throw new Error('the awaited answer did not come');
      await sleep(10);
    }
  }

  since(t: number): Attempt[] {
    return this.attempts.filter((a) => a.at > t);
  }

  private async worker(): Promise<void> {
    while (!this.stopping) {
      const token = this.queue.shift();
      if (!token) return;
      const started = Date.now();
      let status = 0;
      try {
        const res = await fetch(`${this.base}/api/s/${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answers: VALID_ANSWERS }),
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      const at = Date.now();
      this.attempts.push({ token, status, at, ms: at - started });
      if (status === 201) this.acknowledged.add(token);
      else if (status === 503 || status === 0) this.queue.push(token);
      await sleep(status === 201 ? (this.o.pauseMs ?? 20) : 50);
    }
  }
}

export interface StoredState {
  /** invitation id → number of responses linked to it and their answer rows. */
  responses: Map<string, { responses: number; answers: number; answered: boolean }>;
}

const STATE_SQL = `SELECT i.id AS id, i.answered AS answered,
    (SELECT COUNT(*) FROM responses r WHERE r.invitation_id = i.id) AS responses,
    (SELECT COUNT(*) FROM answers a JOIN responses r ON r.id = a.response_id
      WHERE r.invitation_id = i.id) AS answers
  FROM invitations i WHERE i.campaign_id = `;

/** Reads, straight from the database, what each invitation of the campaign has stored. */
export async function storedState(databaseUrl: string, campaignId: string): Promise<StoredState> {
  let rows: Array<{ id: string; answered: unknown; responses: unknown; answers: unknown }>;
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    rows = db.prepare(`${STATE_SQL}?`).all(campaignId) as typeof rows;
    db.close();
  } else {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    rows = (await c.query(`${STATE_SQL}$1`, [campaignId])).rows;
    await c.end();
  }
  return {
    responses: new Map(
      rows.map((r) => [
        r.id,
        {
          responses: Number(r.responses),
          answers: Number(r.answers),
          answered: r.answered === true || Number(r.answered) === 1,
        },
      ]),
    ),
  };
}

/**
 * The data check of every fault: each acknowledged token has exactly one response with all its
 * answers, no invitation has two, and no response lacks its answers. Returns how many were stored.
 */
export function expectEveryAcknowledgedStoredOnce(
  state: StoredState,
  survey: Survey,
  acknowledged: ReadonlySet<string>,
): { acknowledged: number; stored: number; storedNotAcknowledged: string[] } {
  const byToken = new Map(survey.tokens.map((t, i) => [t, survey.invitationIds[i]]));
  const problems: string[] = [];
  for (const token of acknowledged) {
    const s = state.responses.get(byToken.get(token)!);
    if (!s || s.responses !== 1 || s.answers !== ANSWER_ROWS || !s.answered)
      problems.push(`acknowledged ${token.slice(0, 6)}…: ${JSON.stringify(s)}`);
  }
  let stored = 0;
  const tokenOf = new Map(survey.invitationIds.map((id, i) => [id, survey.tokens[i]]));
  const storedNotAcknowledged: string[] = [];
  for (const [id, s] of state.responses) {
    if (s.responses === 1 && !acknowledged.has(tokenOf.get(id)!))
      storedNotAcknowledged.push(tokenOf.get(id)!);
    if (s.responses > 1) problems.push(`invitation ${id} has ${s.responses} responses`);
    if (s.responses === 1 && s.answers !== ANSWER_ROWS)
      problems.push(`invitation ${id} has ${s.answers} answer rows`);
    if (s.answered !== (s.responses === 1))
      problems.push(`invitation ${id}: answered=${s.answered}, responses=${s.responses}`);
    stored += s.responses;
  }
  if (problems.length) throw new Error(`stored data do not match:\n${problems.join('\n')}`);
  return { acknowledged: acknowledged.size, stored, storedNotAcknowledged };
}
