import { DomainError, ErrorCode } from './domain-error.js';
import { driverCode, isBusy, toUnavailable } from './driver-errors.js';

const sqlite = (code: string) => Object.assign(new Error(code), { code });
/** What TypeORM throws: a QueryFailedError carrying the driver's error. */
const typeorm = (code: string) =>
  Object.assign(new Error('query failed'), { driverError: { code } });

describe('driver errors', () => {
  it('finds the driver code of a driver error, a TypeORM error, and the 503 made from either', () => {
    expect(driverCode(sqlite('SQLITE_FULL'))).toBe('SQLITE_FULL');
    expect(driverCode(typeorm('SQLITE_BUSY'))).toBe('SQLITE_BUSY');
    expect(driverCode(toUnavailable(typeorm('SQLITE_IOERR_WRITE')))).toBe('SQLITE_IOERR_WRITE');
    expect(driverCode(new Error('plain'))).toBe('');
  });

  it('tells a busy lock (retryable: nothing was done) from other failures', () => {
    expect(isBusy(sqlite('SQLITE_BUSY'))).toBe(true);
    expect(isBusy(typeorm('SQLITE_BUSY_SNAPSHOT'))).toBe(true);
    expect(isBusy(toUnavailable(sqlite('SQLITE_BUSY')))).toBe(true);
    expect(isBusy(sqlite('SQLITE_FULL'))).toBe(false);
    expect(isBusy(sqlite('SQLITE_LOCKED'))).toBe(false);
  });

  it('maps a locked file, a full disk and an I/O error to 503 with Retry-After', () => {
    // SQLite, and PostgreSQL's disk full (53100) and out of memory (53200).
    for (const code of [
      'SQLITE_BUSY',
      'SQLITE_FULL',
      'SQLITE_IOERR_WRITE',
      'SQLITE_READONLY',
      '53100',
      '53200',
    ]) {
      const error = toUnavailable(typeorm(code));
      expect(error).toBeInstanceOf(DomainError);
      expect(error?.code).toBe(ErrorCode.Unavailable);
      expect(error?.retryAfter).toBe(2);
    }
    expect(toUnavailable(sqlite('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    const already = toUnavailable(sqlite('SQLITE_FULL'));
    expect(toUnavailable(already)).toBe(already);
    expect(toUnavailable(new DomainError(ErrorCode.NotFound, 'x'))).toBeUndefined();
  });
});
