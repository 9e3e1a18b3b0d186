import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A user can be disabled (issue 8): `disabled_at` set means no sign-in, no session and no API
 * token is accepted. A plain ADD COLUMN (no table rebuild: sessions and api_tokens cascade from
 * users on SQLite).
 */
export class UserDisabled1796100000000 implements MigrationInterface {
  name = 'UserDisabled1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN disabled_at varchar(30) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN disabled_at`);
  }
}
