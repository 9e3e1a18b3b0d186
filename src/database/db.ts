import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import type Database from 'better-sqlite3';
import { DataSource, type EntityManager } from 'typeorm';
import { toUnavailable } from '../common/driver-errors.js';

/**
 * The only door for writes.
 *
 * TypeORM's better-sqlite3 driver shares ONE connection and ONE query runner across the
 * process, so two requests' transactions would nest as savepoints and one request's rollback
 * could undo another's acknowledged write (shared/research/SECURITY.md §4.1). On SQLite every
 * write therefore runs under one process-wide FIFO mutex; the hot submission path instead runs
 * as a single synchronous better-sqlite3 transaction, which cannot interleave with anything.
 * On PostgreSQL each write is an ordinary pooled transaction.
 */
@Injectable()
export class Db {
  private readonly mutex = new Mutex();
  readonly isSqlite: boolean;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Runs `work` in one transaction. Do only database work inside: no hashing, no mail, no I/O. */
  async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return translate(() => this.dataSource.transaction(work));
    return this.mutex.runExclusive(() => translate(() => this.dataSource.transaction(work)));
  }

  /**
   * SQLite only: runs `work` as one synchronous IMMEDIATE transaction on the raw connection.
   * If an async transaction is open (its holder awaits a query), wait for the mutex first so we
   * never become a savepoint inside someone else's transaction.
   */
  async sqliteSync<T>(work: (db: Database.Database) => T): Promise<T> {
    const db = this.rawSqlite();
    const run = () => translate(() => db.transaction(() => work(db)).immediate());
    if (!db.inTransaction && !this.mutex.isLocked()) return run();
    return this.mutex.runExclusive(run);
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

/** Database unavailability (locked file, full disk, lost server) becomes a 503, not a 500. */
async function translate<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toUnavailable(err) ?? err;
  }
}
