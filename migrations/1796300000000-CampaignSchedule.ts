import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 8: the campaign schedule. `opens_at` (a draft with it set is scheduled: the close sweep
 * launches it when the time comes), the automatic reminder plan (`reminder_after_days`,
 * `reminder_max`: the first round that many days after launch, then every that many days, at most
 * that many rounds) and its progress (`auto_reminders`, `last_auto_reminder_at`: the worker claims
 * a round with a conditional UPDATE on them, so two instances never both send one). Plain ADD
 * COLUMNs on both databases (no table rebuild).
 */
export class CampaignSchedule1796300000000 implements MigrationInterface {
  name = 'CampaignSchedule1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns ADD COLUMN opens_at varchar(30) NULL`);
    await q.query(`ALTER TABLE campaigns ADD COLUMN reminder_after_days integer NULL`);
    await q.query(`ALTER TABLE campaigns ADD COLUMN reminder_max integer NULL`);
    await q.query(`ALTER TABLE campaigns ADD COLUMN auto_reminders integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE campaigns ADD COLUMN last_auto_reminder_at varchar(30) NULL`);
    await q.query(`CREATE INDEX idx_campaigns_status_opens_at ON campaigns (status, opens_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_campaigns_status_opens_at`);
    for (const column of [
      'last_auto_reminder_at',
      'auto_reminders',
      'reminder_max',
      'reminder_after_days',
      'opens_at',
    ])
      await q.query(`ALTER TABLE campaigns DROP COLUMN ${column}`);
  }
}
