// Issue 10 (upgrades): instances started together on one empty PostgreSQL database all come up;
// the migrations run once and exactly one first admin is created (an advisory lock serialises
// the migrations, another the first-admin check and insert).
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/app-config.js';
import { MIGRATIONS } from '../../src/database/data-source-options.js';
import { ADVISORY_LOCK } from '../../src/database/advisory-locks.js';
import { Db } from '../../src/database/db.js';
import { runMigrations } from '../../src/database/migrate.js';
import { dbKinds, freshDatabase } from '../helpers/app.js';

const PASSWORD = 'correct horse battery';

/** What main.ts does: migrate, then build and start the app (the first admin comes at boot). */
async function boot(
  databaseUrl: string,
  adminEmail: string,
  env: Record<string, string> = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: PASSWORD,
    PUBLIC_URL: 'http://survey.test',
    LOG_LEVEL: 'error',
    DB_POOL_SIZE: '3',
    ...env,
  });
  await runMigrations(config);
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

const postgres = dbKinds().includes('postgres') ? describe : describe.skip;

postgres('instances starting together on one empty PostgreSQL database', () => {
  // Several rounds: without the locks, each round is a race with a good chance to go wrong.
  it.each([
    ['the same ADMIN_EMAIL', ['first@example.com', 'first@example.com', 'first@example.com']],
    ['different ADMIN_EMAILs', ['a@example.com', 'b@example.com', 'c@example.com']],
  ])(
    'all come up, migrate once and create exactly one first admin (%s)',
    async (_what, emails) => {
      for (let round = 0; round < 3; round++) {
        const db = await freshDatabase('postgres');
        const apps: NestFastifyApplication[] = [];
        try {
          const started = await Promise.allSettled(emails.map((e) => boot(db.url, e)));
          for (const s of started) if (s.status === 'fulfilled') apps.push(s.value);
          expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(
            emails.map(() => 'up'),
          );

          const q = apps[0].get(Db).manager;
          const migrations = (await q.query(
            'SELECT name, COUNT(*) AS n FROM schema_migrations GROUP BY name ORDER BY name',
          )) as Array<{ name: string; n: string }>;
          expect(migrations.map((m) => [m.name, Number(m.n)])).toEqual(
            MIGRATIONS.map((m) => [m.name, 1]).sort((a, b) =>
              String(a[0]).localeCompare(String(b[0])),
            ),
          );
          const users = (await q.query('SELECT email, role FROM users')) as Array<{
            email: string;
            role: string;
          }>;
          expect(users).toHaveLength(1);
          expect(users[0].role).toBe('admin');
          expect(emails).toContain(users[0].email);

          // Every instance serves, and the one admin signs in on each.
          for (const app of apps) {
            await request(app.getHttpServer()).get('/health').expect(200);
            await request(app.getHttpServer())
              .post('/api/auth/token')
              .send({ email: users[0].email, password: PASSWORD })
              .expect(201);
          }
        } finally {
          for (const app of apps) await app.close();
          await db.drop();
        }
      }
    },
    180_000,
  );

  it('an instance waits for another one migrating longer than DB_STATEMENT_TIMEOUT_MS', async () => {
    const db = await freshDatabase('postgres');
    const other = new pg.Client({ connectionString: db.url });
    let app: NestFastifyApplication | undefined;
    try {
      // Another instance is migrating: it holds the lock for 2 s, ten statement timeouts.
      await other.connect();
      await other.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK.migrations]);
      let settled = false;
      const starting = boot(db.url, 'first@example.com', { DB_STATEMENT_TIMEOUT_MS: '200' });
      starting.then(
        () => (settled = true),
        () => (settled = true),
      );
      await new Promise((r) => setTimeout(r, 2000));
      expect(settled).toBe(false); // still waiting, not failed
      const tables = await other.query(`SELECT to_regclass('public.users') AS t`);
      expect(tables.rows[0].t).toBeNull(); // and it did not migrate behind the other one's back
      await other.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK.migrations]);
      app = await starting;
      await request(app.getHttpServer()).get('/health').expect(200);
      const users = await other.query('SELECT email FROM users');
      expect(users.rows).toEqual([{ email: 'first@example.com' }]);
    } finally {
      await other.end();
      await app?.close();
      await db.drop();
    }
  }, 60_000);
});
