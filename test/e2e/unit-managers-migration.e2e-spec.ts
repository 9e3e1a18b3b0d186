// The UserScopeUnit migration on a database with users signed in: nobody is signed out, every
// row stays, and the role `manager` with a scope unit is accepted afterwards (and nothing else new).
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { dataSourceOptions, MIGRATIONS } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/migrate.js';
import { dbKinds, freshDatabase } from '../helpers/app.js';

describe.each(dbKinds())('UserScopeUnit migration (%s)', (kind) => {
  it('keeps users, sessions and API tokens; admits managers with a unit', async () => {
    const db = await freshDatabase(kind);
    try {
      const config = loadConfig({ DATABASE_URL: db.url });
      const mine = MIGRATIONS.findIndex((m) => m.name === 'UserScopeUnit1796600000000');
      expect(mine).toBeGreaterThan(0);
      const first = new DataSource({
        ...dataSourceOptions(config),
        migrations: MIGRATIONS.slice(0, mine),
      });
      await first.initialize();
      await first.runMigrations();
      const now = new Date().toISOString();
      const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      for (const [n, role] of [
        [1, 'admin'],
        [2, 'analyst'],
      ] as const) {
        await first.query(
          `INSERT INTO users (id, email, password_hash, role, created_at, disabled_at, language)
           VALUES ('${id(n)}', 'u${n}@example.com', 'hash', '${role}', '${now}', NULL, 'it')`,
        );
        await first.query(
          `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at)
           VALUES ('s${n}', '${id(n)}', '${now}', '${now}', '${now}')`,
        );
        await first.query(
          `INSERT INTO api_tokens (token_hash, user_id, expires_at, created_at)
           VALUES ('t${n}', '${id(n)}', '${now}', '${now}')`,
        );
      }
      await first.query(
        `INSERT INTO units (id, code, name, parent_id, created_at, updated_at)
         VALUES ('${id(9)}', 'NORTH', 'North', NULL, '${now}', '${now}')`,
      );
      await first.destroy();

      expect(await runMigrations(config)).toEqual(MIGRATIONS.slice(mine).map((m) => m.name));

      const check = new DataSource(dataSourceOptions(config));
      await check.initialize();
      try {
        const count = async (table: string) =>
          Number((await check.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
        expect([await count('users'), await count('sessions'), await count('api_tokens')]).toEqual([
          2, 2, 2,
        ]);
        expect(
          await check.query(
            `SELECT email, role, language, scope_unit_id FROM users ORDER BY email`,
          ),
        ).toEqual([
          { email: 'u1@example.com', role: 'admin', language: 'it', scope_unit_id: null },
          { email: 'u2@example.com', role: 'analyst', language: 'it', scope_unit_id: null },
        ]);
        await check.query(
          `INSERT INTO users (id, email, password_hash, role, created_at, scope_unit_id)
           VALUES ('${id(3)}', 'm@example.com', 'hash', 'manager', '${now}', '${id(9)}')`,
        );
        // The CHECK still refuses an unknown role; the foreign key an unknown unit.
        await expect(
          check.query(
            `INSERT INTO users (id, email, password_hash, role, created_at)
             VALUES ('${id(4)}', 'x@example.com', 'hash', 'owner', '${now}')`,
          ),
        ).rejects.toThrow();
        await expect(
          check.query(
            `INSERT INTO users (id, email, password_hash, role, created_at, scope_unit_id)
             VALUES ('${id(5)}', 'y@example.com', 'hash', 'manager', '${now}', '${id(8)}')`,
          ),
        ).rejects.toThrow();
        // Deleting a user still cascades to their sessions and tokens.
        await check.query(`DELETE FROM users WHERE id = '${id(2)}'`);
        expect([await count('sessions'), await count('api_tokens')]).toEqual([1, 1]);
        if (kind === 'sqlite') {
          expect(await check.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
          expect(await check.query('PRAGMA foreign_key_check')).toEqual([]);
        }
      } finally {
        await check.destroy();
      }
    } finally {
      await db.drop();
    }
  });
});
