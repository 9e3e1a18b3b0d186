// Backup and restore drill (shared/research/SECURITY.md I8) on the BUILT app as a child process:
// respondents keep answering while the backup is taken (SQLite: `npm run cli -- backup`, the online
// backup API; PostgreSQL: `pg_dump -Fc`, as the README says), the backup is restored into a fresh
// instance (`cli restore` / `pg_restore`), and that instance holds every answer acknowledged
// before the backup started, each once and whole, and answers again.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dbKinds, type DbKind, freshDatabase } from '../helpers/app.js';
import {
  ensureBuilt,
  expectEveryAcknowledgedStoredOnce,
  RespondentBurst,
  ROOT,
  seedDatabase,
  spawnApp,
  storedState,
} from '../helpers/app-process.js';
import { VALID_ANSWERS } from '../helpers/survey-fixtures.js';

interface Run {
  code: number | null;
  out: string;
  started: number;
  ended: number;
}

/** Runs a command without blocking the event loop (the respondents keep answering meanwhile). */
function runAsync(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, started, ended: Date.now() }));
  });
}

const cli = (args: string[], databaseUrl: string) =>
  runAsync(process.execPath, [join(ROOT, 'scripts/cli.mjs'), ...args], {
    DATABASE_URL: databaseUrl,
    SPECCHIO_CLI_BUILD: 'never',
  });

/** The backup and restore of each database, as the README tells an operator to run them. */
const TOOLS: Record<
  DbKind,
  {
    backup(url: string, file: string): Promise<Run>;
    restore(file: string, url: string): Promise<Run>;
  }
> = {
  sqlite: {
    backup: (url, file) => cli(['backup', file], url),
    restore: (file, url) => cli(['restore', file], url),
  },
  postgres: {
    backup: (url, file) =>
      runAsync('sh', ['-c', 'umask 077 && pg_dump -Fc -f "$1" "$2"', 'sh', file, url]),
    restore: (file, url) =>
      runAsync('pg_restore', ['--no-owner', '--exit-on-error', '-d', url, file]),
  },
};

beforeAll(() => ensureBuilt(), 240_000);

describe.each(dbKinds())('backup during answering and restore on %s', (kind) => {
  it('restores into a fresh instance every answer acknowledged before the backup', async () => {
    const live = await freshDatabase(kind);
    const fresh = await freshDatabase(kind);
    const dir = mkdtempSync(join(tmpdir(), 'specchio-backup-'));
    const file = join(dir, kind === 'sqlite' ? 'specchio-backup.sqlite' : 'specchio.dump');
    try {
      const survey = await seedDatabase(live.url, { invitees: 2000 });
      const app = await spawnApp({ DATABASE_URL: live.url });
      const burst = new RespondentBurst(app.base, survey.tokens.slice(0, 1500), {
        concurrency: 6,
        pauseMs: 0,
      }).start();
      let backup: Run;
      let before: Set<string>;
      try {
        await burst.nextSuccess(0);
        await new Promise((r) => setTimeout(r, 1000));
        before = new Set(burst.acknowledged);
        backup = await TOOLS[kind].backup(live.url, file);
        expect(backup.out).not.toMatch(/error/i);
        expect(backup.code).toBe(0);
        // Respondents were answering during the whole backup.
        const during = burst.attempts.filter(
          (a) => a.status === 201 && a.at > backup.started && a.at < backup.ended,
        );
        expect(during.length).toBeGreaterThan(0);

        if (kind === 'sqlite') {
          // Restoring over the live database is refused, even with --force.
          const refused = await cli(['restore', file, '--force'], live.url);
          expect(refused.code).toBe(1);
          expect(refused.out).toContain('is in use (is Specchio running on it?)');
          // Replacing an existing file needs --force.
          const again = await cli(['backup', file], live.url);
          expect(again.code).toBe(1);
          expect(again.out).toContain('already exists: pass --force');
        }
      } finally {
        await burst.stop();
        expect(await app.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      }

      // The backup file: readable by its owner only, no raw survey token in it.
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const bytes = readFileSync(file);
      for (const token of [...before].slice(0, 50)) expect(bytes.includes(token)).toBe(false);

      const restore = await TOOLS[kind].restore(file, fresh.url);
      expect(restore.out).not.toMatch(/error/i);
      expect(restore.code).toBe(0);
      if (kind === 'sqlite') {
        const check = new Database(fresh.url.slice('sqlite:'.length), { readonly: true });
        expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
        check.close();
        expect(statSync(fresh.url.slice('sqlite:'.length)).mode & 0o777).toBe(0o600);
        // A second restore onto the restored (now non-empty) database needs --force.
        const again = await cli(['restore', file], fresh.url);
        expect(again.code).toBe(1);
        expect(again.out).toContain('already holds a database');
        // A file that is not a sound database is refused before anything is replaced.
        const junk = join(dir, 'junk.sqlite');
        writeFileSync(junk, 'not a database '.repeat(500));
        const bad = await cli(['restore', junk], `sqlite:${join(dir, 'never.sqlite')}`);
        expect(bad.code).toBe(1);
        expect(bad.out).toMatch(/the backup cannot be (opened|read)/);
        expect(existsSync(join(dir, 'never.sqlite'))).toBe(false);
      }

      const restored = await storedState(fresh.url, survey.campaignId);
      const counts = expectEveryAcknowledgedStoredOnce(restored, survey, before);
      // Nothing in the backup that the live database does not hold.
      const final = await storedState(live.url, survey.campaignId);
      expectEveryAcknowledgedStoredOnce(final, survey, burst.acknowledged);
      for (const [id, s] of restored.responses)
        if (s.responses) expect(final.responses.get(id)!.responses).toBe(1);

      // The restored instance starts and answers: an unanswered link works, an answered one is used.
      const second = await spawnApp({ DATABASE_URL: fresh.url });
      try {
        const unused = survey.tokens[survey.tokens.length - 1];
        const post = (token: string) =>
          fetch(`${second.base}/api/s/${token}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ answers: VALID_ANSWERS }),
          });
        expect((await post(unused)).status).toBe(201);
        expect((await post([...before][0])).status).toBe(409);
      } finally {
        await second.stop('SIGTERM');
      }
      console.log(
        `backup on ${kind}: ${JSON.stringify({
          acknowledgedBeforeBackup: before.size,
          inBackup: counts.stored,
          acknowledgedInTotal: burst.acknowledged.size,
          answeredDuringBackup: burst.attempts.filter(
            (a) => a.status === 201 && a.at > backup.started && a.at < backup.ended,
          ).length,
          backupMs: backup.ended - backup.started,
          restoreMs: restore.ended - restore.started,
          backupBytes: statSync(file).size,
          cli: [backup.out.trim(), restore.out.trim()].filter(Boolean),
        })}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await live.drop();
      await fresh.drop();
    }
  }, 180_000);
});
