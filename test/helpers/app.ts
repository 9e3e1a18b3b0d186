import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { runMigrations } from '../../src/database/migrate.js';

export type DbKind = 'sqlite' | 'postgres';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

/** The databases this run covers: SQLite always, PostgreSQL when global-setup found one. */
export function dbKinds(): DbKind[] {
  return process.env.SPECCHIO_TEST_POSTGRES ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestApp {
  kind: DbKind;
  app: NestFastifyApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  /** An admin bearer token (the first admin is created from ADMIN_EMAIL / ADMIN_PASSWORD). */
  adminToken: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** A throw-away database of the given kind, with the real migrations applied. */
export async function freshDatabase(kind: DbKind): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'specchio-test-'));
    return {
      url: `sqlite:${join(dir, 'test.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.SPECCHIO_TEST_POSTGRES as string;
  const name = `specchio_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A provider replaced for one test app, the way a Nest testing module overrides it. */
export type ProviderOverride =
  | { provide: unknown; useValue: unknown }
  | { provide: unknown; useClass: Type<unknown> }
  | { provide: unknown; useFactory: (...args: never[]) => unknown; inject?: unknown[] };

/**
 * The app exactly as createApp builds it; with overrides, it is instantiated from a Nest testing
 * module compiled from the same root module, those providers replaced.
 */
async function buildApp(
  config: AppConfig,
  overrides: readonly ProviderOverride[],
): Promise<NestFastifyApplication> {
  if (!overrides.length) return createApp(config);
  return createApp(config, async (module, adapter, options) => {
    let builder = Test.createTestingModule({ imports: [module] });
    for (const o of overrides) {
      const chosen = builder.overrideProvider(o.provide);
      builder =
        'useValue' in o
          ? chosen.useValue(o.useValue)
          : 'useClass' in o
            ? chosen.useClass(o.useClass)
            : chosen.useFactory({ factory: o.useFactory, inject: o.inject as never[] });
    }
    await adapter.init(); // as NestFactory.create does before it scans the modules
    return (await builder.compile()).createNestApplication<NestFastifyApplication>(
      adapter,
      options,
    );
  });
}

export async function startApp(
  kind: DbKind,
  env: Record<string, string> = {},
  overrides: readonly ProviderOverride[] = [],
): Promise<TestApp> {
  const db = await freshDatabase(kind);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    PUBLIC_URL: 'http://survey.test',
    LOG_LEVEL: 'error',
    MAIL_POLL_MS: '100',
    ...env,
  });
  await runMigrations(config);
  const app = await buildApp(config, overrides);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = () => request(app.getHttpServer());
  const token = await http().post('/api/auth/token').send(ADMIN).expect(201);
  return {
    kind,
    app,
    config,
    http,
    adminToken: token.body.accessToken as string,
    databaseUrl: db.url,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Creates an analyst through the API and returns its bearer token. */
export async function createAnalyst(
  t: TestApp,
  who: { email: string; password: string },
): Promise<string> {
  await t
    .http()
    .post('/api/users')
    .set(bearer(t.adminToken))
    .send({ ...who, role: 'analyst' })
    .expect(201);
  return (await t.http().post('/api/auth/token').send(who).expect(201)).body.accessToken as string;
}
