/**
 * PostgreSQL advisory lock keys: one number per thing that several instances starting together
 * must do once. SQLite has one writer at a time and needs none.
 */
export const ADVISORY_LOCK = {
  /** Held by `runMigrations` for the whole run (a session lock on a connection of its own). */
  migrations: 736_010_001,
  /** Held by the first-admin check-and-insert for its transaction (`pg_advisory_xact_lock`). */
  firstAdmin: 736_010_002,
} as const;
