import { setTimeout as sleep } from 'node:timers/promises';
import { iso } from '../../src/common/clock.js';
import { newId } from '../../src/common/crypto.js';
import { Db } from '../../src/database/db.js';
import {
  type InsertedResponse,
  ResponseInsertHook,
} from '../../src/responses/response-insert.hook.js';
import { dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { seedSurvey } from '../helpers/survey-fixtures.js';
import { UnitEntity } from '../../src/database/schema/unit.entity.js';

/**
 * SECURITY.md §4.1 / I2: with TypeORM's shared better-sqlite3 query runner, one request's rollback
 * can silently undo another request's acknowledged write. These tests prove our write paths are
 * immune, and (control) that the hazard is real for plain TypeORM transactions.
 */
const unit = (code: string) => {
  const now = iso();
  return { id: newId(), code, name: code, parentId: null, createdAt: now, updatedAt: now };
};

describe('control: plain TypeORM transactions on SQLite entangle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp('sqlite');
  });
  afterAll(() => t.close());

  it("loses a committed write when another request's transaction rolls back", async () => {
    const ds = t.app.get(Db).dataSource;
    const failing = ds
      .transaction(async (m) => {
        await m.insert(UnitEntity, unit('CTRL-A'));
        await sleep(50);
        throw new Error('A fails');
      })
      .catch(() => 'rolled back');
    await sleep(10);
    await ds.transaction(async (m) => {
      await m.insert(UnitEntity, unit('CTRL-B'));
    }); // "committed" and acknowledged…
    expect(await failing).toBe('rolled back');
    // …but it was only a savepoint inside A's transaction, and A's rollback took it away.
    expect(await ds.manager.countBy(UnitEntity, { code: 'CTRL-B' })).toBe(0);
  });
});

/** A text answer that makes its submission fail inside its transaction, after its inserts. */
const FAIL_AFTER_INSERT = 'fail after insert';

const faultyInsertHook = {
  provide: ResponseInsertHook,
  useValue: {
    afterInsert(response: InsertedResponse): void {
      if (response.answers.some((a) => a.textValue === FAIL_AFTER_INSERT))
        throw new Error('injected fault after the inserts');
    },
  },
};

describe.each(dbKinds())('write isolation on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  beforeAll(async () => {
    t = await startApp(kind, { TOKEN_MAX_FAILURES_PER_ADDRESS: '1000' }, [faultyInsertHook]);
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  it('keeps a committed write when a concurrent Db.write rolls back', async () => {
    const failing = db
      .write(async (m) => {
        await m.insert(UnitEntity, unit(`ISO-A-${kind}`));
        await sleep(50);
        throw new Error('A fails');
      })
      .catch(() => 'rolled back');
    await sleep(10);
    await db.write(async (m) => {
      await m.insert(UnitEntity, unit(`ISO-B-${kind}`));
    });
    expect(await failing).toBe('rolled back');
    expect(await db.manager.countBy(UnitEntity, { code: `ISO-B-${kind}` })).toBe(1);
    expect(await db.manager.countBy(UnitEntity, { code: `ISO-A-${kind}` })).toBe(0);
  });

  it('never loses an acknowledged submission when concurrent requests and admin writes fail', async () => {
    const s = await seedSurvey(t, { invitees: 40 });
    // 40 submissions, every 5th fails inside its transaction after its inserts; interleaved with
    // 20 slow admin transactions, every 4th of which fails after awaiting.
    const submissions = s.tokens.map((token, i) =>
      t
        .http()
        .post(`/api/s/${token}`)
        .send({ answers: { sat: 3, why: i % 5 === 4 ? FAIL_AFTER_INSERT : `ok ${i}` } })
        .then((r) => ({ i, status: r.status })),
    );
    const admin = Array.from({ length: 20 }, (_, j) =>
      db
        .write(async (m) => {
          await m.insert(UnitEntity, unit(`ADM-${kind}-${j}`));
          await sleep(j % 3);
          await m.update(UnitEntity, { code: `ADM-${kind}-${j}` }, { name: `admin ${j}` });
          if (j % 4 === 3) throw new Error('admin fails');
        })
        .then(() => ({ j, ok: true }))
        .catch(() => ({ j, ok: false })),
    );
    const [subs, adms] = await Promise.all([Promise.all(submissions), Promise.all(admin)]);
    const acknowledged = subs.filter((r) => r.status === 201).map((r) => r.i);
    const failed = subs.filter((r) => r.status !== 201);
    expect(failed.every((r) => r.status === 500 && r.i % 5 === 4)).toBe(true);
    expect(acknowledged).toHaveLength(32);
    // Every acknowledged submission is there with its answer; no failed one left a trace.
    const p = kind === 'sqlite' ? '?' : '$1';
    const stored = await db.manager.query(
      `SELECT a.text_value AS why FROM responses r JOIN answers a ON a.response_id = r.id
       WHERE r.campaign_id = ${p} AND a.question_key = 'why'`,
      [s.campaignId],
    );
    expect(stored.map((r: { why: string }) => r.why).sort()).toEqual(
      acknowledged.map((i) => `ok ${i}`).sort(),
    );
    const answeredFlags = await db.manager.query(
      `SELECT COUNT(*) AS n FROM invitations WHERE campaign_id = ${p} AND answered = ${kind === 'sqlite' ? 1 : 'true'}`,
      [s.campaignId],
    );
    expect(Number(answeredFlags[0].n)).toBe(32);
    for (const a of adms) {
      const n = await db.manager.countBy(UnitEntity, { code: `ADM-${kind}-${a.j}` });
      expect([a.j, n]).toEqual([a.j, a.ok ? 1 : 0]);
    }
    // A failed submission left its link usable.
    const retry = failed[0];
    await t
      .http()
      .post(`/api/s/${s.tokens[retry.i]}`)
      .send({ answers: { sat: 2 } })
      .expect(201);
  });
});
