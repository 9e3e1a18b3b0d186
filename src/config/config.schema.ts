import { z } from 'zod';

/** Every environment variable Specchio reads; `.env.example` documents the same list. */
const intIn = (min: number, max: number, dflt: number) =>
  z.coerce.number().int().min(min).max(max).default(dflt);

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: intIn(1, 65535, 3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .default('sqlite:./data/specchio.sqlite')
      .refine((v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v), {
        message: 'must be sqlite:<path> or postgres://…',
      }),
    PUBLIC_URL: z
      .string()
      .url()
      .refine((v) => /^https?:\/\//.test(v), { message: 'must be an http(s) URL' })
      .optional(),
    MIN_GROUP_SIZE: intIn(3, 1000, 5),
    MIN_COMMENT_GROUP_SIZE: intIn(3, 1000, 10),
    FATIGUE_DAYS: intIn(0, 3650, 0),
    /** A second manual reminder round of a campaign within this many hours is refused (0: never). */
    REMIND_INTERVAL_HOURS: intIn(0, 24 * 30, 24),
    SMTP_URL: z
      .string()
      .refine((v) => /^smtps?:\/\/.+/.test(v), { message: 'must be smtp://… or smtps://…' })
      .optional(),
    MAIL_FROM: z.string().min(3).default('Specchio <no-reply@specchio.local>'),
    MAIL_POLL_MS: intIn(50, 600_000, 2000),
    MAIL_MAX_ATTEMPTS: intIn(1, 50, 5),
    ADMIN_EMAIL: z.string().email().optional(),
    ADMIN_PASSWORD: z.string().min(12).max(256).optional(),
    API_TOKEN_TTL_HOURS: intIn(1, 24 * 90, 12),
    SESSION_IDLE_MINUTES: intIn(5, 24 * 60, 30),
    SESSION_ABSOLUTE_HOURS: intIn(1, 24 * 30, 12),
    TRUST_PROXY: z
      .string()
      .regex(/^(false|loopback|\d{1,2})$/, 'must be false, loopback or a hop count')
      .default('false'),
    /** Sign-in attempts on one account from one client address per window; then 429. */
    LOGIN_MAX_FAILURES_PER_ACCOUNT: intIn(1, 1000, 10),
    /** Sign-in attempts from one client address (any accounts) per window; then 429. */
    LOGIN_MAX_FAILURES_PER_ADDRESS: intIn(1, 10_000, 50),
    /** Failed sign-ins on one account from all addresses per window before attempts are slowed. */
    LOGIN_ACCOUNT_SLOW_AFTER: intIn(1, 100_000, 20),
    /** The wait before the password check on a slowed account (never a refusal). */
    LOGIN_SLOW_DELAY_MS: intIn(0, 10_000, 2000),
    LOGIN_WINDOW_MINUTES: intIn(1, 24 * 60, 15),
    TOKEN_MAX_FAILURES_PER_ADDRESS: intIn(1, 10_000, 20),
    TOKEN_WINDOW_MINUTES: intIn(1, 24 * 60, 1),
    /** How often throttle counters whose window has ended are deleted. */
    THROTTLE_SWEEP_MS: intIn(1000, 86_400_000, 3_600_000),
    SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
    /**
     * How long a SQLite write waits for another process's lock (a backup, the CLI, a `sqlite3`
     * shell) before it is refused with 503: retried asynchronously, the event loop keeps serving.
     */
    SQLITE_BUSY_TIMEOUT_MS: intIn(0, 120_000, 5000),
    DB_POOL_SIZE: intIn(1, 200, 10),
    DB_STATEMENT_TIMEOUT_MS: intIn(100, 600_000, 10_000),
    DB_CONNECT_TIMEOUT_MS: intIn(100, 120_000, 5_000),
    CLOSE_SWEEP_MS: intIn(100, 3_600_000, 30_000),
    /** How often due automatic reminder rounds (a campaign's reminder plan) are looked for. */
    REMINDER_SWEEP_MS: intIn(100, 3_600_000, 60_000),
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose', 'silent']).default('log'),
    /**
     * Switches /metrics (Prometheus text format) on: a scraper must send `Authorization: Bearer
     * <METRICS_TOKEN>`. Unset: /metrics does not exist (404).
     */
    METRICS_TOKEN: z
      .string()
      .regex(/^[\x21-\x7e]{32,256}$/, 'must be 32 to 256 printable characters without spaces')
      .optional(),
  })
  .refine((c) => (c.ADMIN_EMAIL === undefined) === (c.ADMIN_PASSWORD === undefined), {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  });

export type RawConfig = z.infer<typeof configSchema>;
