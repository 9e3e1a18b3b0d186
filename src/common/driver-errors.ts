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
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '08006', // connection_failure
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
]);

/**
 * The driver's error code of `err` ('' if none): of a TypeORM QueryFailedError's driver error, of
 * the driver error itself, or of the driver error a 503 DomainError from toUnavailable() carries.
 */
export function driverCode(err: unknown): string {
  const e = (err instanceof DomainError ? err.cause : err) as
    { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Another SQLite connection holds the write lock (SQLITE_BUSY and its extended codes): the
 * attempt did nothing and may be retried once the lock is free.
 */
export function isBusy(err: unknown): boolean {
  return driverCode(err).startsWith('SQLITE_BUSY');
}

export function toUnavailable(err: unknown): DomainError | undefined {
  if (err instanceof DomainError) return err.code === ErrorCode.Unavailable ? err : undefined;
  const e = err as { message?: string } | undefined;
  const code = driverCode(err);
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
  ) {
    const error = unavailable();
    error.cause = err; // the driver's error, for the log and for driverCode()
    return error;
  }
  return undefined;
}

/** The 503 of a database that cannot take the request just now. */
export function unavailable(): DomainError {
  return new DomainError(
    ErrorCode.Unavailable,
    'The database is busy or unavailable; please retry',
    undefined,
    2,
  );
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
