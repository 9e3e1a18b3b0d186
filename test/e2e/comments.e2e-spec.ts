import request from 'supertest';
import { Db } from '../../src/database/db.js';
import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, signIn } from '../helpers/auth.js';
import {
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
  type ReportResponseSpec,
} from '../helpers/factories.js';

const ANALYST = { email: 'ana@example.com', password: 'analyst password' };
const XSS = '<b>bold</b>';

interface Listed {
  text: string;
  unit?: { code: string; name: string };
  language?: string;
}

describe.each(dbKinds())('comments (%s)', (kind) => {
  let t: TestApp;
  let db: Db;
  let admin: Agent;
  let analystToken: string;
  let analyst: Agent;
  let external: string;
  let internalOpen: string;
  let internalClosed: string;
  let internalSmall: string;
  /** Internal closed campaign: comment text → the unit code that wrote it. */
  const writtenBy = new Map<string, string>();
  /** The units of the internal tree: R ─ A ─ A1, R ─ B, R ─ C. */
  const ids: Record<string, string> = {};

  const api = (id: string, query = '', token = t.adminToken) =>
    t.http().get(`/api/campaigns/${id}/comments${query}`).set(bearer(token));

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: '5', MIN_COMMENT_GROUP_SIZE: '10' });
    db = t.app.get(Db);
    ids.R = await insertUnitWith(db, { code: 'R' });
    ids.A = await insertUnitWith(db, { code: 'A', parentId: ids.R });
    ids.A1 = await insertUnitWith(db, { code: 'A1', parentId: ids.A });
    ids.B = await insertUnitWith(db, { code: 'B', parentId: ids.R });
    ids.C = await insertUnitWith(db, { code: 'C', parentId: ids.R });

    // External: two units, 60 comments, one of them markup, a few to search for.
    external = await insertReportCampaign(db, {
      audience: 'external',
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'why', type: 'text' },
      ],
    });
    const ext: ReportResponseSpec[] = [];
    for (let i = 0; i < 60; i++)
      ext.push({
        unitId: i % 2 ? ids.B : ids.C,
        language: i % 3 ? 'en' : 'it',
        answers: { sat: 1 + (i % 5), why: `external comment ${String(i).padStart(2, '0')}` },
      });
    ext[0].answers.why = 'Perché il caffè è FREDDO?';
    ext[1].answers.why = 'coffee 100% cold';
    ext[2].answers.why = XSS;
    ext[3].answers.why = 'x'.repeat(500);
    await insertReportResponses(db, external, ext);

    // Internal, closed: A own 3, A1 11, B 12, C 3 (29 comments).
    internalClosed = await insertReportCampaign(db, {
      audience: 'internal',
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'why', type: 'text' },
      ],
    });
    const sizes: Array<[string, number]> = [
      ['A', 3],
      ['A1', 11],
      ['B', 12],
      ['C', 3],
    ];
    const internal: ReportResponseSpec[] = [];
    let n = 0;
    for (const [code, size] of sizes)
      for (let i = 0; i < size; i++) {
        const text = `note ${String(n++).padStart(3, '0')}`;
        writtenBy.set(text, code);
        internal.push({ unitId: ids[code], answers: { sat: 1 + (n % 5), why: text } });
      }
    await insertReportResponses(db, internalClosed, internal);

    // Internal, open: comments exist, nothing is released.
    internalOpen = await insertReportCampaign(db, {
      audience: 'internal',
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'why', type: 'text' },
      ],
    });
    await insertReportResponses(
      db,
      internalOpen,
      Array.from({ length: 30 }, (_, i) => ({
        unitId: ids.B,
        answers: { sat: 1 + (i % 5), why: `open ${i}` },
      })),
    );
    await db.manager.query(
      `UPDATE campaigns SET status = 'open', closed_at = NULL WHERE id = ${db.isSqlite ? '?' : '$1'}`,
      [internalOpen],
    );

    // Internal, closed, 8 comments: fewer than MIN_COMMENT_GROUP_SIZE campaign-wide.
    internalSmall = await insertReportCampaign(db, {
      audience: 'internal',
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'why', type: 'text' },
      ],
    });
    await insertReportResponses(
      db,
      internalSmall,
      Array.from({ length: 8 }, (_, i) => ({
        unitId: i % 2 ? ids.A1 : ids.B,
        answers: { sat: 1 + (i % 5), why: `small ${i}` },
      })),
    );

    analystToken = await createAnalyst(t, ANALYST);
    admin = await signIn(t);
    analyst = await signIn(t, ANALYST);
  }, 120_000);
  afterAll(() => t.close());

  it('lists every comment of an external campaign with its unit, 50 per page', async () => {
    const first = await api(external, '?question=why').expect(200);
    expect(first.body.released).toBe(true);
    expect(first.body.total).toBe(60);
    expect(first.body.matching).toBe(60);
    expect(first.body.pageCount).toBe(2);
    expect(first.body.comments).toHaveLength(50);
    const second = await api(external, '?question=why&page=2').expect(200);
    expect(second.body.comments).toHaveLength(10);
    const all = [...first.body.comments, ...second.body.comments] as Listed[];
    expect(new Set(all.map((c) => c.text)).size).toBe(60);
    for (const c of all) expect(['B', 'C']).toContain(c.unit?.code);
    // Groups: the campaign and every unit with comments (and their ancestors).
    const codes = (first.body.groups as Array<{ unitCode: string | null }>).map((g) => g.unitCode);
    expect(codes).toEqual([null, 'B', 'C', 'R']);
    const onlyB = await api(external, '?unit=B').expect(200);
    expect(onlyB.body.total).toBe(30);
    for (const c of onlyB.body.comments as Listed[]) expect(c.unit?.code).toBe('B');
  });

  it('keeps one random order: the same on every request, not the order of answering', async () => {
    const a = await api(internalClosed).expect(200);
    const b = await api(internalClosed).expect(200);
    const texts = (a.body.comments as Listed[]).map((c) => c.text);
    expect((b.body.comments as Listed[]).map((c) => c.text)).toEqual(texts);
    expect(texts).toHaveLength(29);
    // The texts were written in answering order ("note 000" first): the list is not that order,
    // nor its reverse.
    const sorted = [...texts].sort();
    expect(texts).not.toEqual(sorted);
    expect(texts).not.toEqual([...sorted].reverse());
    const ext1 = (await api(external).expect(200)).body.comments as Listed[];
    const ext2 = (await api(external).expect(200)).body.comments as Listed[];
    expect(ext2.map((c) => c.text)).toEqual(ext1.map((c) => c.text));
  });

  it('searches without case or accents, and treats % and _ as plain characters', async () => {
    const accents = await api(external, `?q=${encodeURIComponent('PERCHE il caffe')}`).expect(200);
    expect(accents.body.total).toBe(60);
    expect(accents.body.matching).toBe(1);
    expect(accents.body.comments[0].text).toBe('Perché il caffè è FREDDO?');
    const percent = await api(external, `?q=${encodeURIComponent('%')}`).expect(200);
    expect((percent.body.comments as Listed[]).map((c) => c.text)).toEqual(['coffee 100% cold']);
    const underscore = await api(external, `?q=_`).expect(200);
    expect(underscore.body.matching).toBe(0);
    const page = await admin
      .get(`/reports/campaigns/${external}/comments?q=${encodeURIComponent('Perche')}`)
      .expect(200);
    expect(page.text).toContain('60 comments, 1 matching');
  });

  it('releases nothing of an open internal campaign', async () => {
    const res = await api(internalOpen).expect(200);
    expect(res.body.released).toBe(false);
    expect(res.body.comments).toEqual([]);
    expect(res.body.groups).toEqual([]);
    expect(res.body.total).toBe(0);
    await api(internalOpen, '?unit=B').expect(403);
    const page = await admin.get(`/reports/campaigns/${internalOpen}/comments`).expect(200);
    expect(page.text).toContain('Comments of an internal campaign are released when it closes.');
    expect(page.text).not.toContain('open 1');
  });

  it('lists a closed internal campaign only for released groups, never attributed', async () => {
    for (const token of [t.adminToken, analystToken]) {
      const res = await api(internalClosed, '', token).expect(200);
      expect(res.body.released).toBe(true);
      expect(res.body.minCommentGroupSize).toBe(10);
      const codes = (res.body.groups as Array<{ unitCode: string | null }>).map((g) => g.unitCode);
      // Campaign-wide (29), R (the same people) and A (14, leaving 15). B would leave C's 3
      // comments to subtraction, A1 would leave A's own 3, C is below 10.
      expect(codes).toEqual([null, 'A', 'R']);
      expect(res.body.total).toBe(29);
      for (const c of res.body.comments as Array<Record<string, unknown>>)
        expect(Object.keys(c)).toEqual(['text']);
      for (const unit of ['B', 'C', 'A1'])
        await api(internalClosed, `?unit=${unit}`, token).expect(403);
      const a = await api(internalClosed, '?unit=A', token).expect(200);
      expect(a.body.total).toBe(14);
    }
    await api(internalClosed, '?unit=NOPE').expect(400);
    await api(internalClosed, '?question=sat').expect(400);
    const page = await analyst.get(`/reports/campaigns/${internalClosed}/comments`).expect(200);
    expect(page.text).toContain('<option value="A"');
    for (const code of ['B', 'C', 'A1']) expect(page.text).not.toContain(`<option value="${code}"`);
    expect(page.text).toContain('Whole campaign');
    expect(page.text).toContain('29 comments');
    expect(page.text).not.toContain('cm-unit');
    expect(page.text).not.toMatch(/<li[^>]*>[^<]*<p[^>]*>note \d+<\/p><p/);
    expect(page.text).toContain('lang=""');
    await analyst.get(`/reports/campaigns/${internalClosed}/comments?unit=C`).expect(403);
  });

  it('lets no comment be traced to a group below the threshold by comparing lists', async () => {
    const lists: Array<Set<string>> = [];
    const body = (await api(internalClosed).expect(200)).body as {
      groups: Array<{ unitCode: string | null }>;
    };
    for (const g of body.groups) {
      const res = await api(internalClosed, g.unitCode ? `?unit=${g.unitCode}` : '').expect(200);
      lists.push(new Set((res.body.comments as Listed[]).map((c) => c.text)));
    }
    // Comments that appear in exactly the same lists cannot be told apart: each such class is
    // what an attacker can isolate by intersecting and subtracting lists.
    const classes = new Map<string, string[]>();
    for (const text of writtenBy.keys()) {
      const signature = lists.map((l) => (l.has(text) ? 1 : 0)).join('');
      if (!signature.includes('1')) continue;
      classes.set(signature, [...(classes.get(signature) ?? []), text]);
    }
    expect(classes.size).toBeGreaterThan(1);
    for (const members of classes.values()) expect(members.length).toBeGreaterThanOrEqual(10);
    // And no class is the comments of a unit (or subtree) below the threshold.
    for (const members of classes.values()) {
      const units = new Set(members.map((m) => writtenBy.get(m)));
      expect(units.size).toBeGreaterThan(1);
    }
  });

  it('shows no group when the campaign has fewer comments than MIN_COMMENT_GROUP_SIZE', async () => {
    const res = await api(internalSmall).expect(200);
    expect(res.body.groups).toEqual([]);
    expect(res.body.group).toBeNull();
    expect(res.body.comments).toEqual([]);
    const page = await admin.get(`/reports/campaigns/${internalSmall}/comments`).expect(200);
    expect(page.text).toContain('No group has enough comments to be shown');
    expect(page.text).not.toContain('small 1');
  });

  it('renders the page escaped, in Italian too, with a link back to the report', async () => {
    const found = await admin.get(`/reports/campaigns/${external}/comments?q=bold`).expect(200);
    expect(found.text).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(found.text).not.toContain(XSS);
    const page = await admin.get(`/reports/campaigns/${external}/comments`).expect(200);
    expect(page.text).not.toContain(XSS);
    expect(page.text).toContain(`href="/reports/campaigns/${external}?lang&#x3D;en"`);
    expect(page.text).toContain('60 comments');
    expect(page.text).toContain('rel="next"');
    expect(page.text).toContain('Unit C (C)');
    const it = await admin.get(`/reports/campaigns/${external}/comments?lang=it`).expect(200);
    expect(it.text).toContain('<html lang="it"');
    expect(it.text).toContain('Torna ai risultati');
    expect(it.text).toContain('Intera campagna');
    expect(it.text).toContain('60 commenti');
    const report = await admin.get(`/reports/campaigns/${internalClosed}`).expect(200);
    expect(report.text).toContain(`href="/reports/campaigns/${internalClosed}/comments?lang=en"`);
  });

  it('refuses a visitor without a session or token', async () => {
    const url = `/reports/campaigns/${internalClosed}/comments`;
    const res = await request(t.app.getHttpServer()).get(url).expect(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    await t.http().get(`/api/campaigns/${internalClosed}/comments`).expect(401);
  });
});
