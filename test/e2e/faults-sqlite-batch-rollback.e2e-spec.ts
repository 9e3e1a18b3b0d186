/**
 * Fault: SQLite rolls a whole group commit back by itself in the middle of the batch. SQLite only —
 * the group commit (`Db.sqliteBatched`) is SQLite's; PostgreSQL commits each answer on its own.
 *
 * SQLite answers SQLITE_FULL (a disk that fills while the batch spills pages) or SQLITE_IOERR by
 * rolling back the WHOLE transaction, not only the failing statement's savepoint. The later
 * answers of the batch must not then run in transactions of their own and commit while the batch
 * reports failure: the batch fails as one (503 for every answer in it), nothing is stored, and
 * every link still works. The fault is injected in-process: the insert hook rolls the transaction
 * back and throws SQLITE_FULL, as SQLite does when the disk fills mid-transaction
 * (faults-sqlite-disk-full shows the real disk; there the failure comes at COMMIT).
 */
import { DomainError, ErrorCode } from '../../src/common/domain-error.js';
import { Db } from '../../src/database/db.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { seedSurvey, VALID_ANSWERS } from '../helpers/survey-fixtures.js';

const diskFull = () =>
  Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

describe('faults: SQLite rolls a group commit back by itself (SQLite only)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp('sqlite');
  });

  afterAll(() => t?.close());

  it('the whole batch fails with 503 and nothing of it is stored', async () => {
    const db = t.app.get(Db);
    // Six writes in one tick: one group commit; the third meets the full disk.
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5, 6].map((i) =>
        db.sqliteBatched((raw) => {
          raw
            .prepare('INSERT INTO settings (name, value) VALUES (?, ?)')
            .run(`batch-${i}`, 'stored');
          if (i === 3) {
            raw.exec('ROLLBACK'); // what SQLite does by itself on SQLITE_FULL mid-transaction
            throw diskFull();
          }
          return i;
        }),
      ),
    );
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason as unknown;
      expect(reason).toBeInstanceOf(DomainError);
      expect((reason as DomainError).code).toBe(ErrorCode.Unavailable);
    }
    const stored = (await db.manager.query(
      "SELECT name FROM settings WHERE name LIKE 'batch-%'",
    )) as unknown[];
    expect(stored).toEqual([]);
    expect(db.rawSqlite().inTransaction).toBe(false);
  });

  it('answering works normally afterwards', async () => {
    const survey = await seedSurvey(t, { invitees: 3, anonymous: false });
    for (const token of survey.tokens) {
      await t.http().post(`/api/s/${token}`).send({ answers: VALID_ANSWERS }).expect(201);
    }
  });
});
