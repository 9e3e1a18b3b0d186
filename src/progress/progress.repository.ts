import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';

/** Responses of one respondent unit on one day (UTC). */
export interface UnitDayCount {
  unitId: string;
  day: string;
  n: number;
}

/**
 * The only file of the progress feature that talks to the database: counts grouped in SQL, never
 * individual responses. The same SQL on SQLite and PostgreSQL except for the placeholders.
 */
@Injectable()
export class ProgressRepository {
  constructor(private readonly db: Db) {}

  private p(i: number): string {
    return this.db.isSqlite ? '?' : `$${i}`;
  }

  /**
   * Responses per respondent unit and day. `submitted_at` is an ISO string (the day only on
   * anonymous campaigns), so its first ten characters are the UTC day on both databases.
   */
  async responsesByUnitAndDay(campaignId: string): Promise<UnitDayCount[]> {
    const rows = (await this.db.manager.query(
      `SELECT unit_id AS "unitId", SUBSTR(submitted_at, 1, 10) AS "day", COUNT(*) AS n
       FROM responses WHERE campaign_id = ${this.p(1)}
       GROUP BY unit_id, SUBSTR(submitted_at, 1, 10)`,
      [campaignId],
    )) as { unitId: unknown; day: unknown; n: unknown }[];
    return rows.map((r) => ({ unitId: String(r.unitId), day: String(r.day), n: Number(r.n) }));
  }

  /** Reminder e-mails of the campaign sent so far (the outbox's `sent` reminders). */
  async remindersSent(campaignId: string): Promise<number> {
    const rows = (await this.db.manager.query(
      `SELECT COUNT(*) AS n FROM outbox
       WHERE campaign_id = ${this.p(1)} AND kind = 'reminder' AND status = 'sent'`,
      [campaignId],
    )) as { n: unknown }[];
    return Number(rows[0]?.n ?? 0);
  }
}
