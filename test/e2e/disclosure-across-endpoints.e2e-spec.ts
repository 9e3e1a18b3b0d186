import { Db } from '../../src/database/db.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import {
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
} from '../helpers/factories.js';

/**
 * The campaign report, its unit filters and the linkage (with and without roll-up) are different
 * views of the same internal answers. Whatever they release together must not let anyone derive a
 * group of fewer than k people by subtraction: every released count is a unit subtree or a unit's
 * own group (a laminar family), so for every released set, its count minus the counts of the largest
 * released sets inside it must be 0 or at least k.
 */
describe.each(dbKinds())('no small group derivable across report and linkage on %s', (kind) => {
  let t: TestApp;
  const k = 5;
  beforeAll(async () => {
    t = await startApp(kind);
  });
  afterAll(() => t.close());

  it('holds for a region with children of 4, 9 and 7 answers and another with 12 and 6', async () => {
    const db = t.app.get(Db);
    const root = await insertUnitWith(db, { code: 'ROOT' });
    const r1 = await insertUnitWith(db, { code: 'R1', parentId: root });
    const r2 = await insertUnitWith(db, { code: 'R2', parentId: root });
    const sizes: Record<string, [string, number]> = {
      A: [r1, 4],
      B: [r1, 9],
      C: [r1, 7],
      D: [r2, 12],
      E: [r2, 6],
    };
    const leaf = new Map<string, string>();
    for (const [code, [parent]] of Object.entries(sizes))
      leaf.set(code, await insertUnitWith(db, { code, parentId: parent }));
    const internal = await insertReportCampaign(db, {
      audience: 'internal',
      questions: [{ key: 'sat', type: 'csat' }],
    });
    const external = await insertReportCampaign(db, {
      audience: 'external',
      questions: [{ key: 'nps', type: 'nps' }],
    });
    for (const [code, [, n]] of Object.entries(sizes)) {
      const unitId = leaf.get(code)!;
      await insertReportResponses(
        db,
        internal,
        Array.from({ length: n }, (_, i) => ({
          unitId,
          answers: { sat: 1 + ((i * 7 + code.charCodeAt(0)) % 5) },
        })),
      );
      await insertReportResponses(
        db,
        external,
        Array.from({ length: 10 }, (_, i) => ({
          unitId,
          answers: { nps: (i * 3 + code.charCodeAt(0)) % 11 },
        })),
      );
    }
    const leavesOf: Record<string, string[]> = {
      ROOT: ['A', 'B', 'C', 'D', 'E'],
      R1: ['A', 'B', 'C'],
      R2: ['D', 'E'],
      A: ['A'],
      B: ['B'],
      C: ['C'],
      D: ['D'],
      E: ['E'],
    };
    const released = new Map<string, number>(); // sorted leaf list → count
    const release = (leaves: string[], n: number) => {
      const key = [...leaves].sort().join(',');
      const before = released.get(key);
      if (before !== undefined) expect([key, n]).toEqual([key, before]);
      released.set(key, n);
    };
    const get = (url: string) => t.http().get(url).set(bearer(t.adminToken));

    const report = (await get(`/api/campaigns/${internal}/report`).expect(200)).body;
    release(leavesOf.ROOT, report.responses);
    for (const u of report.units) if (!u.suppressed) release(leavesOf[u.unitCode], u.n);
    for (const code of Object.keys(leavesOf)) {
      const res = await get(`/api/campaigns/${internal}/report?unitCode=${code}`);
      expect([200, 403]).toContain(res.status);
      if (res.status === 200) release(leavesOf[code], res.body.responses);
    }
    for (const level of ['', '&level=0', '&level=1', '&level=2']) {
      const body = (
        await get(`/api/linkage?internal=${internal}&external=${external}${level}`).expect(200)
      ).body;
      for (const u of body.units) release(leavesOf[u.unitCode], u.internal.n);
      for (const x of body.excluded) expect(x.reason).not.toMatch(/internal n=[0-4]\b/);
    }

    const sets = [...released].map(([key, n]) => ({ leaves: new Set(key.split(',')), n }));
    for (const s of sets) {
      expect(s.n >= k).toBe(true);
      const inside = sets.filter(
        (o) =>
          o !== s && [...o.leaves].every((l) => s.leaves.has(l)) && o.leaves.size < s.leaves.size,
      );
      const maximal = inside.filter(
        (o) =>
          !inside.some(
            (p) =>
              p !== o &&
              [...o.leaves].every((l) => p.leaves.has(l)) &&
              p.leaves.size > o.leaves.size,
          ),
      );
      const remainder = s.n - maximal.reduce((sum, o) => sum + o.n, 0);
      expect({
        set: [...s.leaves].join(','),
        remainder,
        ok: remainder === 0 || remainder >= k,
      }).toEqual({
        set: [...s.leaves].join(','),
        remainder,
        ok: true,
      });
    }
    // Unit A (4 answers) is released by nobody.
    expect(released.has('A')).toBe(false);
  });
});
