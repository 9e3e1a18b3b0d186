import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The close digest (issue 9): the users a campaign's digest goes to (a JSON array of user ids,
 * NULL: nobody) and when it was claimed for sending (NULL: not yet). Plain ADD COLUMNs, as for
 * the schedule columns: no table rebuild on SQLite.
 */
export class CampaignDigest1796700000000 implements MigrationInterface {
  name = 'CampaignDigest1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns ADD COLUMN digest_recipients text NULL`);
    await q.query(`ALTER TABLE campaigns ADD COLUMN digest_sent_at varchar(30) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaigns DROP COLUMN digest_sent_at`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN digest_recipients`);
  }
}
