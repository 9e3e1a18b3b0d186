import { Db } from '../../src/database/db.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, signIn } from '../helpers/auth.js';
import {
  type FixtureResponse,
  type FixtureUnit,
  generator,
  insertCampaign,
  insertUnits,
  TOP_FROM,
  variedValues,
} from '../helpers/linkage-company.js';

type Body = Record<string, any>;
const K = 5;
const BRANCHES = ['B1', 'B2', 'B3', 'B4', 'B5'];
const QUESTIONS = [
  { key: 'sat', type: 'csat' as const },
  { key: 'nps', type: 'nps' as const },
];

/** `count` people of a branch; csat varied enough for the release gate, nps 0–10. */
function people(code: string, count: number, rnd: (a: number, b: number) => number) {
  const sat = variedValues(count, [1, 5], TOP_FROM.csat, K, rnd);
  return sat.map((v): FixtureResponse => ({
    unitCode: code,
    answers: { sat: v, nps: rnd(0, 10) },
  }));
}

/** The readiness table and the what-to-do box of a page (where counts could leak). */
const readinessParts = (html: string) =>
  [
    /<details class="rp-details rp-readiness"[\s\S]*?<\/details>/.exec(html)?.[0] ?? '',
    /<section class="rp-warning rp-next"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '',
  ].join('\n');

describe.each(dbKinds())('linkage readiness (%s)', (kind) => {
  let t: TestApp;
  let admin: Agent;
  let units: Map<string, FixtureUnit>;
  let closedInternal: string;
  let openInternal: string;
  let external: string;
  const rnd = generator(91);

  beforeAll(async () => {
    t = await startApp(kind);
    const db = t.app.get(Db);
    units = await insertUnits(db, [
      { code: 'CO', parentCode: null },
      ...BRANCHES.map((code) => ({ code, parentCode: 'CO' })),
    ]);
    // A small company: enough people inside every branch but B1 (4 < k), 2 customers each.
    closedInternal = await insertCampaign(db, {
      audience: 'internal',
      name: 'Staff 2026',
      questions: QUESTIONS,
      units,
      responses: [
        ...people('B1', 4, rnd),
        ...BRANCHES.slice(1).flatMap((code) => people(code, 12, rnd)),
      ],
    });
    openInternal = await insertCampaign(db, {
      audience: 'internal',
      name: 'Staff open',
      status: 'open',
      questions: QUESTIONS,
      units,
      responses: [
        ...people('B1', 4, rnd),
        ...BRANCHES.slice(1).flatMap((code) => people(code, 12, rnd)),
      ],
    });
    external = await insertCampaign(db, {
      audience: 'external',
      name: 'Customers 2026',
      headline: 'nps',
      questions: QUESTIONS,
      units,
      responses: BRANCHES.flatMap((code) => people(code, 2, rnd)),
    });
    admin = await signIn(t);
  }, 120_000);
  afterAll(() => t.close());

  const api = (internal: string, extra = '') =>
    t
      .http()
      .get(`/api/linkage?internal=${internal}&external=${external}${extra}`)
      .set(bearer(t.adminToken))
      .expect(200)
      .then((r) => r.body as Body);

  it('gives the readiness per unit in the API: exact external counts, internal status only', async () => {
    const body = await api(closedInternal, '&minResponses=5');
    expect(body.n).toBe(0);
    expect(body.readiness.map((r: Body) => [r.unitCode, r.unitName, r.external])).toEqual(
      BRANCHES.map((code) => [code, `Unit ${code}`, { responses: 2, needed: 5, missing: 3 }]),
    );
    // B1 (4 < k) is not enough; the release gate may also withhold one more branch so that B1
    // cannot be derived by subtraction from the company's total: the same neutral wording.
    const status = body.readiness.map((r: Body) => r.internal.status);
    expect(status.slice(0, 4)).toEqual(['notEnough', 'enough', 'enough', 'enough']);
    expect(['enough', 'notEnough']).toContain(status[4]);
    for (const r of body.readiness) expect(Object.keys(r.internal)).toEqual(['status']);
    // B1's 4 internal people appear nowhere in the JSON.
    expect(JSON.stringify(body)).not.toMatch(/"n":4\b|n=4\b/);
  });

  it('shows the readiness table and what to do, with no chart and no statistics', async () => {
    const res = await admin
      .get(`/reports/linkage?internal=${closedInternal}&external=${external}&minResponses=5`)
      .expect(200);
    const html = res.text;
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('class="rp-stats"');
    expect(html).not.toContain('rp-summary');
    // One notice, not two stacked ones.
    expect(html.match(/class="rp-warning/g)).toHaveLength(1);
    expect(html).toContain('What each unit has: 0 of 5 units can be compared');
    expect(html).toMatch(/Unit B2 <span class="muted rp-small">B2<\/span><\/th><td>enough ✓<\/td>/);
    expect(html).toContain('not yet enough, or not released');
    expect(html).toContain('2 of 5: 3 more customer answers');
    expect(html).toContain(
      'Collect 3 more customer answers in Unit B2, 3 more customer answers in Unit B3 and 3 more customer answers in Unit B4 to compare 3 units.',
    );
    // The options come first, in one GET form that keeps the minimum.
    expect(html.indexOf('id="controls-h"')).toBeLessThan(html.indexOf('rp-readiness'));
    expect(html).toMatch(/<input id="c-min" name="minResponses" type="number"[^>]*value="5"/);
    // NPS headline: NPS is the default metric of the external side.
    expect(html).toMatch(
      /<select id="c-em" name="externalMetric"[^>]*><option value="mean">[^<]*<\/option><option value="topbox">[^<]*<\/option><option value="nps" selected>/,
    );
    // No internal count below k: B1's 4 people appear in no readiness cell or message.
    expect(readinessParts(html)).not.toMatch(/\b4\b/);
  });

  it('compares once enough units are ready, with names on the chart and the statistics behind details', async () => {
    const html = (
      await admin
        .get(`/reports/linkage?internal=${closedInternal}&external=${external}&minResponses=2`)
        .expect(200)
    ).text;
    expect(html).toContain('<svg');
    expect(html).toMatch(/<summary>Details for analysts<\/summary>[\s\S]*class="rp-stats"/);
    expect(html).toContain('aria-hidden="true">Unit B2</text>');
    expect(html.indexOf('rp-summary')).toBeLessThan(html.indexOf('<svg'));
    expect(html.indexOf('id="controls-h"')).toBeLessThan(html.indexOf('<svg'));
    expect(readinessParts(html)).not.toMatch(/\b4\b/);
  });

  it('says to close an open internal campaign, and shows nothing of its groups', async () => {
    const body = await api(openInternal, '&minResponses=2');
    expect(body.n).toBe(0);
    expect(body.readiness.map((r: Body) => r.internal)).toEqual(
      BRANCHES.map(() => ({ status: 'pending' })),
    );
    expect(JSON.stringify(body)).not.toMatch(/"n":(4|12)\b/);
    const html = (
      await admin
        .get(`/reports/linkage?internal=${openInternal}&external=${external}&minResponses=2`)
        .expect(200)
    ).text;
    expect(html).not.toContain('<svg');
    expect(html).toContain('Close the internal campaign “Staff open” to release its results');
    expect(html).toContain('released when the campaign closes');
    expect(readinessParts(html)).not.toMatch(/\b(4|12)\b/);
  });

  it('renders in Italian', async () => {
    const html = (
      await admin
        .get(
          `/reports/linkage?internal=${closedInternal}&external=${external}&minResponses=5&lang=it`,
        )
        .expect(200)
    ).text;
    expect(html).toContain('lang="it"');
    expect(html).toContain('Situazione di ciascuna unità: 0 unità su 5 possono essere confrontate');
    expect(html).toContain('2 su 5: mancano 3 risposte dei clienti');
    expect(html).toContain('Raccolga ancora 3 risposte dei clienti in Unit B2');
    expect(html).toContain('Minimo di risposte dei clienti per unità');
    expect(html).not.toContain('customer answers');
  });
});
