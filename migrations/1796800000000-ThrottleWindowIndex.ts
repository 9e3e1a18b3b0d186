import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: the sweep deletes throttle counters whose window has ended
 * (`DELETE … WHERE window_start < ?`); this index keeps it from reading the whole table, which an
 * attacker spraying many e-mails from many addresses can make large.
 */
export class ThrottleWindowIndex1796800000000 implements MigrationInterface {
  name = 'ThrottleWindowIndex1796800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX throttle_counters_window_start ON throttle_counters (window_start)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX throttle_counters_window_start`);
  }
}
