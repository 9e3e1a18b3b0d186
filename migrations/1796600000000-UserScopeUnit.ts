import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unit managers (issue 9): the role `manager`, and the unit whose subtree a manager's reports are
 * limited to (`scope_unit_id`, NULL for every other role). The foreign key keeps a manager's unit
 * from being deleted (the unit delete answers "still in use"), so a manager never loses their scope.
 *
 * The role's CHECK constraint must admit 'manager'. PostgreSQL replaces the constraint. SQLite
 * cannot alter a constraint, so the table is rebuilt (SQLite's documented procedure); dropping
 * the old table would cascade to the users' sessions and API tokens, so they are kept aside in
 * temporary tables and put back: nobody is signed out by the upgrade.
 */
export class UserScopeUnit1796600000000 implements MigrationInterface {
  name = 'UserScopeUnit1796600000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.driver.options.type !== 'better-sqlite3') {
      await q.query(`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check`);
      await q.query(
        `ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'analyst', 'manager'))`,
      );
      await q.query(
        `ALTER TABLE users ADD COLUMN scope_unit_id varchar(36) NULL REFERENCES units(id)`,
      );
      return;
    }
    await q.query(`CREATE TEMP TABLE keep_sessions AS SELECT * FROM sessions`);
    await q.query(`CREATE TEMP TABLE keep_api_tokens AS SELECT * FROM api_tokens`);
    await q.query(
      `CREATE TABLE users_new (
        id varchar(36) PRIMARY KEY,
        email varchar(320) NOT NULL UNIQUE,
        password_hash varchar(255) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('admin', 'analyst', 'manager')),
        created_at varchar(30) NOT NULL,
        disabled_at varchar(30) NULL,
        language varchar(8) NULL,
        scope_unit_id varchar(36) NULL REFERENCES units(id)
      )`,
    );
    await q.query(
      `INSERT INTO users_new (id, email, password_hash, role, created_at, disabled_at, language)
       SELECT id, email, password_hash, role, created_at, disabled_at, language FROM users`,
    );
    await q.query(`DROP TABLE users`);
    await q.query(`ALTER TABLE users_new RENAME TO users`);
    // Whether the DROP cascaded depends on the foreign_keys setting of the connection: put the
    // rows back either way.
    await q.query(`DELETE FROM sessions`);
    await q.query(`DELETE FROM api_tokens`);
    await q.query(`INSERT INTO sessions SELECT * FROM keep_sessions`);
    await q.query(`INSERT INTO api_tokens SELECT * FROM keep_api_tokens`);
    await q.query(`DROP TABLE keep_sessions`);
    await q.query(`DROP TABLE keep_api_tokens`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM users WHERE role = 'manager'`);
    await q.query(`ALTER TABLE users DROP COLUMN scope_unit_id`);
  }
}
