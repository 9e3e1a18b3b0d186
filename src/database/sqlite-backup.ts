import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** A refusal or failure the CLI prints as it is (no stack). */
export class BackupError extends Error {}

export interface BackupSummary {
  file: string;
  bytes: number;
  responses: number;
  ms: number;
}

/**
 * Online backup of the SQLite database at `source` into `target` with SQLite's backup API
 * (better-sqlite3 `db.backup()`), safe while Specchio keeps answering: the copy is one consistent
 * snapshot that holds every transaction committed before it started, never a `cp` that would miss
 * the `-wal` file. The copy is written next to the target with mode 0600, checked
 * (`integrity_check`), turned into a single self-contained file (rollback journal, no `-wal`), then
 * renamed onto the target, so a target is never half written. An existing target needs `force`.
 */
export async function backupSqlite(
  source: string,
  target: string,
  o: { force?: boolean } = {},
): Promise<BackupSummary> {
  const started = Date.now();
  const from = resolve(source);
  const to = resolve(target);
  if (!existsSync(from)) throw new BackupError(`there is no database at ${from}`);
  if (from === to) throw new BackupError('the backup file must not be the database itself');
  if (existsSync(to) && !o.force)
    throw new BackupError(`${to} already exists: pass --force to replace it`);
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.partial-${process.pid}`;
  try {
    await copyInto(from, partial);
    const { responses } = checkDatabase(partial, 'the backup');
    renameSync(partial, to);
    return { file: to, bytes: statSync(to).size, responses, ms: Date.now() - started };
  } finally {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
  }
}

/**
 * Puts the backup `backup` in place of the database at `target`. The backup is checked first. A
 * target that already holds a database is replaced only with `force`, and never while a process
 * (a running Specchio) has it open: restore into a stopped or fresh instance, then start it (its
 * start-up applies the migrations a backup of an older release lacks).
 */
export async function restoreSqlite(
  backup: string,
  target: string,
  o: { force?: boolean } = {},
): Promise<BackupSummary> {
  const started = Date.now();
  const from = resolve(backup);
  const to = resolve(target);
  if (!existsSync(from)) throw new BackupError(`there is no backup at ${from}`);
  if (from === to) throw new BackupError('the backup file is the database itself');
  checkDatabase(from, 'the backup', { readonly: true });
  if (existsSync(to) && statSync(to).size > 0) {
    if (!o.force)
      throw new BackupError(
        `${to} already holds a database: stop Specchio and pass --force to replace it`,
      );
    assertNotInUse(to);
  }
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.restoring-${process.pid}`;
  try {
    await copyInto(from, partial);
    const { responses } = checkDatabase(partial, 'the restored database');
    rmSync(`${to}-wal`, { force: true });
    rmSync(`${to}-shm`, { force: true });
    renameSync(partial, to);
    return { file: to, bytes: statSync(to).size, responses, ms: Date.now() - started };
  } finally {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
  }
}

/** Copies the database at `from` into a new file `to` (mode 0600) with the backup API. */
async function copyInto(from: string, to: string): Promise<void> {
  // Made 0600 before SQLite writes into it; SQLite gives its journal the same mode.
  closeSync(openSync(to, 'wx', 0o600));
  const db = new Database(from, { fileMustExist: true, timeout: 5000 });
  try {
    // After the first step, copy the rest in one step: one consistent read of the source, which a
    // write by the running app between two steps would otherwise restart again and again.
    await db.backup(to, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } finally {
    db.close();
  }
  const copy = new Database(to, { fileMustExist: true });
  try {
    // One self-contained file: no -wal beside it (the app turns WAL on again when it opens it).
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** The file is a sound Specchio database: integrity_check ok and the migrations table present. */
function checkDatabase(
  file: string,
  what: string,
  o: { readonly?: boolean } = {},
): { responses: number } {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, readonly: o.readonly ?? false });
  } catch (err) {
    throw new BackupError(`${what} cannot be opened: ${(err as Error).message}`);
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    if (integrity !== 'ok') throw new BackupError(`${what} is damaged: ${integrity}`);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)")
      .all('schema_migrations', 'responses') as Array<{ name: string }>;
    if (tables.length !== 2) throw new BackupError(`${what} is not a Specchio database`);
    const row = db.prepare('SELECT COUNT(*) AS n FROM responses').get() as { n: number };
    return { responses: row.n };
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${what} cannot be read: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Refuses a database another process has open. In WAL mode every open connection holds a shared
 * lock on the `-shm` index, so an exclusive lock is refused at once while Specchio runs on it.
 */
function assertNotInUse(file: string): void {
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch {
    throw new BackupError(
      `${file} is in use (is Specchio running on it?): stop it before restoring`,
    );
  } finally {
    db.close();
  }
}
