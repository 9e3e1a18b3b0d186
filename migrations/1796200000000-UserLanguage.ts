import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each user's interface language (issue 8), remembered across pages and sessions. NULL means
 * "not chosen yet": the browser's Accept-Language decides. A plain ADD COLUMN, as for disabled_at.
 */
export class UserLanguage1796200000000 implements MigrationInterface {
  name = 'UserLanguage1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN language varchar(8) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN language`);
  }
}
