import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ADVISORY_LOCK } from './advisory-locks.js';
import { dataSourceOptions } from './data-source-options.js';

/**
 * Applies pending migrations with a short-lived connection of its own; returns their names.
 * On PostgreSQL the run holds an advisory lock, so instances starting together on one database
 * migrate one after the other: the first applies the migrations, the others wait (however long
 * that takes) and find none pending. Neither the wait nor a migration (a back-fill over a large
 * table) is cut short by DB_STATEMENT_TIMEOUT_MS, which is meant for requests.
 */
export async function runMigrations(config: AppConfig): Promise<string[]> {
  const options = dataSourceOptions(config);
  const ds = new DataSource(
    options.type === 'postgres'
      ? {
          ...options,
          extra: {
            ...options.extra,
            max: Math.max(2, config.env.DB_POOL_SIZE), // the lock's connection and the migrations'
            statement_timeout: 0,
            query_timeout: undefined,
            idle_in_transaction_session_timeout: 0,
          },
        }
      : options,
  );
  await ds.initialize();
  try {
    if (config.databaseKind !== 'postgres') return await migrate(ds);
    // The lock lives on this connection; the migrations run on another one of the pool.
    const lock = ds.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK.migrations]);
      try {
        return await migrate(ds);
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK.migrations]);
      }
    } finally {
      await lock.release();
    }
  } finally {
    await ds.destroy();
  }
}

async function migrate(ds: DataSource): Promise<string[]> {
  const done = await ds.runMigrations({ transaction: 'each' });
  return done.map((m) => m.name);
}
