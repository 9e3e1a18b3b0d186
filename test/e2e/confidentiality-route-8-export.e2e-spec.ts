import { parse } from 'csv-parse/sync';
import { Db } from '../../src/database/db.js';
import { QuestionEntity } from '../../src/database/schema/question.entity.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import {
  insertContactWith,
  insertInvitationRow,
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
  type ReportQuestionSpec,
  type ReportResponseSpec,
} from '../helpers/factories.js';

/**
 * Issue 7, route 8 (SECURITY.md E8): the internal CSV export.
 * - Rows kept `language` and the exact submission time: with the coarsened unit and the contact
 *   list they tie a row to one person. Internal exports now have neither column.
 * - Rows showed every rater's answer to a provider question, also those of rater units whose
 *   service-map cell is suppressed. Now the export reads the campaign's one release decision
 *   (`Disclosure.exportKeeps`): an answer is written only when that question's family releases
 *   every group that defines the row's unit label, i.e. only for groups the map (at some level),
 *   the report and the linkage release too, so no column can be differenced against them to give
 *   a hidden group. Nothing else in a hidden group's row carries its provider answers.
 * The external export keeps its contract (API.md), byte for byte.
 */
const K = 5;
type Row = string[];
type Body = Record<string, any>;

describe.each(dbKinds())('route 8: internal CSV export on %s', (kind) => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: String(K), MIN_COMMENT_GROUP_SIZE: '10' });
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  async function download(campaignId: string): Promise<string> {
    const res = await t
      .http()
      .get(`/api/campaigns/${campaignId}/responses.csv`)
      .set(bearer(t.adminToken))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    return (res.body as Buffer).toString('utf8');
  }
  const records = (text: string): Row[] => parse(text, { bom: true });

  async function serviceMap(campaignId: string, level?: number): Promise<Body> {
    const query = level === undefined ? '' : `?level=${level}`;
    return (
      await t
        .http()
        .get(`/api/campaigns/${campaignId}/service-map${query}`)
        .set(bearer(t.adminToken))
        .expect(200)
    ).body as Body;
  }

  /** A provider question (`key` rates unit `providerUnitId`); the factory writes none. */
  async function rateProvider(campaignId: string, key: string, providerUnitId: string) {
    await db.write((m) => m.update(QuestionEntity, { campaignId, key }, { providerUnitId }));
  }

  describe('a provider column with hidden rater units', () => {
    const QUESTIONS: ReportQuestionSpec[] = [
      { key: 'sat', type: 'csat' },
      { key: 'svc', type: 'nps' },
      { key: 'svc2', type: 'csat' },
      { key: 'why', type: 'text' },
    ];
    const unit: Record<string, string> = {};
    let campaignId: string;
    /** Per rater unit code: [responses, of which rated the provider]. */
    const SIZES: Record<string, [number, number]> = {
      'R8-A': [10, 10],
      'R8-B': [12, 12],
      'R8-C': [7, 4],
      'R8-D': [7, 3],
    };
    // The shown raters (A, B) rate the provider 1, 2, 3, 4 or 9 (both sides of the nps top box,
    // ≥ k differing from the most common rating: the release gate shows only such groups). The
    // hidden raters (C then D, 7 in all) rate it 0, 6, 7, 8 or 10, values nobody else gives and
    // that no other cell holds (sat runs 1–5): any of them anywhere in the file would be a hidden
    // rating leaking. They differ enough among themselves that the rest of the provider total
    // (C + D together, which total − A − B gives) is itself a safe group; were they all alike,
    // the gate would withhold A or B too (issue 7, E5).
    const SHOWN_RATINGS = [1, 2, 3, 4, 9];
    const HIDDEN_RATINGS = [0, 6, 7, 8, 10, 0, 6];

    beforeAll(async () => {
      unit.HQ = await insertUnitWith(db, { code: 'R8-HQ' });
      unit.SVC = await insertUnitWith(db, { code: 'R8-SVC', parentId: unit.HQ });
      unit.SVC2 = await insertUnitWith(db, { code: 'R8-SVC2', parentId: unit.HQ });
      for (const code of Object.keys(SIZES))
        unit[code] = await insertUnitWith(db, { code, parentId: unit.HQ });
      campaignId = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      await rateProvider(campaignId, 'svc', unit.SVC);
      await rateProvider(campaignId, 'svc2', unit.SVC2);
      const responses: ReportResponseSpec[] = [];
      const hiddenRatings = [...HIDDEN_RATINGS];
      for (const [code, [n, raters]] of Object.entries(SIZES)) {
        const hidden = code === 'R8-C' || code === 'R8-D';
        for (let i = 0; i < n; i++) {
          const answers: ReportResponseSpec['answers'] = { sat: 1 + (i % 5), why: `${code} ${i}` };
          if (i < raters)
            answers.svc = hidden ? hiddenRatings.shift()! : SHOWN_RATINGS[i % SHOWN_RATINGS.length];
          // SVC2 is rated by 3 people in all: suppressed everywhere, in the export too.
          if (code === 'R8-A' && i < 3) answers.svc2 = 5;
          responses.push({ unitId: unit[code], language: i % 3 ? 'en' : 'it', answers });
        }
      }
      await insertReportResponses(db, campaignId, responses);
    });

    it('the service map hides the C and D cells (4 and 3 raters) and shows A and B', async () => {
      const map = await serviceMap(campaignId);
      expect(map.providers).toEqual([
        expect.objectContaining({ unitCode: 'R8-SVC', questionKeys: ['svc'], n: 29 }),
        expect.objectContaining({ unitCode: 'R8-SVC2', questionKeys: ['svc2'], suppressed: true }),
      ]);
      const cells = Object.fromEntries(
        (map.cells as Body[])
          .filter((c) => c.providerUnitCode === 'R8-SVC')
          .map((c) => [c.raterUnitCode, c.suppressed ? 'hidden' : c.n]),
      );
      expect(cells).toEqual({ 'R8-A': 10, 'R8-B': 12, 'R8-C': 'hidden', 'R8-D': 'hidden' });
    });

    it('has no language and no time column, and no cell carries either', async () => {
      const text = await download(campaignId);
      const [header, ...rows] = records(text);
      expect(header).toEqual(['response_id', 'unit', 'sat', 'svc', 'svc2', 'why']);
      expect(rows).toHaveLength(36);
      for (const row of rows) {
        for (const cell of row) {
          expect(cell).not.toMatch(/^(en|it)$/);
          expect(cell).not.toMatch(/\d{4}-\d{2}-\d{2}/);
        }
      }
    });

    it('blanks the provider answers of the hidden raters, and nothing else in their rows leaks them', async () => {
      const [header, ...rows] = records(await download(campaignId));
      const col = (name: string) => header.indexOf(name);
      const byUnit = new Map<string, Row[]>();
      for (const row of rows)
        byUnit.set(row[col('unit')], [...(byUnit.get(row[col('unit')]) ?? []), row]);
      // Every unit's own group is released for sat (the headline), so each row keeps its unit.
      expect(Object.fromEntries([...byUnit].map(([u, list]) => [u, list.length]))).toEqual({
        'R8-A': 10,
        'R8-B': 12,
        'R8-C': 7,
        'R8-D': 7,
      });
      for (const code of ['R8-C', 'R8-D']) {
        for (const row of byUnit.get(code)!) {
          expect(row[col('svc')]).toBe('');
          // The row is its id, its unit, sat (1–5) and the comment: no other value anywhere.
          expect(row).toHaveLength(header.length);
          expect(row[col('sat')]).toMatch(/^[1-5]$/);
          expect(row[col('why')]).toMatch(new RegExp(`^(${code} \\d+)?$`));
        }
      }
      for (const rating of new Set(HIDDEN_RATINGS))
        expect(rows.flat()).not.toContain(String(rating));
      // A provider suppressed in the map (3 raters in all) has no answer in the export either.
      expect(rows.every((r) => r[col('svc2')] === '')).toBe(true);
      // A and B keep their ratings: exactly the map's cells (n and mean).
      const map = await serviceMap(campaignId);
      for (const code of ['R8-A', 'R8-B']) {
        const ratings = byUnit.get(code)!.map((r) => Number(r[col('svc')]));
        const cell = (map.cells as Body[]).find(
          (c) => c.raterUnitCode === code && c.providerUnitCode === 'R8-SVC',
        )!;
        expect(ratings).toHaveLength(cell.n);
        expect(ratings.reduce((a, b) => a + b, 0) / ratings.length).toBeCloseTo(cell.mean, 1);
      }
      // The provider total minus everything exported leaves the 7 hidden raters together: a group
      // of ≥ k whose ratings differ (HIDDEN_RATINGS), never one of C or D alone.
      const exported = rows.filter((r) => r[col('svc')] !== '').length;
      expect(map.providers[0].n - exported).toBe(HIDDEN_RATINGS.length);
    });
  });

  it('withholds a cell at every level and in the CSV when, with a rolled-up cell, it would give a hidden group by subtraction', async () => {
    // Raters of svc: G1 4, G2 4 (G 8 together), X 10, Y 3, Z 7. Z alone is safe (7 ratings, 5 of
    // them differing from the most common one, both sides of the top box), so a map that decided
    // each level apart would show Z at leaf level; but with the level-1 cell G, the provider total
    // and X, Z's figure gives Y's three ratings: total − G − X − Z. The release gate decides once
    // for every level (issue 7): Z is withheld at leaf level and at level 1, and the export writes
    // ratings only for the groups the map shows: G's (rows labelled G, its leaves G1 and G2 being
    // hidden for the headline) and X's.
    const root = await insertUnitWith(db, { code: 'R8R-ROOT' });
    const svc = await insertUnitWith(db, { code: 'R8R-SVC' });
    const g = await insertUnitWith(db, { code: 'R8R-G', parentId: root });
    const ids: Record<string, string> = {
      G1: await insertUnitWith(db, { code: 'R8R-G1', parentId: g }),
      G2: await insertUnitWith(db, { code: 'R8R-G2', parentId: g }),
      X: await insertUnitWith(db, { code: 'R8R-X', parentId: root }),
      Y: await insertUnitWith(db, { code: 'R8R-Y', parentId: root }),
      Z: await insertUnitWith(db, { code: 'R8R-Z', parentId: root }),
    };
    const sizes: Record<string, [number, number]> = {
      G1: [6, 4],
      G2: [6, 4],
      X: [10, 10],
      Y: [8, 3],
      Z: [7, 7],
    };
    const id = await insertReportCampaign(db, {
      audience: 'internal',
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'svc', type: 'csat' },
      ],
    });
    await rateProvider(id, 'svc', svc);
    await insertReportResponses(
      db,
      id,
      Object.entries(sizes).flatMap(([code, [n, raters]]) =>
        Array.from({ length: n }, (_, i): ReportResponseSpec => {
          const answers: ReportResponseSpec['answers'] = { sat: 1 + (i % 5) };
          if (i < raters) answers.svc = 1 + ((i * 3) % 5);
          return { unitId: ids[code], answers };
        }),
      ),
    );
    const leaf = await serviceMap(id);
    const level1 = await serviceMap(id, 1);
    const shown = (map: Body) =>
      (map.cells as Body[]).filter((c) => !c.suppressed).map((c) => c.raterUnitCode);
    expect(shown(leaf)).toEqual(['R8R-X']);
    expect(shown(level1)).toEqual(['R8R-G', 'R8R-X']);

    const [header, ...rows] = records(await download(id));
    const col = (name: string) => header.indexOf(name);
    const rated = new Map<string, number[]>();
    for (const r of rows) {
      if (r[col('svc')] === '') continue;
      rated.set(r[col('unit')], [...(rated.get(r[col('unit')]) ?? []), Number(r[col('svc')])]);
    }
    expect(new Set(rated.keys())).toEqual(new Set(['R8R-G', 'R8R-X']));
    // Each exported group is exactly a cell the map shows (n and mean).
    for (const [code, ratings] of rated) {
      const cell = (level1.cells as Body[]).find((c) => c.raterUnitCode === code)!;
      expect(ratings).toHaveLength(cell.n);
      expect(ratings.reduce((a, b) => a + b, 0) / ratings.length).toBeCloseTo(cell.mean, 1);
    }
    // Z's and Y's rows carry no rating: the total minus the export leaves them together (10).
    expect(leaf.providers[0].n - [...rated.values()].flat().length).toBe(sizes.Y[1] + sizes.Z[1]);
  });

  it('leaves the external export as it was: time, language, unit, e-mail and every answer', async () => {
    const ext = await insertUnitWith(db, { code: 'R8-EXT' });
    const id = await insertReportCampaign(db, {
      audience: 'external',
      anonymous: false,
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'why', type: 'text' },
      ],
    });
    const responses: ReportResponseSpec[] = [];
    for (let i = 0; i < 3; i++) {
      const contact = await insertContactWith(db, ext, {
        audience: 'external',
        email: `r8-buyer${i}@example.com`,
      });
      responses.push({
        unitId: ext,
        invitationId: await insertInvitationRow(db, id, contact),
        language: i === 1 ? 'it' : 'en',
        answers: { sat: i + 2, why: `why ${i}` },
      });
    }
    const responseIds = await insertReportResponses(db, id, responses);
    const stored = (await db.manager.query(
      `SELECT id, submitted_at AS "submittedAt", language FROM responses WHERE campaign_id = ${
        db.isSqlite ? '?' : '$1'
      }`,
      [id],
    )) as { id: string; submittedAt: string; language: string }[];
    const [header, ...rows] = records(await download(id));
    expect(header).toEqual([
      'response_id',
      'submitted_at',
      'language',
      'unit',
      'contact_email',
      'sat',
      'why',
    ]);
    const expected = responseIds.map((rid, i) => {
      const s = stored.find((r) => r.id === rid)!;
      return [
        rid,
        s.submittedAt,
        s.language,
        'R8-EXT',
        `r8-buyer${i}@example.com`,
        `${i + 2}`,
        `why ${i}`,
      ];
    });
    const byId = (a: Row, b: Row) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    expect([...rows].sort(byId)).toEqual(expected.sort(byId));
    expect(rows.map((r) => r[2]).sort()).toEqual(['en', 'en', 'it']);
  });
});
