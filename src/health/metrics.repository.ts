import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';
import { OutboxEntity } from '../database/schema/outbox.entity.js';
import type { OutboxStatus } from '../domain/delivery.js';

/** What /metrics reads from the database at scrape time (shared by every app instance). */
@Injectable()
export class MetricsRepository {
  constructor(private readonly db: Db) {}

  /** Outbox messages per status: queued (waiting), sending, sent, failed, cancelled. */
  async outboxByStatus(): Promise<Array<{ status: OutboxStatus; n: number }>> {
    const rows = await this.db.manager
      .createQueryBuilder(OutboxEntity, 'o')
      .select('o.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('o.status')
      .getRawMany<{ status: OutboxStatus; n: string | number }>();
    return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
  }
}
