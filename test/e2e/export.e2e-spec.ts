import { jest } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { Db } from '../../src/database/db.js';
import { ReportsRepository } from '../../src/reports/reports.repository.js';
import { EXPORT_PAGE_SIZE } from '../../src/reports/response-export.service.js';
import { bearer, dbKinds, startApp, type TestApp, createAnalyst } from '../helpers/app.js';
import {
  insertContactWith,
  insertInvitationRow,
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
  type ReportQuestionSpec,
  type ReportResponseSpec,
} from '../helpers/factories.js';

const ANALYST = { email: 'export-analyst@example.com', password: 'analyst password 1' };
const K = 5;

const QUESTIONS: ReportQuestionSpec[] = [
  { key: 'sat', type: 'csat' },
  { key: 'nps', type: 'nps' },
  { key: 'channel', type: 'choice', options: ['web', 'phone'] },
  { key: 'topics', type: 'choice', multiple: true, options: ['price', 'speed', 'care'] },
  { key: 'why', type: 'text' },
];

/**
 * SECURITY.md G1 payloads. `\0=1` cannot be stored (the app rejects NUL and PostgreSQL cannot hold
 * it), so it is covered by the unit spec of `neutraliseCell`.
 */
const INJECTIONS = [
  '=HYPERLINK("http://x","y")',
  '+1+1',
  '-2+3',
  '@SUM(1)',
  '\t=1',
  '\r=1',
  "=cmd|' /C calc'!A0",
  ' =1',
];

/** Tricky but harmless texts that must round-trip exactly. */
const ROUND_TRIP = [
  'She said "hello", then left',
  'line one\nline two\r\nline three',
  'emoji 👩🏽‍💻 and 🎉',
  'عربي: الخدمة ممتازة',
  'a,b,c;d|e',
  'trailing space ',
];

interface Raw {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

describe.each(dbKinds())('responses.csv on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let analystToken: string;

  async function download(campaignId: string, token = t.adminToken): Promise<Raw> {
    const res = await t
      .http()
      .get(`/api/campaigns/${campaignId}/responses.csv`)
      .set(bearer(token))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    return { status: res.status, headers: res.headers, body: res.body as Buffer };
  }
  const records = (raw: Raw): string[][] => parse(raw.body, { bom: true, relax_quotes: false });

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: String(K), MIN_COMMENT_GROUP_SIZE: '10' });
    db = t.app.get(Db);
    analystToken = await createAnalyst(t, ANALYST);
  });
  afterAll(() => t.close());

  describe('identified external campaign', () => {
    let campaignId: string;
    const emails: string[] = [];

    beforeAll(async () => {
      const unit = await insertUnitWith(db, { code: '=EXT-UNIT' });
      campaignId = await insertReportCampaign(db, {
        audience: 'external',
        anonymous: false,
        name: 'Buyers "Q1"\r\nX-Injected: yes / 2026',
        questions: QUESTIONS,
      });
      const texts = [...ROUND_TRIP, ...INJECTIONS];
      const responses: ReportResponseSpec[] = [];
      for (let i = 0; i < texts.length; i++) {
        const erased = i === 1;
        const email = i === 2 ? `=evil${i}@example.com` : `buyer${i}@example.com`;
        const contact = await insertContactWith(db, unit, {
          audience: 'external',
          email,
          erased,
        });
        const invitationId = await insertInvitationRow(db, campaignId, contact);
        emails.push(erased ? '' : email);
        responses.push({
          unitId: unit,
          invitationId,
          language: i % 2 ? 'it' : 'en',
          answers: {
            sat: 1 + (i % 5),
            nps: i % 11,
            channel: i % 2 ? 'phone' : 'web',
            topics: i % 3 === 0 ? ['price', 'care'] : [],
            why: texts[i],
          },
        });
      }
      await insertReportResponses(db, campaignId, responses);
    });

    it('streams UTF-8 CSV with BOM, safe headers and one row per response', async () => {
      const raw = await download(campaignId);
      expect(raw.status).toBe(200);
      expect(raw.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(raw.headers['cache-control']).toBe('no-store');
      expect(raw.headers['content-disposition']).toBe(
        'attachment; filename="Buyers-Q1X-Injected-yes-2026-responses.csv"',
      );
      expect([...raw.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = records(raw);
      expect(header).toEqual([
        'response_id',
        'submitted_at',
        'language',
        'unit',
        'contact_email',
        'sat',
        'nps',
        'channel',
        'topics',
        'why',
      ]);
      expect(rows).toHaveLength(ROUND_TRIP.length + INJECTIONS.length);
    });

    it('round-trips quotes, commas, newlines, emoji and Arabic, and neutralises every G1 payload', async () => {
      const [header, ...rows] = records(await download(campaignId));
      const why = rows.map((r) => r[header.indexOf('why')]);
      for (const text of ROUND_TRIP) expect(why).toContain(text);
      for (const payload of INJECTIONS) expect(why).toContain(`'${payload}`);
      // Every cell of the file: nothing starts with a formula trigger.
      for (const row of [header, ...rows])
        for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r\0]|^\s+[=+\-@]/);
      expect(new Set(rows.map((r) => r[header.indexOf('unit')]))).toEqual(new Set(["'=EXT-UNIT"]));
    });

    it('writes ratings as plain numbers, joins multiple choices with |, includes e-mails', async () => {
      const raw = await download(campaignId);
      const [header, ...rows] = records(raw);
      const col = (name: string) => header.indexOf(name);
      expect(rows.every((r) => /^[1-5]$/.test(r[col('sat')]))).toBe(true);
      expect(rows.every((r) => /^(10|[0-9])$/.test(r[col('nps')]))).toBe(true);
      expect(raw.body.toString('utf8')).not.toMatch(/"[1-5]"/);
      const topics = rows.map((r) => r[col('topics')]);
      expect(topics).toContain('price|care');
      expect(topics).toContain('');
      const gotEmails = rows.map((r) => r[col('contact_email')]).sort();
      expect(gotEmails).toEqual(emails.map((e) => (e.startsWith('=') ? `'${e}` : e)).sort());
      expect(gotEmails).toContain(''); // the erased contact
      expect(new Set(rows.map((r) => r[col('language')]))).toEqual(new Set(['en', 'it']));
    });

    it('is open to analysts for external campaigns; 404 for unknown ids', async () => {
      expect((await download(campaignId, analystToken)).status).toBe(200);
      await t
        .http()
        .get('/api/campaigns/00000000-0000-4000-8000-000000000000/responses.csv')
        .set(bearer(t.adminToken))
        .expect(404);
      await t.http().get('/api/campaigns/nope/responses.csv').set(bearer(t.adminToken)).expect(404);
      await t.http().get(`/api/campaigns/${campaignId}/responses.csv`).expect(401);
    });
  });

  it('anonymous campaigns carry no identity', async () => {
    const unit = await insertUnitWith(db, { code: 'ANON-UNIT' });
    const campaignId = await insertReportCampaign(db, {
      audience: 'external',
      anonymous: true,
      questions: QUESTIONS,
    });
    const contact = await insertContactWith(db, unit, { audience: 'external' });
    const invitationId = await insertInvitationRow(db, campaignId, contact);
    // Even a (wrongly) linked invitation must not surface.
    await insertReportResponses(db, campaignId, [
      { unitId: unit, invitationId, answers: { sat: 4 } },
      { unitId: unit, answers: { sat: 5 } },
    ]);
    const raw = await download(campaignId);
    const [header, ...rows] = records(raw);
    expect(header).toEqual([
      'response_id',
      'submitted_at',
      'language',
      'unit',
      ...QUESTIONS.map((q) => q.key),
    ]);
    expect(rows).toHaveLength(2);
    const text = raw.body.toString('utf8');
    expect(text).not.toContain(invitationId);
    expect(text).not.toContain(contact);
    expect(text).not.toContain('@example.com');
  });

  describe('internal campaign', () => {
    let campaignId: string;
    const unit: Record<string, string> = {};

    beforeAll(async () => {
      unit.HQ = await insertUnitWith(db, { code: 'I-HQ' });
      unit.BIG = await insertUnitWith(db, { code: 'I-BIG', parentId: unit.HQ });
      unit.MID = await insertUnitWith(db, { code: 'I-MID', parentId: unit.HQ });
      unit.TINY = await insertUnitWith(db, { code: 'I-TINY', parentId: unit.MID });
      unit.TINY2 = await insertUnitWith(db, { code: 'I-TINY2', parentId: unit.MID });
      campaignId = await insertReportCampaign(db, {
        audience: 'internal',
        anonymous: false,
        questions: QUESTIONS,
      });
      const of = (unitId: string, n: number, tag: string): ReportResponseSpec[] =>
        Array.from({ length: n }, (_, i) => ({
          unitId,
          answers: { sat: 1 + (i % 5), why: `${tag} comment ${i}` },
        }));
      // BIG 12, MID 7 (own), TINY 4, TINY2 3: TINY and TINY2 are hidden together (7 ≥ k). The
      // release gate (issue 7) needs every released group AND what it leaves of its parent to have
      // ≥ k answers differing from the most common one: MID's own 7 (1,2,3,4,5,1,2) and TINY +
      // TINY2 (1,2,3,4 + 1,2,3) each have 5, with answers on both sides of the top box.
      await insertReportResponses(db, campaignId, [
        ...of(unit.BIG, 12, 'big'),
        ...of(unit.MID, 7, 'mid'),
        ...of(unit.TINY, 4, 'tiny'),
        ...of(unit.TINY2, 3, 'tiny2'),
      ]);
    });

    it('refuses analysts (individual rows of internal campaigns: admins only)', async () => {
      const raw = await download(campaignId, analystToken);
      expect(raw.status).toBe(403);
      expect(JSON.parse(raw.body.toString('utf8')).message).toMatch(/admins only/);
    });

    it('coarsens units to released groups of ≥ k and blanks comments of groups < 10', async () => {
      const report = await t
        .http()
        .get(`/api/campaigns/${campaignId}/report`)
        .set(bearer(t.adminToken))
        .expect(200);
      expect(report.body.units).toEqual([
        { unitCode: 'I-BIG', unitName: 'Unit I-BIG', n: 12, headline: expect.any(Number) },
        { unitCode: 'I-MID', unitName: 'Unit I-MID', n: 7, headline: expect.any(Number) },
        { unitCode: 'I-TINY', unitName: 'Unit I-TINY', suppressed: true },
        { unitCode: 'I-TINY2', unitName: 'Unit I-TINY2', suppressed: true },
      ]);
      const raw = await download(campaignId);
      const [header, ...rows] = records(raw);
      expect(header).not.toContain('contact_email'); // internal: never identity
      const unitCol = header.indexOf('unit');
      const whyCol = header.indexOf('why');
      const count = new Map<string, number>();
      for (const r of rows) count.set(r[unitCol], (count.get(r[unitCol]) ?? 0) + 1);
      // TINY + TINY2 are reported as their parent MID (7 hidden responses ≥ k); MID's own 7 too.
      expect(Object.fromEntries(count)).toEqual({ 'I-BIG': 12, 'I-MID': 14 });
      const satCol = header.indexOf('sat');
      for (const r of rows) {
        const why = r[whyCol];
        if (r[unitCol] === 'I-BIG') expect(why).toMatch(/^big comment/);
        else expect(why).toMatch(/^(mid|tiny|tiny2) comment/); // MID group: 14 ≥ 10
        // Both labels (BIG's own group, MID's subtree) are released for sat: every rating is kept.
        expect(r[satCol]).toMatch(/^[1-5]$/);
      }
    });

    it('reports the unit as (suppressed) and blanks comments when no released group holds it', async () => {
      const root = await insertUnitWith(db, { code: 'S-ROOT' });
      const a = await insertUnitWith(db, { code: 'S-A', parentId: root });
      const b = await insertUnitWith(db, { code: 'S-B', parentId: root });
      const id = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      // A 4 and B 3 are each below k; together (ROOT) 7 ≥ k answers of which 5 differ from the
      // most common one, on both sides of the top box: ROOT is the smallest released group.
      const satA = [1, 2, 3, 4];
      const satB = [5, 1, 2];
      await insertReportResponses(db, id, [
        ...satA.map((sat) => ({ unitId: a, answers: { sat, why: 'x' } })),
        ...satB.map((sat) => ({ unitId: b, answers: { sat, why: 'y' } })),
      ]);
      const [header, ...rows] = records(await download(id));
      expect(new Set(rows.map((r) => r[header.indexOf('unit')]))).toEqual(new Set(['S-ROOT']));
      expect(rows.every((r) => r[header.indexOf('why')] === '')).toBe(true); // 7 < 10
      expect(rows.map((r) => Number(r[header.indexOf('sat')])).sort()).toEqual(
        [...satA, ...satB].sort(),
      );
      // The same sizes with each unit answering alike (A all 3, B all 2): only 3 of 7 differ from
      // the most common answer, so no group holds them (issue 7, E5) and no rating is written.
      const alike = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      await insertReportResponses(db, alike, [
        ...Array.from({ length: 4 }, () => ({ unitId: a, answers: { sat: 3, why: 'x' } })),
        ...Array.from({ length: 3 }, () => ({ unitId: b, answers: { sat: 2, why: 'y' } })),
      ]);
      const [h1, ...r1] = records(await download(alike));
      expect(new Set(r1.map((r) => r[h1.indexOf('unit')]))).toEqual(new Set(['(suppressed)']));
      expect(r1.every((r) => r[h1.indexOf('sat')] === '' && r[h1.indexOf('why')] === '')).toBe(
        true,
      );
      const lone = await insertReportCampaign(db, { audience: 'internal', questions: QUESTIONS });
      await insertReportResponses(db, lone, [{ unitId: a, answers: { sat: 3, why: 'alone' } }]);
      const [h2, ...r2] = records(await download(lone));
      expect(r2.map((r) => r[h2.indexOf('unit')])).toEqual(['(suppressed)']);
      expect(r2[0][h2.indexOf('why')]).toBe('');
    });
  });

  it('pages through a large campaign (keyset pages of EXPORT_PAGE_SIZE) and exports every row once', async () => {
    const unit = await insertUnitWith(db, { code: 'BIG-EXPORT' });
    const campaignId = await insertReportCampaign(db, {
      audience: 'external',
      anonymous: true,
      questions: QUESTIONS,
    });
    const total = 20_000;
    await insertReportResponses(
      db,
      campaignId,
      Array.from({ length: total }, (_, i) => ({
        unitId: unit,
        answers: { sat: 1 + (i % 5), why: `row ${i}` },
      })),
    );
    const repository = t.app.get(ReportsRepository);
    const pages = jest.spyOn(repository, 'exportPage');
    try {
      const raw = await download(campaignId);
      expect(raw.status).toBe(200);
      const [, ...rows] = records(raw);
      expect(rows).toHaveLength(total);
      expect(new Set(rows.map((r) => r[0])).size).toBe(total);
      expect(pages.mock.calls.length).toBeGreaterThanOrEqual(total / EXPORT_PAGE_SIZE);
      expect(pages.mock.calls.every((c) => c[2] === EXPORT_PAGE_SIZE)).toBe(true);
    } finally {
      pages.mockRestore();
    }
  }, 120_000);
});
