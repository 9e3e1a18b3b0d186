import { seedDemo } from '../../src/cli/seed-demo.js';
import { Db } from '../../src/database/db.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';

describe.each(dbKinds())('seed-demo on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(kind);
  });
  afterAll(() => t.close());

  it('builds a demo company through the public API, with two waves of answered campaigns', async () => {
    const summary = await seedDemo(t.app, t.adminToken, 42);
    expect(summary).toMatch(/demo company seeded: 21 units, \d+ contacts, \d+ responses/);
    const campaigns = await t.http().get('/api/campaigns').set(bearer(t.adminToken)).expect(200);
    expect(
      campaigns.body
        .map(
          (c: { wave: string; audience: string; status: string }) =>
            `${c.wave} ${c.audience} ${c.status}`,
        )
        .sort(),
    ).toEqual([
      '2026-Q1 external closed',
      '2026-Q1 internal closed',
      '2026-Q2 external open',
      '2026-Q2 internal closed',
    ]);
    for (const c of campaigns.body) expect(c.responses).toBeGreaterThan(50);
    // Internal answers are anonymous: no response of the internal campaigns points to an invitation.
    const linked = await t.app.get(Db).manager.query(
      `SELECT COUNT(*) AS n FROM responses r JOIN campaigns c ON c.id = r.campaign_id
       WHERE c.audience = 'internal' AND r.invitation_id IS NOT NULL`,
    );
    expect(Number(linked[0].n)).toBe(0);
    await expect(seedDemo(t.app, t.adminToken, 42)).rejects.toThrow(/already exist/);
    // A whole company through the public API (hundreds of requests): 3–8 s on an idle machine,
    // over 30 s on a loaded CI machine; the limit only guards against a hang.
  }, 180_000);
});
