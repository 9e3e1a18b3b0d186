import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Db } from './db.js';

/** One counter of a `take`: with a limit it refuses once `limit` hits sit in the window. */
export interface ThrottleStep {
  key: string;
  limit?: number;
}

export interface ThrottleTake {
  /** False when a step's counter was already at its limit; then no counter moved. */
  allowed: boolean;
  /** The counts after this take, one per step (those after a refusal are 0). */
  hits: number[];
  /** Seconds until the window resets. */
  retryAfter: number;
  /** The window the counts belong to, for `settle`. */
  windowStart: number;
}

/** Rows of a raw query, whether the driver answers `rows` or `[rows, count]`. */
const recordsOf = (result: unknown): Array<Record<string, unknown>> => {
  const r = result as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as Array<Record<string, unknown>>;
};

/**
 * Fixed-window counters kept in the database, so every app instance sees the same counts
 * (an in-memory counter would reset per process and per restart).
 *
 * Every count is taken by ONE statement that increments first and returns the new count
 * (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), so concurrent requests can never all read the
 * same old count: the caller decides on the count its own increment produced.
 */
@Injectable()
export class ThrottleRepository {
  constructor(private readonly db: Db) {}

  /**
   * Adds one hit to `key` in the current window (a new window starts at 1). With a `limit` the
   * increment is conditional: a counter already at `limit` in this window is left alone and
   * nothing is returned (null).
   */
  private async increment(
    m: EntityManager,
    key: string,
    start: number,
    limit: number | undefined,
  ): Promise<number | null> {
    // One statement: the increment (or a new window) and the count it produced, or no row when
    // the counter already sits at `limit` in this window.
    const result: unknown =
      limit === undefined
        ? await m.sql`
            INSERT INTO throttle_counters (counter_key, window_start, hits) VALUES (${key}, ${start}, 1)
            ON CONFLICT (counter_key) DO UPDATE SET
              hits = CASE WHEN throttle_counters.window_start = ${start}
                THEN throttle_counters.hits + 1 ELSE 1 END,
              window_start = ${start}
            RETURNING hits`
        : await m.sql`
            INSERT INTO throttle_counters (counter_key, window_start, hits) VALUES (${key}, ${start}, 1)
            ON CONFLICT (counter_key) DO UPDATE SET
              hits = CASE WHEN throttle_counters.window_start = ${start}
                THEN throttle_counters.hits + 1 ELSE 1 END,
              window_start = ${start}
            WHERE throttle_counters.window_start <> ${start} OR throttle_counters.hits < ${limit}
            RETURNING hits`;
    const row = recordsOf(result)[0];
    return row ? Number(row.hits) : null;
  }

  private async decrement(m: EntityManager, key: string, start: number): Promise<void> {
    await m.sql`UPDATE throttle_counters SET hits = hits - 1
      WHERE counter_key = ${key} AND window_start = ${start} AND hits > 0`;
  }

  /**
   * Takes one hit on every step, in order, in one transaction: each step's counter is incremented
   * only while it is below its limit. If one refuses, the steps already taken are given back and
   * the take is refused, so a refused request moves no counter. Callers always list the same kinds
   * of keys in the same order, so concurrent PostgreSQL transactions cannot deadlock.
   */
  async take(
    steps: readonly ThrottleStep[],
    windowMs: number,
    now = Date.now(),
  ): Promise<ThrottleTake> {
    const start = now - (now % windowMs);
    const retryAfter = Math.ceil((start + windowMs - now) / 1000);
    return this.db.write(async (m) => {
      const hits: number[] = steps.map(() => 0);
      for (let i = 0; i < steps.length; i++) {
        const got = await this.increment(m, steps[i].key, start, steps[i].limit);
        if (got === null) {
          for (let j = i - 1; j >= 0; j--) await this.decrement(m, steps[j].key, start);
          return { allowed: false, hits: steps.map(() => 0), retryAfter, windowStart: start };
        }
        hits[i] = got;
      }
      return { allowed: true, hits, retryAfter, windowStart: start };
    });
  }

  /**
   * After a success: deletes the `cleared` counters and gives back one hit on each `refunded` one
   * (if its window is still `windowStart`), in one transaction.
   */
  async settle(
    cleared: readonly string[],
    refunded: readonly string[],
    windowStart: number,
  ): Promise<void> {
    await this.db.write(async (m) => {
      for (const key of cleared)
        await m.sql`DELETE FROM throttle_counters WHERE counter_key = ${key}`;
      for (const key of refunded) await this.decrement(m, key, windowStart);
    });
  }

  /** Deletes the counters whose window started before `before` (all ended by then). */
  async sweep(before: number): Promise<void> {
    await this.db.write((m) => m.sql`DELETE FROM throttle_counters WHERE window_start < ${before}`);
  }
}
