import { Db } from '../../src/database/db.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { campaignDefinition, insertReportResponses } from '../helpers/factories.js';

/**
 * Issue 7, route 6 (tree edits after launch): moving a unit to another parent changed a region's
 * released figure by exactly the moved group. Defence: the unit tree a campaign reports on is frozen
 * at launch (campaign_units); every reader of a launched campaign's results groups by it.
 *
 * An internal campaign and an external one are launched over a tree of regions, answers come in,
 * everything is read (report and every filter; linkage, drivers and waves at every level and
 * perspective; service map at every level; the CSV). Then a small unit moves to another region, a unit is
 * renamed, a unit is created and an unused one deleted: every read is byte-identical. An external
 * campaign launched after the edits groups by the new tree.
 */
describe.each(dbKinds())('route 6: tree edits after launch on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  const admin = () => bearer(t.adminToken);

  beforeAll(async () => {
    t = await startApp(kind);
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  const postUnit = (code: string, parentCode: string | null) =>
    t
      .http()
      .post('/api/units')
      .set(admin())
      .send({ code, name: `Unit ${code}`, parentCode })
      .expect(201);

  async function unitIds(): Promise<Map<string, string>> {
    const rows = (await db.manager.query('SELECT id, code FROM units')) as Array<{
      id: string;
      code: string;
    }>;
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  async function launched(body: Record<string, unknown>): Promise<string> {
    const created = await t.http().post('/api/campaigns').set(admin()).send(body).expect(201);
    const id = created.body.id as string;
    await t.http().post(`/api/campaigns/${id}/launch`).set(admin()).expect(200);
    return id;
  }

  const internalBody = () =>
    campaignDefinition({
      name: 'Internal 2026-Q1',
      languages: ['en'],
      questions: [
        { key: 'sat', type: 'csat', required: true, text: { en: 'Satisfied?' } },
        { key: 'opt', type: 'likert', text: { en: 'Informed?' } },
        { key: 'svc', type: 'csat', providerUnitCode: 'SVC', text: { en: 'Service desk?' } },
        {
          key: 'channel',
          type: 'choice',
          options: [
            { value: 'web', label: { en: 'Web' } },
            { value: 'phone', label: { en: 'Phone' } },
          ],
          text: { en: 'Channel?' },
        },
        { key: 'why', type: 'text', text: { en: 'Why?' } },
      ],
    });

  const externalBody = (name: string) =>
    campaignDefinition({
      name,
      audience: 'external',
      anonymous: false,
      languages: ['en'],
      headline: 'nps',
      questions: [{ key: 'nps', type: 'nps', required: true, text: { en: 'Recommend?' } }],
    });

  /** One read as status + body text. */
  async function readOne(path: string): Promise<string> {
    const res = await t.http().get(path).set(admin());
    // Comments come as a random sample (ORDER BY RANDOM()): compare them as a sorted list.
    if (res.status === 200 && Array.isArray(res.body?.questions)) {
      for (const q of res.body.questions as Array<{ comments?: string[] }>) q.comments?.sort();
      return `${res.status} ${JSON.stringify(res.body)}`;
    }
    return `${res.status} ${res.text}`;
  }

  /** Every release of the two campaigns, as status + body text. */
  async function readEverything(internal: string, external: string, codes: string[]) {
    const out: Record<string, string> = {};
    const read = async (path: string) => {
      out[path] = await readOne(path);
    };
    await read(`/api/campaigns/${internal}/report`);
    for (const code of codes) await read(`/api/campaigns/${internal}/report?unitCode=${code}`);
    await read(`/api/campaigns/${internal}/responses.csv`);
    for (const level of ['', '&level=0', '&level=1', '&level=2']) {
      const pair = `internal=${internal}&external=${external}${level}`;
      await read(`/api/linkage?${pair}`);
      await read(`/api/linkage?${pair}&internalQuestion=opt`);
      await read(`/api/linkage?${pair}&perspective=provider`);
      await read(`/api/linkage/drivers?${pair}`);
      await read(`/api/linkage/waves?${pair}`);
      await read(`/api/linkage/waves?${pair}&perspective=provider`);
      await read(`/api/campaigns/${internal}/service-map?${level.slice(1)}`);
    }
    return out;
  }

  it('keeps every released figure of a launched campaign when units move, are renamed, created or deleted', async () => {
    // ROOT ─ R1 (A 9, B 6, C 4) ─ R2 (D 12, E 7) ─ R3 (F 8, G 5, EMPTY) ─ R4 (I 10, J 11)
    //      ─ R5 (K 14) ─ SVC (the provider)
    await postUnit('ROOT', null);
    for (const r of ['R1', 'R2', 'R3', 'R4', 'R5', 'SVC']) await postUnit(r, 'ROOT');
    const leaves: Record<string, [string, number]> = {
      A: ['R1', 9],
      B: ['R1', 6],
      C: ['R1', 4],
      D: ['R2', 12],
      E: ['R2', 7],
      F: ['R3', 8],
      G: ['R3', 5],
      I: ['R4', 10],
      J: ['R4', 11],
      K: ['R5', 14],
    };
    for (const [code, [parent]] of Object.entries(leaves)) await postUnit(code, parent);
    await postUnit('EMPTY', 'R3');
    const ids = await unitIds();

    const internal = await launched(internalBody());
    const external = await launched(externalBody('External 2026-Q1'));
    const frozen = await db.manager.query(
      `SELECT COUNT(*) AS n FROM campaign_units WHERE campaign_id = ${kind === 'sqlite' ? '?' : '$1'}`,
      [internal],
    );
    expect(Number(frozen[0].n)).toBe(ids.size);

    for (const [code, [, n]] of Object.entries(leaves)) {
      const seed = code.charCodeAt(0);
      await insertReportResponses(
        db,
        internal,
        Array.from({ length: n }, (_, i) => ({
          unitId: ids.get(code)!,
          answers: {
            sat: 1 + ((i * 3 + seed) % 5),
            ...(i % 3 === 0 ? {} : { opt: 1 + ((i + seed) % 5) }),
            svc: 1 + ((i * 2 + seed) % 5),
            channel: i % 2 ? 'web' : 'phone',
            why: `because ${code}${i}`,
          },
        })),
      );
      await insertReportResponses(
        db,
        external,
        Array.from({ length: 10 }, (_, i) => ({
          unitId: ids.get(code)!,
          answers: { nps: (i * 7 + seed) % 11 },
        })),
      );
    }

    // Internal figures are released when the campaign closes (issue 7): close it, so the reads
    // below compare released figures, not the empty reads of an open campaign.
    await t.http().post(`/api/campaigns/${internal}/close`).set(admin()).expect(200);

    const codes = [...ids.keys()].sort();
    const before = await readEverything(internal, external, codes);
    // The reads are real: the report has figures and R2 is a released filter.
    const report = JSON.parse(before[`/api/campaigns/${internal}/report`].slice(4));
    expect(report.responses).toBe(86);
    expect(report.resultsReleased).toBe(true);
    const map = JSON.parse(before[`/api/campaigns/${internal}/service-map?`].slice(4));
    expect(map.cells.some((c: { n?: number }) => c.n !== undefined)).toBe(true);
    expect(before[`/api/campaigns/${internal}/report?unitCode=R2`]).toMatch(/^200 /);
    const waves = before[`/api/linkage/waves?internal=${internal}&external=${external}&level=1`];
    expect(waves).toMatch(/^200 /);
    expect(JSON.parse(waves.slice(4)).pairs[0].pearson.r).toEqual(expect.any(Number));

    // The edits: C (4 answers) moves from R1 to R2, A is renamed, H is created under R2, EMPTY
    // (nothing refers to it) is deleted.
    await t.http().patch('/api/units/C').set(admin()).send({ parentCode: 'R2' }).expect(200);
    await t.http().patch('/api/units/A').set(admin()).send({ name: 'Renamed A' }).expect(200);
    await postUnit('H', 'R2');
    await t.http().delete('/api/units/EMPTY').set(admin()).expect(204);

    const after = await readEverything(internal, external, codes);
    expect(after).toEqual(before);

    // An external campaign launched after the edits reports on the tree as it is now.
    const later = await launched(externalBody('External 2026-Q2'));
    const now = await unitIds();
    for (const code of ['A', 'C', 'D', 'E', 'H']) {
      await insertReportResponses(
        db,
        later,
        Array.from({ length: 6 }, (_, i) => ({ unitId: now.get(code)!, answers: { nps: i + 4 } })),
      );
    }
    const laterReport = await t
      .http()
      .get(`/api/campaigns/${later}/report?unitCode=R2`)
      .set(admin());
    expect(laterReport.status).toBe(200);
    expect(laterReport.body.responses).toBe(24); // C, D, E and H: its tree has C and H under R2
    const laterA = await t.http().get(`/api/campaigns/${later}/report?unitCode=A`).set(admin());
    expect(laterA.body.filter).toEqual({ unitCode: 'A', unitName: 'Renamed A' });
    // The internal campaign still counts C in R1.
    const i1 = `/api/campaigns/${internal}/report?unitCode=R1`;
    expect(await readOne(i1)).toBe(before[i1]);

    // Linkage across the two trees: each side is grouped by its own campaign's tree, groups pair
    // by unit id. At level 1 the internal R2 is D + E (19, frozen), the external R2 is C + D + E + H.
    const level1 = await t
      .http()
      .get(`/api/linkage?internal=${internal}&external=${later}&level=1`)
      .set(admin())
      .expect(200);
    const r2 = (
      level1.body.units as Array<{
        unitCode: string;
        internal: { n: number };
        external: { n: number };
      }>
    ).find((u) => u.unitCode === 'R2');
    expect(r2?.internal.n).toBe(19);
    expect(r2?.external.n).toBe(24);
    // At leaf level, H (created after the internal launch) has no internal group at all, and A
    // keeps the name frozen with the internal campaign.
    const leaf = await t
      .http()
      .get(`/api/linkage?internal=${internal}&external=${later}`)
      .set(admin())
      .expect(200);
    const rows = [...leaf.body.units, ...leaf.body.excluded] as Array<{
      unitCode: string;
      unitName: string;
      reason?: string;
    }>;
    expect(rows.find((u) => u.unitCode === 'H')?.reason).toBe('no internal responses');
    expect(rows.find((u) => u.unitCode === 'A')?.unitName).toBe('Unit A');

    // Responses recorded for H (a contact moved into H who answered before the close; written
    // straight to the table, like every answer of this test): H is not in the campaign's frozen
    // tree, so its responses form a group of their own (a root), never part of the frozen R2.
    await insertReportResponses(
      db,
      internal,
      Array.from({ length: 6 }, (_, i) => ({
        unitId: now.get('H')!,
        answers: { sat: 1 + (i % 5), svc: 3 },
      })),
    );
    const r2Internal = await t
      .http()
      .get(`/api/campaigns/${internal}/report?unitCode=R2`)
      .set(admin());
    expect(r2Internal.status).toBe(200);
    expect(r2Internal.body.responses).toBe(19);
    const whole = await t.http().get(`/api/campaigns/${internal}/report`).set(admin()).expect(200);
    expect(whole.body.responses).toBe(92);
    expect(whole.body.units.map((u: { unitCode: string }) => u.unitCode)).toContain('H');
  });
});
