import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unit managers (issue 9): the unit whose subtree a manager's reports are limited to. NULL for
 * every other role. A plain ADD COLUMN (no table rebuild on SQLite); the foreign key keeps a
 * manager's unit from being deleted (the unit delete answers "still in use"), so a manager never
 * loses their scope.
 */
export class UserScopeUnit1796600000000 implements MigrationInterface {
  name = 'UserScopeUnit1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE users ADD COLUMN scope_unit_id varchar(36) NULL REFERENCES units(id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN scope_unit_id`);
  }
}
