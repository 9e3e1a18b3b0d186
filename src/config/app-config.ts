import { configSchema, type RawConfig } from './config.schema.js';

export type DatabaseKind = 'sqlite' | 'postgres';

/** Typed, validated configuration. Built once at boot from the environment. */
export class AppConfig {
  readonly env: RawConfig;
  readonly databaseKind: DatabaseKind;
  readonly sqlitePath: string;
  readonly publicUrl: string;

  constructor(env: RawConfig) {
    this.env = env;
    this.databaseKind = env.DATABASE_URL.startsWith('sqlite:') ? 'sqlite' : 'postgres';
    this.sqlitePath =
      this.databaseKind === 'sqlite' ? env.DATABASE_URL.slice('sqlite:'.length) : '';
    this.publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }
}

export class ConfigError extends Error {}

/** Parses an environment; a bad value throws a message naming the variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== '') cleaned[k] = v;
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return new AppConfig(parsed.data);
}
