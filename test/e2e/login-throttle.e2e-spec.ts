import { performance } from 'node:perf_hooks';
import { jest } from '@jest/globals';
import request from 'supertest';
import { Db } from '../../src/database/db.js';
import { ThrottleSweepWorker } from '../../src/database/throttle-sweep.worker.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { csrfOf } from '../helpers/auth.js';

/**
 * Sign-in throttling (issue 10; SECURITY.md A7–A9) under concurrent bursts, through
 * `POST /api/auth/token` and the sign-in form. The app trusts one proxy hop, so the last
 * X-Forwarded-For entry is the client address (what a real proxy appends); entries a client
 * forges in front of it must not mint new buckets.
 */
const PAIR_LIMIT = 10;
const ADDRESS_LIMIT = 25;
const SLOW_AFTER = 30;
const DELAY_MS = 1500;
const WINDOW_MINUTES = 15;
const BURST = 40;
const TOKEN_LIMIT = 20;

const statusCounts = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

describe.each(dbKinds())('login throttling on %s', (kind) => {
  let t: TestApp;
  let n = 0;
  /** A fresh account (and its password) per test, so tests share no counter. */
  const account = async () => {
    const who = { email: `victim${++n}@example.com`, password: `victim password ${n}` };
    await t
      .http()
      .post('/api/users')
      .set(bearer(t.adminToken))
      .send({ ...who, role: 'analyst' })
      .expect(201);
    return who;
  };
  const tokenFrom = (address: string, email: string, password: string) =>
    t.http().post('/api/auth/token').set('X-Forwarded-For', address).send({ email, password });
  /** `count` concurrent wrong passwords for `email`, each from `address(i)`. */
  const burst = (email: string, address: (i: number) => string, count = BURST) =>
    Promise.all(
      Array.from({ length: count }, (_, i) => tokenFrom(address(i), email, `wrong password ${i}`)),
    );

  beforeAll(async () => {
    t = await startApp(kind, {
      TRUST_PROXY: '1',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PAIR_LIMIT),
      LOGIN_MAX_FAILURES_PER_ADDRESS: String(ADDRESS_LIMIT),
      LOGIN_ACCOUNT_SLOW_AFTER: String(SLOW_AFTER),
      LOGIN_SLOW_DELAY_MS: String(DELAY_MS),
      LOGIN_WINDOW_MINUTES: String(WINDOW_MINUTES),
      TOKEN_MAX_FAILURES_PER_ADDRESS: String(TOKEN_LIMIT),
    });
  });
  afterAll(() => t.close());

  it('lets at most the limit of a concurrent burst reach the password check, for known and unknown accounts alike', async () => {
    const victim = await account();
    const known = await burst(victim.email, () => '198.51.100.1');
    const unknown = await burst('nobody@example.com', () => '198.51.100.2');
    for (const answers of [known, unknown]) {
      expect(statusCounts(answers.map((r) => r.status))).toEqual({
        401: PAIR_LIMIT,
        429: BURST - PAIR_LIMIT,
      });
      const refused = answers.find((r) => r.status === 429)!;
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(WINDOW_MINUTES * 60);
    }
    // Same bodies for a known and an unknown e-mail (A8).
    const body = (rs: typeof known, s: number) => rs.find((r) => r.status === s)!.body;
    expect(body(known, 401)).toEqual(body(unknown, 401));
    expect(body(known, 429)).toEqual(body(unknown, 429));
  });

  it('does not let an attacker at one address stop the account owner at another', async () => {
    const victim = await account();
    await burst(victim.email, () => '198.51.100.3');
    // The attacker is refused even with the right password, from the attacked address only.
    await tokenFrom('198.51.100.3', victim.email, victim.password).expect(429);
    await tokenFrom('203.0.113.3', victim.email, victim.password).expect(201);
  });

  it('keeps counting an address whatever X-Forwarded-For entries the client forges in front of it', async () => {
    const victim = await account();
    const answers = await burst(
      victim.email,
      (i) => `10.${i}.${Math.floor(Math.random() * 250)}.7, 198.51.100.4`,
    );
    expect(statusCounts(answers.map((r) => r.status))).toEqual({
      401: PAIR_LIMIT,
      429: BURST - PAIR_LIMIT,
    });
    await tokenFrom(`10.99.0.1, 198.51.100.4`, victim.email, victim.password).expect(429);
  });

  it('counts an IPv6 client by its /64, so it cannot mint a bucket per request', async () => {
    const victim = await account();
    const answers = await burst(
      victim.email,
      (i) =>
        `2001:db8:7:1:${(i + 1).toString(16)}:${Math.floor(Math.random() * 65535).toString(16)}::1`,
    );
    expect(statusCounts(answers.map((r) => r.status))).toEqual({
      401: PAIR_LIMIT,
      429: BURST - PAIR_LIMIT,
    });
    await tokenFrom('2001:db8:7:2::1', victim.email, victim.password).expect(201);
  });

  it('counts unknown survey links from one IPv6 /64 in one bucket too', async () => {
    const answers = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        t
          .http()
          .get(`/s/${String(i).padStart(43, 'q')}`)
          .set('X-Forwarded-For', `2001:db8:8:1::${(i + 1).toString(16)}`),
      ),
    );
    expect(statusCounts(answers.map((r) => r.status))).toEqual({
      404: TOKEN_LIMIT,
      429: BURST - TOKEN_LIMIT,
    });
  });

  it('throttles a concurrent burst from one address over many accounts', async () => {
    const answers = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        tokenFrom('198.51.100.5', `sprayed${i}@example.com`, 'wrong password!'),
      ),
    );
    expect(statusCounts(answers.map((r) => r.status))).toEqual({
      401: ADDRESS_LIMIT,
      429: BURST - ADDRESS_LIMIT,
    });
  });

  it('only slows, never locks, an account attacked from many addresses', async () => {
    const victim = await account();
    // Four addresses, each up to its own limit: 40 failures on the account in the window.
    for (const a of [11, 12, 13, 14])
      await burst(victim.email, () => `198.51.100.${a}`, PAIR_LIMIT);
    const started = performance.now();
    await tokenFrom('203.0.113.11', victim.email, victim.password).expect(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(DELAY_MS - 50);
    // A new attacking address is slowed too, and its failure still counts.
    const again = performance.now();
    await tokenFrom('198.51.100.15', victim.email, 'wrong password!').expect(401);
    expect(performance.now() - again).toBeGreaterThanOrEqual(DELAY_MS - 50);
  });

  it('starts the owner afresh at an address after a successful sign-in there', async () => {
    const victim = await account();
    for (let i = 0; i < PAIR_LIMIT - 1; i++)
      await tokenFrom('198.51.100.8', victim.email, `typo ${i}`).expect(401);
    await tokenFrom('198.51.100.8', victim.email, victim.password).expect(201);
    const after = [];
    for (let i = 0; i <= PAIR_LIMIT; i++)
      after.push((await tokenFrom('198.51.100.8', victim.email, `typo again ${i}`)).status);
    expect(after).toEqual([...Array<number>(PAIR_LIMIT).fill(401), 429]);
  });

  it('lets the owner in again from the attacked address once the window has passed', async () => {
    const victim = await account();
    const start = Date.now();
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
      now: start,
    });
    try {
      const answers = await burst(victim.email, () => '198.51.100.6');
      expect(statusCounts(answers.map((r) => r.status))).toEqual({
        401: PAIR_LIMIT,
        429: BURST - PAIR_LIMIT,
      });
      const refused = await tokenFrom('198.51.100.6', victim.email, victim.password).expect(429);
      jest.setSystemTime(start + Number(refused.headers['retry-after']) * 1000);
      await tokenFrom('198.51.100.6', victim.email, 'wrong password!').expect(401);
      await tokenFrom('198.51.100.6', victim.email, victim.password).expect(201);
    } finally {
      jest.useRealTimers();
    }
  });

  it('throttles the sign-in form the same way, and the owner signs in through it from elsewhere', async () => {
    const victim = await account();
    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get('/login').expect(200);
    const csrf = csrfOf(page.text);
    const post = (address: string, password: string) =>
      agent
        .post('/login')
        .set('X-Forwarded-For', address)
        .type('form')
        .send({ _csrf: csrf, email: victim.email, password });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post('198.51.100.7', `wrong password ${i}`)),
    );
    expect(statusCounts(answers.map((r) => r.status))).toEqual({ 401: PAIR_LIMIT, 429: 2 });
    const refused = answers.find((r) => r.status === 429)!;
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.text).toContain('name="email"');
    await post('203.0.113.7', victim.password).expect(303);
  });

  it('deletes the counters whose window has ended, and only those', async () => {
    await burst('sweep@example.com', () => '198.51.100.9', 3);
    const counters = async () =>
      Number(
        (
          (await t.app
            .get(Db)
            .manager.query(
              `SELECT COUNT(*) AS n FROM throttle_counters WHERE counter_key = 'login:ip:198.51.100.9'`,
            )) as Array<{ n: number | string }>
        )[0].n,
      );
    const sweeper = t.app.get(ThrottleSweepWorker);
    await sweeper.sweep(Date.now());
    expect(await counters()).toBe(1);
    await sweeper.sweep(Date.now() + WINDOW_MINUTES * 60_000 + 1);
    expect(await counters()).toBe(0);
  });
});
