/**
 * What a database driver's error means, on SQLite and PostgreSQL alike. Pure: it reads error codes
 * and messages only, so both the database layer and the error filter can use it.
 */
import { DomainError, ErrorCode } from './domain-error.js';

const UNAVAILABLE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57014', // query_canceled (statement timeout)
  '53300', // too_many_connections
  '08006', // connection_failure
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
]);

export function toUnavailable(err: unknown): DomainError | undefined {
  const e = err as {
    code?: string;
    driverError?: { code?: string };
    message?: string;
  };
  const code = e?.driverError?.code ?? e?.code ?? '';
  const message = String(e?.message ?? '');
  if (
    UNAVAILABLE_CODES.has(code) ||
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_IOERR') ||
    // node-postgres: no pooled connection in time; the server went away; the client-side query
    // timeout (query_timeout) for a server that hangs; a client broken by an earlier error.
    /timeout exceeded when trying to connect|Connection terminated|Query read timeout|is not queryable|database is locked/i.test(
      message,
    )
  )
    return new DomainError(
      ErrorCode.Unavailable,
      'The database is busy or unavailable; please retry',
      undefined,
      2,
    );
  return undefined;
}

/** Unique-constraint violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** Foreign-key violation on either database (a referenced row vanished, or one is still in use). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
