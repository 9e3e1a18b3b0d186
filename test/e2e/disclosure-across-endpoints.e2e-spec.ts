import { Db } from '../../src/database/db.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { insertReportCampaign, insertReportResponses } from '../helpers/factories.js';
import { insertUnits } from '../helpers/linkage-company.js';
import { Released, unitTree, type UnitTree } from '../helpers/unit-tree.js';

/** Two regions: R1 with leaves of 4, 9 and 7 answers, R2 with 12 and 6. */
const TREE: UnitTree = {
  ROOT: null,
  R1: 'ROOT',
  R2: 'ROOT',
  A: 'R1',
  B: 'R1',
  C: 'R1',
  D: 'R2',
  E: 'R2',
};
const SIZES: Record<string, number> = { A: 4, B: 9, C: 7, D: 12, E: 6 };
const { leaves } = unitTree(TREE);

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
    const units = await insertUnits(
      db,
      Object.entries(TREE).map(([code, parentCode]) => ({ code, parentCode })),
    );
    const internal = await insertReportCampaign(db, {
      audience: 'internal',
      questions: [{ key: 'sat', type: 'csat' }],
    });
    const external = await insertReportCampaign(db, {
      audience: 'external',
      questions: [{ key: 'nps', type: 'nps' }],
    });
    for (const [code, n] of Object.entries(SIZES)) {
      const unitId = units.get(code)!.id;
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
    // A released count stands for the leaves (respondent units) below its unit.
    const released = new Released(k);
    const release = (code: string, n: number) => released.add(leaves(code), n);
    const get = (url: string) => t.http().get(url).set(bearer(t.adminToken));

    const report = (await get(`/api/campaigns/${internal}/report`).expect(200)).body;
    release('ROOT', report.responses);
    for (const u of report.units) if (!u.suppressed) release(u.unitCode, u.n);
    for (const code of Object.keys(TREE)) {
      const res = await get(`/api/campaigns/${internal}/report?unitCode=${code}`);
      expect([200, 403]).toContain(res.status);
      if (res.status === 200) release(code, res.body.responses);
    }
    for (const level of ['', '&level=0', '&level=1', '&level=2']) {
      const body = (
        await get(`/api/linkage?internal=${internal}&external=${external}${level}`).expect(200)
      ).body;
      for (const u of body.units) release(u.unitCode, u.internal.n);
      for (const x of body.excluded) expect(x.reason).not.toMatch(/internal n=[0-4]\b/);
    }

    released.expectNoSmallRemainder();
    // Unit A (4 answers) is released by nobody.
    expect(released.has(['A'])).toBe(false);
  });
});
