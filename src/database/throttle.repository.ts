import { Injectable } from '@nestjs/common';
import { Db } from './db.js';

export interface ThrottleState {
  hits: number;
  /** Seconds until the window resets. */
  retryAfter: number;
}

/**
 * Fixed-window counters kept in the database, so every app instance sees the same counts
 * (an in-memory counter would reset per process and per restart).
 */
@Injectable()
export class ThrottleRepository {
  constructor(private readonly db: Db) {}

  async hit(key: string, windowMs: number, now = Date.now()): Promise<ThrottleState> {
    const start = now - (now % windowMs);
    const p = this.db.isSqlite ? '?' : '$';
    const ph = (n: number) => (p === '?' ? '?' : `$${n}`);
    const sql =
      `INSERT INTO throttle_counters (counter_key, window_start, hits) VALUES (${ph(1)}, ${ph(2)}, 1) ` +
      `ON CONFLICT (counter_key) DO UPDATE SET ` +
      `hits = CASE WHEN throttle_counters.window_start = ${ph(3)} THEN throttle_counters.hits + 1 ELSE 1 END, ` +
      `window_start = ${ph(4)} RETURNING hits`;
    const rows = await this.db.write((m) => m.query(sql, [key, start, start, start]));
    const row = (Array.isArray(rows[0]) ? rows[0][0] : rows[0]) as { hits: number | string };
    return { hits: Number(row.hits), retryAfter: Math.ceil((start + windowMs - now) / 1000) };
  }

  async peek(key: string, windowMs: number, now = Date.now()): Promise<ThrottleState> {
    const start = now - (now % windowMs);
    const rows = (await this.db.manager.query(
      `SELECT hits, window_start FROM throttle_counters WHERE counter_key = ${this.db.isSqlite ? '?' : '$1'}`,
      [key],
    )) as Array<{ hits: number | string; window_start: number | string }>;
    const row = rows[0];
    const hits = row && Number(row.window_start) === start ? Number(row.hits) : 0;
    return { hits, retryAfter: Math.ceil((start + windowMs - now) / 1000) };
  }

  async clear(key: string): Promise<void> {
    await this.db.write((m) =>
      m.query(
        `DELETE FROM throttle_counters WHERE counter_key = ${this.db.isSqlite ? '?' : '$1'}`,
        [key],
      ),
    );
  }
}
