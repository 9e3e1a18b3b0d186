// Live progress of a campaign (issue 8): GET /api/campaigns/:id/progress and
// /admin/campaigns/:id/progress. External campaigns: exact figures per unit. Internal campaigns:
// per unit only invited and a status that goes through the release decision on the counts of the
// last checkpoint (progress-checkpoint.ts) — played here by an attacker with admin rights who reads
// before and after single answers, days apart.
import { iso } from '../../src/common/clock.js';
import { newId } from '../../src/common/crypto.js';
import { recountAnswerCounts } from '../../src/database/answer-counts.js';
import { Db } from '../../src/database/db.js';
import { ResponseEntity } from '../../src/database/schema/response.entity.js';
import { ProgressClock } from '../../src/progress/progress-clock.hook.js';
import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { signIn, type Agent } from '../helpers/auth.js';
import {
  insertCampaignWith,
  insertContactWith,
  insertInvitationRow,
  insertOutboxRow,
  insertUnitWith,
} from '../helpers/factories.js';

/** A clock the test moves by hand (the days that count for the checkpoint, days left). */
class TestClock {
  current = new Date('2026-03-02T12:00:00.000Z');
  now(): Date {
    return this.current;
  }
  at(day: string): void {
    this.current = new Date(`${day}T12:00:00.000Z`);
  }
}

const ANALYST = { email: 'progress.analyst@example.com', password: 'analyst password 42' };

/** `n` anonymous responses of a unit, submitted on `day` (as anonymous responses store it). */
async function respond(db: Db, campaignId: string, unitId: string, n: number, day: string) {
  const rows = Array.from({ length: n }, () => ({
    id: newId(),
    campaignId,
    unitId,
    invitationId: null,
    language: 'en',
    submittedAt: `${day}T00:00:00.000Z`,
  }));
  await db.write(async (m) => {
    await m.insert(ResponseEntity, rows);
    await recountAnswerCounts(m, [campaignId]);
  });
}

async function invite(db: Db, campaignId: string, unitId: string, n: number, external = false) {
  for (let i = 0; i < n; i++) {
    const contact = await insertContactWith(db, unitId, {
      audience: external ? 'external' : 'internal',
    });
    await insertInvitationRow(db, campaignId, contact);
  }
}

/** The rows of the page's unit table: code → the texts of its cells. */
function unitRows(html: string): Map<string, string[]> {
  const table = /<table id="progress-units"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  const out = new Map<string, string[]>();
  for (const row of table.matchAll(/<tr data-unit="([^"]+)">([\s\S]*?)<\/tr>/g)) {
    const cells = [...row[2].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1].replace(/<[^>]+>/g, '').trim(),
    );
    out.set(row[1], cells);
  }
  return out;
}

/** Every number written in a text (digits with their group separators). */
const numbersIn = (text: string) =>
  [...text.matchAll(/\d[\d.,\u00a0]*/g)].map((m) => Number(m[0].replace(/[.,\u00a0]/g, '')));

/**
 * Each unit row of an internal campaign: name, code, invited and a status in words; its only
 * number is the invited count (k aside, which the status may name).
 */
function expectOnlyInvited(rows: Map<string, string[]>, body: any): void {
  const k = body.minGroupSize as number;
  for (const [code, cells] of rows) {
    const invited = body.units.find((u: any) => u.unitCode === code).invited;
    const numbers = numbersIn(cells.slice(2).join(' ')).filter((n) => n !== k);
    expect([code, numbers]).toEqual([code, [invited]]);
  }
}

describe.each(dbKinds())('campaign progress on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let admin: Agent;
  let analyst: Agent;
  let analystToken: string;
  let k: number;
  const clock = new TestClock();
  const units: Record<string, string> = {};

  beforeAll(async () => {
    t = await startApp(kind, {}, [{ provide: ProgressClock, useValue: clock }]);
    db = t.app.get(Db);
    k = t.config.env.MIN_GROUP_SIZE;
    admin = await signIn(t);
    analystToken = await createAnalyst(t, ANALYST);
    analyst = await signIn(t, ANALYST);
    units.ROOT = await insertUnitWith(db, { code: 'P-ROOT' });
    for (const code of ['P-BIG', 'P-MID', 'P-SMALL', 'P-TINY'])
      units[code] = await insertUnitWith(db, { code, parentId: units.ROOT });
  });
  afterAll(() => t.close());

  const api = (id: string, token = t.adminToken) =>
    t.http().get(`/api/campaigns/${id}/progress`).set(bearer(token));

  describe('an external campaign', () => {
    let id: string;
    beforeAll(async () => {
      id = await insertCampaignWith(db, {
        audience: 'external',
        name: 'Buyers 2026-Q1',
        closesAt: '2026-03-12T12:00:00.000Z',
      });
      await invite(db, id, units['P-SMALL'], 3, true);
      await invite(db, id, units['P-BIG'], 4, true);
      await respond(db, id, units['P-SMALL'], 2, '2026-03-01');
      await respond(db, id, units['P-BIG'], 1, '2026-03-02');
      const contact = await insertContactWith(db, units['P-BIG'], { audience: 'external' });
      const reminder = await insertOutboxRow(db, contact, 'sent', id);
      const queued = await insertOutboxRow(db, contact, 'queued', id);
      const p = (i: number) => (db.isSqlite ? '?' : `$${i}`);
      for (const row of [reminder, queued])
        await db.write((m) =>
          m.query(`UPDATE outbox SET kind = 'reminder' WHERE id = ${p(1)}`, [row]),
        );
      clock.at('2026-03-02');
    });

    it('gives exact figures per unit, campaign-wide figures and the daily curve', async () => {
      const body = (await api(id).expect(200)).body;
      expect(body).toMatchObject({
        campaign: { id, name: 'Buyers 2026-Q1', audience: 'external', status: 'open' },
        invited: 7,
        responses: 3,
        remindersSent: 1,
        daysLeft: 10,
        minGroupSize: null,
        daily: [
          { day: '2026-03-01', responses: 2 },
          { day: '2026-03-02', responses: 1 },
        ],
      });
      expect(body.responseRate).toBeCloseTo(3 / 7, 12);
      expect(body.statusAsOf).toBeUndefined();
      expect(body.units).toEqual([
        { unitCode: 'P-BIG', unitName: 'Unit P-BIG', invited: 4, responses: 1, responseRate: 0.25 },
        {
          unitCode: 'P-SMALL',
          unitName: 'Unit P-SMALL',
          invited: 3,
          responses: 2,
          responseRate: 2 / 3,
        },
      ]);
    });

    it('renders the page in English and Italian with formatted numbers and the links', async () => {
      const en = (await admin.get(`/admin/campaigns/${id}/progress`).expect(200)).text;
      expect(en).toContain('<h1>Progress: <bdi>Buyers 2026-Q1</bdi>');
      expect(en).toContain(`href="/admin/campaigns/${id}"`);
      expect(en).toContain(`href="/reports/campaigns/${id}"`);
      expect(en).toContain('<div class="table-wrap">');
      expect(unitRows(en).get('P-SMALL')).toEqual(['Unit P-SMALL', 'P-SMALL', '3', '2', '66.7%']);
      expect(en).toContain('data-figure="rate">42.9%<');
      expect(en).toContain('the exact figures are shown per unit');
      // The per-day bars: one per day, titled with the day and its count.
      expect(en.match(/<rect /g)).toHaveLength(2);
      expect(en).toContain('<title>1 Mar 2026: 2 responses</title>');

      const italian = (await admin.get(`/admin/campaigns/${id}/progress?lang=it`).expect(200)).text;
      expect(italian).toContain('<html lang="it">');
      expect(italian).toContain('<h1>Avanzamento: <bdi>Buyers 2026-Q1</bdi>');
      expect(italian).toContain('Tasso di risposta');
      expect(italian).toContain('Promemoria inviati');
      expect(unitRows(italian).get('P-SMALL')).toEqual([
        'Unit P-SMALL',
        'P-SMALL',
        '3',
        '2',
        '66,7\u00a0%',
      ]);
      expect(italian).toContain('1 mar 2026');
      expect(italian).not.toMatch(/>\s*(Progress|Invited|Response rate|Reminders sent)\s*</);
    });

    it('is documented in the OpenAPI document', async () => {
      const doc = (
        await t.http().get('/api/docs/openapi.json').set(bearer(t.adminToken)).expect(200)
      ).body;
      expect(doc.paths['/api/campaigns/{id}/progress']?.get).toBeDefined();
    });
  });

  describe('an internal campaign, read by an attacker with admin rights', () => {
    let id: string;
    const read = async () => (await api(id).expect(200)).body;
    const page = async () => (await admin.get(`/admin/campaigns/${id}/progress`).expect(200)).text;
    /** Everything of a read but the campaign-wide figures an open campaign may show exactly. */
    const perUnit = (body: any) => ({ statusAsOf: body.statusAsOf, units: body.units });
    const statuses = (body: any) => body.units.map((u: any) => [u.unitCode, u.status]);

    beforeAll(async () => {
      id = await insertCampaignWith(db, {
        audience: 'internal',
        name: 'Colleagues 2026-Q1',
        closesAt: '2026-03-20T12:00:00.000Z',
      });
      // Invited: BIG 4k, MID 2k, SMALL k + 2, TINY 2 (< k: never reported on its own).
      await invite(db, id, units['P-BIG'], 4 * k);
      await invite(db, id, units['P-MID'], 2 * k);
      await invite(db, id, units['P-SMALL'], k + 2);
      await invite(db, id, units['P-TINY'], 2);
      // Day 1: BIG 2k, MID k + 1, SMALL k − 1.
      await respond(db, id, units['P-BIG'], 2 * k, '2026-03-01');
      await respond(db, id, units['P-MID'], k + 1, '2026-03-01');
      await respond(db, id, units['P-SMALL'], k - 1, '2026-03-01');
      clock.at('2026-03-02');
    });

    it('shows no status until a past day is followed by k more answers', async () => {
      const body = await read();
      expect(body.responses).toBe(4 * k);
      expect(body.statusAsOf).toBeNull();
      expect(statuses(body)).toEqual([
        ['P-BIG', 'not_yet'],
        ['P-MID', 'not_yet'],
        ['P-SMALL', 'not_yet'],
        ['P-TINY', 'too_few_invited'],
      ]);
      expect(await page()).toContain(
        `Unit statuses appear once the campaign has at least ${k} answers from earlier days`,
      );
    });

    it('shows per unit only invited and a status, never a response count', async () => {
      await respond(db, id, units['P-BIG'], k, '2026-03-02'); // k answers after day 1
      const body = await read();
      expect(body.minGroupSize).toBe(k);
      expect(body.responses).toBe(5 * k);
      expect(body.statusAsOf).toBe('2026-03-01');
      // Day 1's counts: MID (k + 1) is held back with SMALL (k − 1): were both BIG and MID said to
      // be reported, the campaign total minus theirs would bound SMALL.
      expect(body.units).toEqual([
        { unitCode: 'P-BIG', unitName: 'Unit P-BIG', invited: 4 * k, status: 'on_track' },
        { unitCode: 'P-MID', unitName: 'Unit P-MID', invited: 2 * k, status: 'not_yet' },
        { unitCode: 'P-SMALL', unitName: 'Unit P-SMALL', invited: k + 2, status: 'not_yet' },
        { unitCode: 'P-TINY', unitName: 'Unit P-TINY', invited: 2, status: 'too_few_invited' },
      ]);
      for (const u of body.units)
        expect(Object.keys(u).sort()).toEqual(['invited', 'status', 'unitCode', 'unitName']);

      const html = await page();
      expect(html).toContain(
        `Per-unit counts of internal campaigns are not shown, to keep answers anonymous; a unit is reported when it has at least ${k} responses and the campaign is closed.`,
      );
      expect(html).toContain('Unit statuses reflect the answers received up to 1 Mar 2026');
      const rows = unitRows(html);
      expect([...rows.keys()]).toEqual(['P-BIG', 'P-MID', 'P-SMALL', 'P-TINY']);
      // Each row: name, code, invited and a status in words; its only number is the invited count.
      expect(rows.get('P-SMALL')).toEqual(['Unit P-SMALL', 'P-SMALL', String(k + 2), 'Not yet']);
      expectOnlyInvited(rows, body);
    });

    it('one answer in a unit at k − 1 changes nothing but the campaign-wide figures, then or the next day', async () => {
      const before = await read();
      const beforeHtml = await page();
      await respond(db, id, units['P-SMALL'], 1, '2026-03-02'); // SMALL: k − 1 → k
      const after = await read();
      expect(after.responses).toBe(before.responses + 1);
      expect(perUnit(after)).toEqual(perUnit(before));
      expect(unitRows(await page())).toEqual(unitRows(beforeHtml));

      // The next day, day 2 (k + 1 answers) is a checkpoint, but nothing came in after it yet.
      clock.at('2026-03-03');
      const nextDay = await read();
      expect(perUnit(nextDay)).toEqual(perUnit(before));
      expect(nextDay.daily).toEqual([
        { day: '2026-03-01', responses: 4 * k },
        { day: '2026-03-02', responses: k + 1 },
      ]);
    });

    it('statuses move only with k answers between checkpoints, and never show the answer that moves them', async () => {
      const before = await read();
      await respond(db, id, units['P-BIG'], k - 1, '2026-03-03');
      expect(perUnit(await read())).toEqual(perUnit(before)); // k − 1 answers after day 2
      // The k-th answer after day 2 (in MID) moves the statuses to day 2's counts: they hold
      // SMALL's k-th answer of day 2, and not this one.
      await respond(db, id, units['P-MID'], 1, '2026-03-03');
      const after = await read();
      expect(after.statusAsOf).toBe('2026-03-02');
      expect(after.responses).toBe(6 * k + 1);
      expect(statuses(after)).toEqual([
        ['P-BIG', 'on_track'],
        ['P-MID', 'on_track'],
        ['P-SMALL', 'on_track'],
        ['P-TINY', 'too_few_invited'],
      ]);
      // Between the two checkpoints k + 1 answers came in: SMALL (and MID with it) may now be
      // reported, but nothing tells how many of those answers were SMALL's.
      const daily = new Map<string, number>(after.daily.map((d: any) => [d.day, d.responses]));
      const upTo = (day: string) =>
        [...daily].filter(([d]) => d <= day).reduce((s, [, n]) => s + n, 0);
      expect(upTo(after.statusAsOf) - upTo(before.statusAsOf)).toBeGreaterThanOrEqual(k);
      expect(after.responses - upTo(after.statusAsOf)).toBeGreaterThanOrEqual(k);

      const html = await page();
      expect(html).toContain('Unit statuses reflect the answers received up to 2 Mar 2026');
      expect(unitRows(html).get('P-SMALL')?.[3]).toBe(`Enough responses (at least ${k})`);
      // No per-unit response count anywhere (SMALL has k, BIG 4k − 1, MID k + 2).
      expectOnlyInvited(unitRows(html), after);
      expect(JSON.stringify(after.units)).not.toMatch(/"responses"|"responseRate"|"n"/);
    });

    it('once closed, the statuses are the report’s own decision', async () => {
      const p = (i: number) => (db.isSqlite ? '?' : `$${i}`);
      await db.write((m) =>
        m.query(`UPDATE campaigns SET status = 'closed', closed_at = ${p(1)} WHERE id = ${p(2)}`, [
          iso(),
          id,
        ]),
      );
      const body = await read();
      expect(body.daysLeft).toBe(0);
      expect(body.statusAsOf).toBeUndefined();
      const report = (
        await t.http().get(`/api/campaigns/${id}/report`).set(bearer(t.adminToken)).expect(200)
      ).body;
      const reported = new Set(
        report.units.filter((u: any) => !u.suppressed).map((u: any) => u.unitCode),
      );
      for (const u of body.units)
        if (u.status !== 'too_few_invited')
          expect(u.status).toBe(reported.has(u.unitCode) ? 'reported' : 'not_reported');
      expect(body.units.find((u: any) => u.unitCode === 'P-SMALL').status).toBe('reported');
      expect(await page()).toContain('The campaign is closed');
    });
  });

  describe('access', () => {
    let id: string;
    beforeAll(async () => {
      id = await insertCampaignWith(db, { audience: 'internal', name: 'Access check' });
    });

    it('admins and analysts read it; without a session or token nobody does', async () => {
      await api(id, analystToken).expect(200);
      const asAnalyst = (await analyst.get(`/admin/campaigns/${id}/progress`).expect(200)).text;
      // An analyst has no campaign page: only the link to the results.
      expect(asAnalyst).not.toContain(`href="/admin/campaigns/${id}"`);
      expect(asAnalyst).toContain(`href="/reports/campaigns/${id}"`);
      expect(await admin.get(`/admin/campaigns/${id}/progress`).expect(200)).toBeTruthy();

      await t.http().get(`/api/campaigns/${id}/progress`).expect(401);
      const anonymous = await t.http().get(`/admin/campaigns/${id}/progress`);
      expect([302, 303]).toContain(anonymous.status);
      expect(anonymous.headers.location).toMatch(/^\/login/);
    });

    it('a draft or a campaign with nobody invited reads as such', async () => {
      const html = (await admin.get(`/admin/campaigns/${id}/progress`).expect(200)).text;
      expect(html).toContain('Nobody has been invited yet.');
      expect(html).toContain('No responses yet.');
      expect(html).toContain('No closing date');
      const draft = await insertCampaignWith(db, { audience: 'external', status: 'draft' });
      const body = (await api(draft).expect(200)).body;
      expect(body).toMatchObject({ invited: 0, responses: 0, responseRate: null, daysLeft: null });
      const italian = (await admin.get(`/admin/campaigns/${draft}/progress?lang=it`).expect(200))
        .text;
      expect(italian).toContain('Bozza');
      expect(italian).toContain('Non è ancora stato invitato nessuno.');
    });

    it('an unknown campaign is a 404', async () => {
      await api(newId()).expect(404);
      await admin.get(`/admin/campaigns/${newId()}/progress`).expect(404);
    });

    it('the report page links back to the campaign and to the progress', async () => {
      const html = (await admin.get(`/reports/campaigns/${id}`).expect(200)).text;
      expect(html).toContain(`href="/admin/campaigns/${id}"`);
      expect(html).toContain(`href="/admin/campaigns/${id}/progress"`);
      const asAnalyst = (await analyst.get(`/reports/campaigns/${id}`).expect(200)).text;
      expect(asAnalyst).not.toContain(`href="/admin/campaigns/${id}"`);
      expect(asAnalyst).toContain(`href="/admin/campaigns/${id}/progress"`);
    });
  });
});
