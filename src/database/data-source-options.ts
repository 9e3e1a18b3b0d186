import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { Initial1764300000000 } from '../../migrations/1764300000000-Initial.js';
import { ReportIndexes1764400000000 } from '../../migrations/1764400000000-ReportIndexes.js';
import { CampaignUnits1796067173451 } from '../../migrations/1796067173451-CampaignUnits.js';
import { UserDisabled1796100000000 } from '../../migrations/1796100000000-UserDisabled.js';
import { UserLanguage1796200000000 } from '../../migrations/1796200000000-UserLanguage.js';
import { CampaignSchedule1796300000000 } from '../../migrations/1796300000000-CampaignSchedule.js';
import { MailSettings1796400000000 } from '../../migrations/1796400000000-MailSettings.js';
import { AnswerCounts1796500000000 } from '../../migrations/1796500000000-AnswerCounts.js';
import { UserScopeUnit1796600000000 } from '../../migrations/1796600000000-UserScopeUnit.js';
import { CampaignDigest1796700000000 } from '../../migrations/1796700000000-CampaignDigest.js';
import { ThrottleWindowIndex1796800000000 } from '../../migrations/1796800000000-ThrottleWindowIndex.js';
import { UnsubscribeLinks1796900000000 } from '../../migrations/1796900000000-UnsubscribeLinks.js';
import { ENTITIES } from './schema/index.js';

export const MIGRATIONS = [
  Initial1764300000000,
  ReportIndexes1764400000000,
  CampaignUnits1796067173451,
  UserDisabled1796100000000,
  UserLanguage1796200000000,
  CampaignSchedule1796300000000,
  MailSettings1796400000000,
  AnswerCounts1796500000000,
  UserScopeUnit1796600000000,
  CampaignDigest1796700000000,
  ThrottleWindowIndex1796800000000,
  UnsubscribeLinks1796900000000,
];

/**
 * The one place that turns configuration into TypeORM options, used by the app, the CLI and tests.
 * `synchronize` is never on: the schema comes from migrations/ on both databases.
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false as const,
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' } as const,
  };
  if (config.databaseKind === 'postgres') {
    const env = config.env;
    return {
      ...common,
      type: 'postgres',
      url: env.DATABASE_URL,
      extra: {
        max: env.DB_POOL_SIZE,
        connectionTimeoutMillis: env.DB_CONNECT_TIMEOUT_MS,
        idleTimeoutMillis: 30_000,
        statement_timeout: env.DB_STATEMENT_TIMEOUT_MS,
        query_timeout: env.DB_STATEMENT_TIMEOUT_MS + 1000,
        idle_in_transaction_session_timeout: env.DB_STATEMENT_TIMEOUT_MS * 2,
        application_name: 'specchio',
      },
    };
  }
  const file = resolve(config.sqlitePath);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    enableWAL: true,
    timeout: 5000, // busy_timeout: wait for another process's lock rather than fail at once
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      // FULL (default): every acknowledged write survives power loss. NORMAL survives crashes of
      // the process only; operators can opt into it with SQLITE_SYNCHRONOUS=NORMAL.
      db.pragma(`synchronous = ${config.env.SQLITE_SYNCHRONOUS}`);
      db.pragma('journal_size_limit = 67108864');
      db.pragma('wal_autocheckpoint = 1000');
      db.pragma('temp_store = MEMORY');
      // Deleted content (e.g. a sent mail's body with its survey link) is overwritten, not left
      // in free pages of the file.
      db.pragma('secure_delete = ON');
      db.pragma('busy_timeout = 5000');
    },
  };
}
