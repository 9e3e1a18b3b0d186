import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex, withTimeout } from 'async-mutex';
import type Database from 'better-sqlite3';
import { DataSource, type EntityManager } from 'typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { driverCode, isBusy, toUnavailable, unavailable } from '../common/driver-errors.js';
import { AppConfig } from '../config/app-config.js';

/**
 * The only door for writes.
 *
 * TypeORM's better-sqlite3 driver shares ONE connection and ONE query runner across the
 * process, so two requests' transactions would nest as savepoints and one request's rollback
 * could undo another's acknowledged write (shared/research/SECURITY.md §4.1). On SQLite every
 * write therefore runs under one process-wide FIFO mutex; the hot submission path instead runs
 * as a single synchronous better-sqlite3 transaction, which cannot interleave with anything.
 * On PostgreSQL each write is an ordinary pooled transaction.
 *
 * Another process holding the SQLite write lock (a backup, the CLI, a `sqlite3` shell): every
 * attempt to take the lock waits at most SQLITE_BUSY_ATTEMPT_MS synchronously, then the write
 * waits asynchronously (back-off, the event loop keeps serving reads and /health) and tries again,
 * until SQLITE_BUSY_TIMEOUT_MS has passed: then it is refused with 503 + Retry-After. The lock is
 * always taken before any of the work runs, so a refused write has done nothing.
 */
@Injectable()
export class Db {
  private readonly mutex = new Mutex();
  private readonly logger = new Logger('Database');
  readonly isSqlite: boolean;

  /** How long a SQLite write waits for another process's lock before it is refused (ms). */
  private readonly busyTimeoutMs: number;

  /**
   * The code of the last write the database refused for lack of space or an I/O error, until a
   * write succeeds again (what /health reports as degraded, see writesRecovered()).
   */
  private writeFailure: string | null = null;

  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
    this.busyTimeoutMs = config.env.SQLITE_BUSY_TIMEOUT_MS;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Runs `work` in one transaction. Do only database work inside: no hashing, no mail, no I/O.
   * `lockWaitMs` (SQLite): how long to wait for the write lock (another process's, or this
   * process's other writers) before the 503, for a write that may give up sooner than
   * SQLITE_BUSY_TIMEOUT_MS (one the caller may skip).
   */
  async write<T>(
    work: (manager: EntityManager) => Promise<T>,
    options: { lockWaitMs?: number } = {},
  ): Promise<T> {
    if (!this.isSqlite) return translate(() => this.dataSource.transaction(work));
    const deadline = Date.now() + Math.min(options.lockWaitMs ?? Infinity, this.busyTimeoutMs);
    // With lockWaitMs, waiting for this process's other writers is bounded by it too.
    const mutex =
      options.lockWaitMs === undefined
        ? this.mutex
        : withTimeout(this.mutex, Math.max(1, options.lockWaitMs), unavailable());
    return mutex.runExclusive(() =>
      this.track(() =>
        this.retryWhileBusy(deadline, async () => {
          let locked = false;
          try {
            return await this.dataSource.transaction(async (m) => {
              // TypeORM begins DEFERRED: take the write lock first, before any work, so that a
              // busy lock refuses the whole write with nothing done (and is safe to retry).
              await m.query(TAKE_WRITE_LOCK);
              locked = true;
              return work(m);
            });
          } catch (err) {
            if (locked && isBusy(err)) throw new LockedMidway(err);
            throw err;
          } finally {
            this.repairQueryRunner();
          }
        }),
      ),
    );
  }

  /**
   * After SQLite rolled a transaction back by itself (SQLITE_FULL, SQLITE_IOERR), TypeORM's
   * ROLLBACK fails and its shared query runner would believe a transaction is still open, making
   * every later write a savepoint of nothing. Put it back in step with the connection.
   */
  private repairQueryRunner(): void {
    const runner = this.dataSource.createQueryRunner() as unknown as {
      isTransactionActive: boolean;
      transactionDepth: number;
    };
    if (!runner.isTransactionActive || this.rawSqlite().inTransaction) return;
    runner.isTransactionActive = false;
    runner.transactionDepth = 0;
  }

  /**
   * Runs `attempt` until it does not fail with SQLITE_BUSY or `deadline` has passed, waiting
   * asynchronously between attempts (10 ms doubling up to 200 ms). Only for attempts that take
   * the write lock before doing anything.
   */
  private async retryWhileBusy<T>(deadline: number, attempt: () => T | Promise<T>): Promise<T> {
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      try {
        return await attempt();
      } catch (err) {
        const left = deadline - Date.now();
        if (!isBusy(err) || err instanceof LockedMidway || left <= 0) {
          throw err instanceof LockedMidway ? err.cause : err;
        }
        await sleep(Math.min(wait, left));
      }
    }
  }

  /** Runs a write, translating unavailability into 503 and remembering a write the disk refused. */
  private async track<T>(write: () => Promise<T>): Promise<T> {
    try {
      const result = await translate(write);
      if (this.writeFailure) this.logger.log('writes succeed again');
      this.writeFailure = null;
      return result;
    } catch (err) {
      const code = writeFailureCode(err);
      if (code) {
        if (this.writeFailure !== code) {
          this.logger.error(
            `writes refused by the database (${code}): answering 503 until they succeed`,
          );
        }
        this.writeFailure = code;
      }
      throw err;
    }
  }

  /**
   * SQLite only: runs `work` as one synchronous IMMEDIATE transaction on the raw connection.
   * If an async transaction is open (its holder awaits a query), wait for the mutex first so we
   * never become a savepoint inside someone else's transaction.
   */
  async sqliteSync<T>(work: (db: Database.Database) => T): Promise<T> {
    const db = this.rawSqlite();
    const deadline = Date.now() + this.busyTimeoutMs;
    // BEGIN IMMEDIATE takes the lock before `work` runs: a busy attempt has done nothing.
    const once = () => db.transaction(() => work(db)).immediate();
    if (!db.inTransaction && !this.mutex.isLocked()) {
      try {
        return await this.track(async () => once());
      } catch (err) {
        // Busy: wait for the lock in turn with the other writers, without blocking the loop.
        if (!isBusy(err)) throw err;
      }
    }
    return this.mutex.runExclusive(() => this.track(() => this.retryWhileBusy(deadline, once)));
  }

  /**
   * SQLite only: group commit for the hot submission path. Concurrent callers are collected for
   * one tick and run in ONE immediate transaction, each inside its own savepoint: a caller whose
   * work throws is rolled back alone and gets its error; the others are acknowledged only after the
   * shared COMMIT (one fsync for the batch instead of one per request). If the COMMIT fails, every
   * caller of the batch gets the error: nothing is acknowledged that was not made durable.
   */
  sqliteBatched<T>(work: (db: Database.Database) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.batch.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (this.batch.length === 1) setImmediate(() => void this.flushBatch());
    });
  }

  private batch: Array<{
    work: (db: Database.Database) => unknown;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }> = [];

  private async flushBatch(): Promise<void> {
    const items = this.batch.splice(0, MAX_BATCH);
    if (this.batch.length) setImmediate(() => void this.flushBatch());
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.sqliteSync((db) => {
        outcomes.length = 0;
        for (const item of items) {
          try {
            outcomes.push({ ok: true, value: db.transaction(() => item.work(db))() });
          } catch (error) {
            // SQLite rolled the whole batch back by itself (SQLITE_FULL, SQLITE_IOERR): the later
            // callers must not run in transactions of their own; the batch fails as one.
            if (!db.inTransaction) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (err) {
      for (const item of items) item.reject(err);
      return;
    }
    items.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(toUnavailable(outcome.error) ?? outcome.error);
    });
  }

  rawSqlite(): Database.Database {
    return (this.dataSource.driver as unknown as { databaseConnection: Database.Database })
      .databaseConnection;
  }

  /** A server-wide secret kept in the database, so every instance shares it; made on first use. */
  async secret(name: string, make: () => string): Promise<string> {
    const p = this.isSqlite ? ['?', '?'] : ['$1', '$2'];
    await this.write((m) =>
      m.query(
        `INSERT INTO settings (name, value) VALUES (${p[0]}, ${p[1]}) ON CONFLICT (name) DO NOTHING`,
        [name, make()],
      ),
    );
    const rows = (await this.manager.query(`SELECT value FROM settings WHERE name = ${p[0]}`, [
      name,
    ])) as Array<{
      value: string;
    }>;
    return rows[0].value;
  }

  /**
   * While writes are being refused for lack of space or an I/O error, a tiny write (one row of
   * `settings`) tells whether they succeed again; null when no write has been refused. Nothing is
   * written while writes succeed.
   */
  async writesRecovered(): Promise<boolean | null> {
    if (!this.writeFailure) return null;
    const p = this.isSqlite ? ['?', '?'] : ['$1', '$2'];
    try {
      await this.write((m) =>
        m.query(
          `INSERT INTO settings (name, value) VALUES (${p[0]}, ${p[1]})
           ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
          ['health.write-probe', new Date().toISOString()],
        ),
      );
      return true;
    } catch {
      return false;
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}

/** Submissions per group commit: large enough to share an fsync, small enough to keep latency low. */
const MAX_BATCH = 256;

/**
 * A write statement that matches nothing but makes SQLite take the write lock of a DEFERRED
 * transaction (SQLITE_BUSY here when another process holds it).
 */
const TAKE_WRITE_LOCK = 'UPDATE settings SET value = value WHERE 0';

/** SQLITE_BUSY after the lock was taken (not expected in WAL mode): never retried, the work ran. */
class LockedMidway extends Error {
  constructor(override readonly cause: unknown) {
    super('database busy after the write lock was taken');
  }
}

/** Database unavailability (locked file, full disk, lost server) becomes a 503, not a 500. */
async function translate<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toUnavailable(err) ?? err;
  }
}

/** SQLITE_FULL / SQLITE_IOERR* / SQLITE_READONLY / SQLITE_CANTOPEN of a refused write, else null. */
function writeFailureCode(err: unknown): string | null {
  const code = driverCode(err);
  return /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/.test(code) ? code : null;
}
