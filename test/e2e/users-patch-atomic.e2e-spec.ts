import { Db } from '../../src/database/db.js';
import { ADMIN, bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';

type Body = Record<string, any>;

/**
 * PATCH /api/users/:id with a role and `disabled` together is one change: when any part fails,
 * nothing of it is applied; and two admins demoting each other at the same moment cannot leave
 * the installation without an active admin.
 */
describe.each(dbKinds())('PATCH /api/users/:id atomicity on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let n = 0;

  async function user(role: string) {
    const who = { email: `patch${++n}@example.com`, password: 'patch user password 1' };
    const created = await t
      .http()
      .post('/api/users')
      .set(bearer(t.adminToken))
      .send({ ...who, role })
      .expect(201);
    const token = (await t.http().post('/api/auth/token').send(who).expect(201)).body
      .accessToken as string;
    return { id: created.body.id as string, token };
  }

  const row = async (id: string) =>
    (
      (await db.dataSource.query(
        `SELECT role, disabled_at FROM users WHERE id = ${db.isSqlite ? '?' : '$1'}`,
        [id],
      )) as Array<{ role: string; disabled_at: string | null }>
    )[0];

  /** Makes the database refuse to set disabled_at: the "disabled" part of a PATCH fails. */
  async function refuseDisabling(on: boolean) {
    if (db.isSqlite) {
      await db.dataSource.query(
        on
          ? `CREATE TRIGGER refuse_disable BEFORE UPDATE OF disabled_at ON users
             WHEN NEW.disabled_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'disable refused'); END`
          : 'DROP TRIGGER refuse_disable',
      );
      return;
    }
    if (on) {
      await db.dataSource.query(
        `CREATE FUNCTION refuse_disable() RETURNS trigger AS $$
         BEGIN RAISE EXCEPTION 'disable refused'; END $$ LANGUAGE plpgsql`,
      );
      await db.dataSource.query(
        `CREATE TRIGGER refuse_disable BEFORE UPDATE OF disabled_at ON users FOR EACH ROW
         WHEN (NEW.disabled_at IS NOT NULL) EXECUTE FUNCTION refuse_disable()`,
      );
    } else {
      await db.dataSource.query('DROP TRIGGER refuse_disable ON users');
      await db.dataSource.query('DROP FUNCTION refuse_disable()');
    }
  }

  beforeAll(async () => {
    t = await startApp(kind);
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  it('role and disabled together: when disabling fails, the role is not changed either', async () => {
    const a = await user('admin');
    await refuseDisabling(true);
    try {
      const res = await t
        .http()
        .patch(`/api/users/${a.id}`)
        .set(bearer(t.adminToken))
        .send({ role: 'analyst', disabled: true });
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await refuseDisabling(false);
    }
    expect(await row(a.id)).toEqual({ role: 'admin', disabled_at: null });
    // The user's token still works: nothing was revoked either.
    await t.http().get('/api/campaigns').set(bearer(a.token)).expect(200);

    // Without the fault both parts apply, with the revocation.
    const ok = await t
      .http()
      .patch(`/api/users/${a.id}`)
      .set(bearer(t.adminToken))
      .send({ role: 'analyst', disabled: true })
      .expect(200);
    expect(ok.body).toMatchObject({ id: a.id, role: 'analyst', active: false });
    expect((await row(a.id)).role).toBe('analyst');
    await t.http().get('/api/campaigns').set(bearer(a.token)).expect(401);
  });

  it('a refused part refuses the whole PATCH (own role and own account)', async () => {
    const me = (
      (await t.http().get('/api/users').set(bearer(t.adminToken)).expect(200)).body as Body[]
    ).find((u) => u.email === ADMIN.email)!;
    const res = await t
      .http()
      .patch(`/api/users/${me.id}`)
      .set(bearer(t.adminToken))
      .send({ role: 'admin', disabled: true })
      .expect(409);
    expect(res.body.message).toContain('You cannot disable yourself');
    expect(await row(me.id)).toEqual({ role: 'admin', disabled_at: null });
  });

  it('two admins demoting and disabling each other at once leave one active admin', async () => {
    // Only these two admins are active: the first admin steps aside (made an analyst by one of them).
    const x = await user('admin');
    const y = await user('admin');
    const first = (
      (await t.http().get('/api/users').set(bearer(t.adminToken)).expect(200)).body as Body[]
    ).find((u) => u.email === ADMIN.email)!;
    await t
      .http()
      .patch(`/api/users/${first.id}`)
      .set(bearer(x.token))
      .send({ role: 'analyst' })
      .expect(200);
    for (let round = 0; round < 4; round++) {
      const body = round % 2 ? { disabled: true } : { role: 'analyst', disabled: true };
      const [a, b] = await Promise.all([
        t.http().patch(`/api/users/${y.id}`).set(bearer(x.token)).send(body),
        t.http().patch(`/api/users/${x.id}`).set(bearer(y.token)).send(body),
      ]);
      const statuses = [a.status, b.status].sort();
      // One of them wins; the other is refused (409) or, its admin being disabled already, 401.
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      const active = (
        (await db.dataSource.query(
          "SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL",
        )) as Array<{ id: string }>
      ).map((r) => r.id);
      expect(active).toHaveLength(1);
      // Back to two active admins for the next round, by the one left.
      const left = active[0] === x.id ? x : y;
      const other = left === x ? y : x;
      await t
        .http()
        .patch(`/api/users/${other.id}`)
        .set(bearer(left.token))
        .send({ role: 'admin', disabled: false })
        .expect(200);
      // A disabled admin's tokens were revoked: a new one for the next round.
      const email = `patch${other === x ? n - 1 : n}@example.com`;
      other.token = (
        await t
          .http()
          .post('/api/auth/token')
          .send({ email, password: 'patch user password 1' })
          .expect(201)
      ).body.accessToken as string;
    }
  });
});
