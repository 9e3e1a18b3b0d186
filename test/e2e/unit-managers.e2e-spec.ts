// Unit managers (issue 9): a manager of one region sees its branches' rows and the company-wide
// figures, through the release gate, on every report and linkage route; nothing of another unit
// whatever the parameters; no admin page or API.
import { Db } from '../../src/database/db.js';
import { bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, csrfOf, signIn } from '../helpers/auth.js';
import { type DemoCampaign, seedDemoCompany, spreadDemoBranches } from '../helpers/companies.js';
import { insertReportResponses } from '../helpers/factories.js';

const ANALYST = { email: 'ana@example.com', password: 'analyst password' };
const MANAGER = { email: 'north@example.com', password: 'manager password' };

/** The demo company: ACME → NORTH, SOUTH (branches B-…), and the service units IT, HR, LOG, FIN. */
const NORTH = ['NORTH', 'B-MI', 'B-TO', 'B-GE', 'B-BO', 'B-VE', 'B-VR', 'B-BG'];
const SOUTH_NAMES = ['Roma', 'Napoli', 'Bari', 'Palermo', 'Firenze', 'Cagliari', 'Pescara'];
const FOREIGN = [
  'ACME',
  'SOUTH',
  'B-RM',
  'B-NA',
  'B-BA',
  'B-PA',
  'B-FI',
  'B-CA',
  'B-PE',
  'IT',
  'HR',
];
const isNorth = (code: string) => NORTH.includes(code);

type Json = Record<string, any>;

describe.each(dbKinds())('unit managers (%s)', (kind) => {
  let t: TestApp;
  let internal: DemoCampaign;
  let external: DemoCampaign;
  let admin: Agent;
  let manager: Agent;
  let managerToken: string;
  let analystToken: string;

  const get = async (token: string, url: string, status = 200): Promise<Json> =>
    (await t.http().get(url).set(bearer(token)).expect(status)).body as Json;

  beforeAll(async () => {
    t = await startApp(kind);
    ({ internal, external } = await seedDemoCompany(t));
    await spreadDemoBranches(t, internal);
    analystToken = await createAnalyst(t, ANALYST);
    admin = await signIn(t);
  }, 180_000);
  afterAll(() => t.close());

  it('is invited from the Users page, with the scope unit chosen from the organisation tree', async () => {
    const page = await admin.get('/admin/users').expect(200);
    // The tree in order, indented: the region, then its branches.
    expect(page.text).toMatch(/<option value="NORTH">[^<]*North[^<]*\(NORTH\)<\/option>/i);
    expect(page.text.indexOf('value="NORTH"')).toBeLessThan(page.text.indexOf('value="B-MI"'));
    // A manager without a scope unit is refused with a clear error, nothing created.
    const refused = await admin
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        email: MANAGER.email,
        password: MANAGER.password,
        role: 'manager',
        scopeUnit: '',
      })
      .expect(400);
    expect(refused.text).toContain('A unit manager needs a scope unit');
    expect(refused.text).toContain('href="#user-scopeUnitCode"');
    const created = await admin
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrfOf(refused.text),
        email: MANAGER.email,
        password: MANAGER.password,
        role: 'manager',
        scopeUnit: 'NORTH',
      })
      .expect(303);
    expect(created.headers.location).toBe('/admin/users?done=created');
    const list = await admin.get('/admin/users').expect(200);
    expect(list.text).toContain('unit manager of NORTH');
    const it = await admin.get('/admin/users?lang=it').expect(200);
    expect(it.text).toContain('responsabile di unità di NORTH');
    const users = await get(t.adminToken, '/api/users');
    expect(users.find((u: Json) => u.email === MANAGER.email)).toMatchObject({
      role: 'manager',
      scopeUnitCode: 'NORTH',
    });
    managerToken = (await t.http().post('/api/auth/token').send(MANAGER).expect(201)).body
      .accessToken as string;
    manager = await signIn(t, MANAGER);
  });

  it('refuses a manager without a scope unit, an unknown unit, or a scope for another role (API)', async () => {
    const post = (body: Json) =>
      t
        .http()
        .post('/api/users')
        .set(bearer(t.adminToken))
        .send({ password: 'long enough pw 1', ...body });
    const missing = await post({ email: 'm1@example.com', role: 'manager' }).expect(400);
    expect(missing.body.errors).toEqual([
      { field: 'scopeUnitCode', message: expect.stringContaining('needs a scope unit') },
    ]);
    await post({ email: 'm1@example.com', role: 'manager', scopeUnitCode: 'NOPE' }).expect(400);
    await post({ email: 'm1@example.com', role: 'analyst', scopeUnitCode: 'NORTH' }).expect(400);
    const ok = await post({
      email: 'm1@example.com',
      role: 'manager',
      scopeUnitCode: 'SOUTH',
    }).expect(201);
    expect(ok.body).toMatchObject({ role: 'manager', scopeUnitCode: 'SOUTH' });
    // PATCH: analyst → manager needs a unit; a manager's unit changes; back to analyst drops it.
    const id = ok.body.id as string;
    const patch = (body: Json) =>
      t.http().patch(`/api/users/${id}`).set(bearer(t.adminToken)).send(body);
    await patch({ role: 'analyst' }).expect(200);
    expect((await patch({ role: 'manager' }).expect(400)).body.errors[0].field).toBe(
      'scopeUnitCode',
    );
    expect(
      (await patch({ role: 'manager', scopeUnitCode: 'B-MI' }).expect(200)).body,
    ).toMatchObject({
      role: 'manager',
      scopeUnitCode: 'B-MI',
    });
    expect((await patch({ scopeUnitCode: 'NORTH' }).expect(200)).body.scopeUnitCode).toBe('NORTH');
    expect((await patch({ role: 'analyst' }).expect(200)).body.scopeUnitCode).toBeNull();
    // The user's page: the role form carries the scope unit too.
    const userPage = await admin.get(`/admin/users/${id}`).expect(200);
    expect(userPage.text).toContain('name="scopeUnit"');
    const noUnit = await admin
      .post(`/admin/users/${id}/role`)
      .type('form')
      .send({ _csrf: csrfOf(userPage.text), role: 'manager', scopeUnit: '' })
      .expect(400);
    expect(noUnit.text).toContain('A unit manager needs a scope unit');
    await admin
      .post(`/admin/users/${id}/role`)
      .type('form')
      .send({ _csrf: csrfOf(noUnit.text), role: 'manager', scopeUnit: 'B-TO' })
      .expect(303);
    expect((await get(t.adminToken, '/api/users')).find((u: Json) => u.id === id)).toMatchObject({
      role: 'manager',
      scopeUnitCode: 'B-TO',
    });
    expect((await admin.get(`/admin/users/${id}`).expect(200)).text).toMatch(
      /<option value="B-TO" selected>/,
    );
    await t.http().delete(`/api/users/${id}`).set(bearer(t.adminToken)).expect(204);
  });

  it("keeps a manager's scope unit from being deleted (the unit is still in use)", async () => {
    await t
      .http()
      .post('/api/units')
      .set(bearer(t.adminToken))
      .send({ code: 'EMPTY', name: 'Empty', parentCode: 'ACME' })
      .expect(201);
    const m = await t
      .http()
      .post('/api/users')
      .set(bearer(t.adminToken))
      .send({
        email: 'm2@example.com',
        password: 'long enough pw 1',
        role: 'manager',
        scopeUnitCode: 'EMPTY',
      })
      .expect(201);
    await t.http().delete('/api/units/EMPTY').set(bearer(t.adminToken)).expect(409);
    expect(
      (await get(t.adminToken, '/api/users')).find((u: Json) => u.id === m.body.id).scopeUnitCode,
    ).toBe('EMPTY');
    await t.http().delete(`/api/users/${m.body.id}`).set(bearer(t.adminToken)).expect(204);
    await t.http().delete('/api/units/EMPTY').set(bearer(t.adminToken)).expect(204);
  });

  it("reports: company-wide figures, the region's unit rows only, no foreign filter", async () => {
    for (const c of [internal, external]) {
      const all = await get(analystToken, `/api/campaigns/${c.id}/report`);
      const mine = await get(managerToken, `/api/campaigns/${c.id}/report`);
      // The campaign-level totals are the analyst's.
      expect(mine.responses).toBe(all.responses);
      expect(mine.invited).toBe(all.invited);
      expect(mine.questions.map(({ comments: _c, ...q }: Json) => q)).toEqual(
        all.questions.map(({ comments: _c, ...q }: Json) => q),
      );
      // Campaign-wide comments are not the region's.
      expect(mine.questions.some((q: Json) => q.comments)).toBe(false);
      // Unit rows: exactly the analyst's rows of the region.
      expect(mine.units.length).toBeGreaterThan(0);
      expect(mine.units).toEqual(all.units.filter((u: Json) => isNorth(u.unitCode)));
      expect(mine.filterableUnits).toEqual(all.filterableUnits.filter(isNorth));
      for (const code of FOREIGN) {
        const res = await t
          .http()
          .get(`/api/campaigns/${c.id}/report?unitCode=${code}`)
          .set(bearer(managerToken));
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).not.toMatch(/"n":|responses/);
      }
      // Their own filter answers exactly what it answers an analyst (the gate decides, not the scope).
      for (const code of ['NORTH', 'B-MI']) {
        const a = await t
          .http()
          .get(`/api/campaigns/${c.id}/report?unitCode=${code}`)
          .set(bearer(analystToken));
        const m = await t
          .http()
          .get(`/api/campaigns/${c.id}/report?unitCode=${code}`)
          .set(bearer(managerToken));
        expect(m.status).toBe(a.status);
        if (a.status === 200) {
          expect(m.body.units).toEqual(a.body.units);
          // Comments are a random sample: the same set, in any order.
          const sorted = (qs: Json[]) =>
            qs.map((q) => (q.comments ? { ...q, comments: [...q.comments].sort() } : q));
          expect(sorted(m.body.questions)).toEqual(sorted(a.body.questions));
        }
      }
    }
  });

  it("comments: only the region's released groups; another unit is unknown", async () => {
    for (const c of [internal, external]) {
      const all = await get(analystToken, `/api/campaigns/${c.id}/comments`);
      const mine = await get(managerToken, `/api/campaigns/${c.id}/comments`);
      expect(mine.groups).toEqual(
        all.groups.filter((g: Json) => g.unitCode && isNorth(g.unitCode)),
      );
      if (c === external) expect(mine.groups.length).toBeGreaterThan(0);
      if (mine.group) expect(isNorth(mine.group.unitCode)).toBe(true);
      for (const comment of mine.comments)
        if (comment.unit) expect(isNorth(comment.unit.code)).toBe(true);
      for (const question of all.questions as Json[]) {
        for (const code of FOREIGN) {
          const res = await t
            .http()
            .get(`/api/campaigns/${c.id}/comments?question=${question.key}&unit=${code}`)
            .set(bearer(managerToken));
          expect(res.status).toBe(400);
          expect(res.body.comments).toBeUndefined();
        }
        const page = await manager.get(
          `/reports/campaigns/${c.id}/comments?question=${question.key}&unit=B-RM`,
        );
        expect(page.status).toBe(400);
      }
    }
    if (external) {
      const page = await manager.get(`/reports/campaigns/${external.id}/comments`).expect(200);
      for (const name of SOUTH_NAMES) expect(page.text).not.toContain(name);
    }
  });

  it('linkage, waves, drivers and service map API: no foreign row whatever the parameters', async () => {
    const pair = `internal=${internal.id}&external=${external.id}`;
    for (const extra of [
      '',
      '&level=0',
      '&level=1',
      '&level=2',
      '&perspective=provider',
      '&minResponses=1',
      '&metric=topbox',
    ]) {
      const all = await get(analystToken, `/api/linkage?${pair}${extra}`);
      const mine = await get(managerToken, `/api/linkage?${pair}${extra}`);
      for (const list of ['units', 'excluded', 'readiness'])
        expect(mine[list]).toEqual(all[list].filter((u: Json) => isNorth(u.unitCode)));
      // The statistics across units are company-wide figures.
      expect(mine.n).toBe(all.n);
      expect(mine.pearson).toEqual(all.pearson);
      expect(mine.summary).toBe(all.summary);
    }
    const some = await get(managerToken, `/api/linkage?${pair}`);
    expect(some.units.length + some.readiness.length).toBeGreaterThan(0);
    for (const extra of ['', '?lag=1', '?level=1']) {
      const waves = await get(managerToken, `/api/linkage/waves${extra}`);
      for (const panel of waves.panels) {
        expect(panel.unitCodes.every(isNorth)).toBe(true);
        expect([...panel.leftOut.wave1, ...panel.leftOut.wave2].every(isNorth)).toBe(true);
        for (const code of FOREIGN) expect(panel.unitSetNote ?? '').not.toContain(code);
      }
    }
    const drivers = await get(managerToken, `/api/linkage/drivers?${pair}`);
    expect(drivers).toEqual(await get(analystToken, `/api/linkage/drivers?${pair}`));
    for (const extra of ['', '?level=0', '?level=1', '?level=2']) {
      const all = await get(analystToken, `/api/campaigns/${internal.id}/service-map${extra}`);
      const map = await get(managerToken, `/api/campaigns/${internal.id}/service-map${extra}`);
      expect(map.raters).toEqual(all.raters.filter((r: Json) => isNorth(r.unitCode)));
      if (extra !== '?level=0') expect(map.raters.length).toBeGreaterThan(0);
      expect(map.cells).toEqual(all.cells.filter((c: Json) => isNorth(c.raterUnitCode)));
      for (const p of map.providers as Json[])
        if (!isNorth(p.unitCode)) expect(p.mean === undefined && p.n === undefined).toBe(true);
    }
  });

  it("report pages: the region's branches, nothing of the other region, in en and it", async () => {
    const pair = `internal=${internal.id}&external=${external.id}`;
    const pages = [
      '/reports',
      `/reports/campaigns/${internal.id}`,
      `/reports/campaigns/${external.id}?lang=it`,
      `/reports/campaigns/${internal.id}/service-map`,
      `/reports/campaigns/${internal.id}/comments`,
      `/reports/linkage?${pair}`,
      `/reports/linkage?${pair}&lang=it&level=1`,
      `/reports/linkage?${pair}&level=2&minResponses=1`,
      `/reports/linkage?${pair}&perspective=provider&internalQuestion=sat`,
      `/reports/linkage/waves`,
      `/reports/linkage/waves?lag=1&lang=it`,
      `/reports/linkage/drivers?${pair}`,
    ];
    for (const url of pages) {
      const res = await manager.get(url);
      expect([url, res.status]).toEqual([url, 200]);
      // No link to what a manager may not open: admin pages, live progress, the raw CSV.
      expect([url, /href="\/admin|responses\.csv/.test(res.text)]).toEqual([url, false]);
      for (const name of SOUTH_NAMES) expect([url, res.text.includes(name)]).toEqual([url, false]);
      for (const code of ['B-RM', 'B-NA', 'B-PA'])
        expect([url, res.text.includes(code)]).toEqual([url, false]);
    }
    // The linkage page counts the manager's own comparable units, and says the statistics use all.
    const linkage = await manager.get(
      `/reports/linkage?internal=${internal.id}&external=${external.id}`,
    );
    expect(linkage.text).toMatch(/7 of 7 units can be compared/);
    expect(linkage.text).toMatch(/use all \d+ units of the company/);
    // The methods appendix reproduces statistics over every unit from the per-unit table: it is for
    // analysts (403 for a manager), and the linkage page does not link it for them.
    expect(linkage.text).not.toContain('/reports/linkage/methods');
    await manager
      .get(`/reports/linkage/methods?internal=${internal.id}&external=${external.id}`)
      .expect(403);
    // The index says what the manager sees.
    expect((await manager.get('/reports').expect(200)).text).toContain(
      'You see the results of Region North (NORTH) and the units below it',
    );
    expect((await manager.get('/reports?lang=it').expect(200)).text).toContain(
      'Vedi i risultati di Region North (NORTH)',
    );
    const report = await manager.get(`/reports/campaigns/${external.id}`).expect(200);
    expect(report.text).toContain('Milano');
    // The same page for an analyst does name the other region (the check above can fail).
    const analyst = await signIn(t, ANALYST);
    expect((await analyst.get(`/reports/campaigns/${external.id}`).expect(200)).text).toContain(
      'Napoli',
    );
    // The page language: the manager's own choice is remembered.
    await t
      .http()
      .patch('/api/account')
      .set(bearer(managerToken))
      .send({ language: 'it' })
      .expect(200);
    expect((await manager.get('/reports').expect(200)).text).toMatch(/<html lang="it"/);
    await t
      .http()
      .patch('/api/account')
      .set(bearer(managerToken))
      .send({ language: 'en' })
      .expect(200);
  });

  it("page downloads (CSV, XLSX): the page's own rows, nothing of the other region", async () => {
    const pair = `internal=${internal.id}&external=${external.id}`;
    const pages = [
      `/reports/campaigns/${internal.id}`,
      `/reports/campaigns/${external.id}`,
      `/reports/campaigns/${internal.id}/service-map`,
      `/reports/campaigns/${internal.id}/comments`,
      `/reports/linkage?${pair}`,
      `/reports/linkage?${pair}&level=2&minResponses=1`,
      `/reports/linkage/waves`,
      `/reports/linkage/drivers?${pair}`,
    ];
    const download = (url: string, ext: string) => {
      const [path, query] = url.split('?');
      return `${path}.${ext}${query ? `?${query}` : ''}`;
    };
    for (const url of pages) {
      // The page offers the downloads, and they answer with the page's scope.
      expect([url, (await manager.get(url).expect(200)).text.includes('.csv')]).toEqual([
        url,
        true,
      ]);
      const csv = await manager.get(download(url, 'csv'));
      expect([url, csv.status]).toEqual([url, 200]);
      for (const name of SOUTH_NAMES) expect([url, csv.text.includes(name)]).toEqual([url, false]);
      for (const code of ['B-RM', 'B-NA', 'B-PA'])
        expect([url, csv.text.includes(code)]).toEqual([url, false]);
      const xlsx = await manager.get(download(url, 'xlsx')).buffer(true);
      expect([url, xlsx.status]).toEqual([url, 200]);
    }
    expect((await manager.get(download(pages[1], 'csv')).expect(200)).text).toContain('Milano');
    // An analyst's download of the same page does name the other region (the check can fail).
    const analyst = await signIn(t, ANALYST);
    expect((await analyst.get(download(pages[1], 'csv')).expect(200)).text).toContain('Napoli');
    // The raw responses stay closed to a manager in both formats.
    await manager.get(`/reports/campaigns/${external.id}/responses.csv`).expect(403);
    await manager.get(`/reports/campaigns/${external.id}/responses.xlsx`).expect(403);
  });

  it('no admin page or API, no raw response CSV, no live progress', async () => {
    for (const url of [
      '/admin',
      '/admin/users',
      '/admin/units',
      '/admin/contacts',
      '/admin/campaigns',
      `/admin/campaigns/${internal.id}`,
      `/admin/campaigns/${internal.id}/progress`,
      '/admin/outbox',
      '/admin/settings',
      `/reports/campaigns/${external.id}/responses.csv`,
    ])
      expect([url, (await manager.get(url)).status]).toEqual([url, 403]);
    for (const url of [
      '/api/users',
      '/api/units',
      '/api/units/NORTH',
      '/api/contacts',
      '/api/campaigns',
      `/api/campaigns/${internal.id}`,
      '/api/outbox',
      '/api/settings',
      '/api/tokens',
      `/api/campaigns/${external.id}/responses.csv`,
      `/api/campaigns/${internal.id}/responses.csv`,
      `/api/campaigns/${internal.id}/progress`,
    ])
      expect([url, (await t.http().get(url).set(bearer(managerToken))).status]).toEqual([url, 403]);
    const page = await manager.get('/reports').expect(200);
    await manager
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        email: 'x@example.com',
        password: 'long enough pw 1',
        role: 'admin',
      })
      .expect(403);
    await t
      .http()
      .post('/api/users')
      .set(bearer(managerToken))
      .send({ email: 'x@example.com', password: 'long enough pw 1', role: 'admin' })
      .expect(403);
    await t
      .http()
      .patch('/api/units/B-MI')
      .set(bearer(managerToken))
      .send({ name: 'x' })
      .expect(403);
  });

  it('a manager without a scope unit reads nothing (a row written around the service)', async () => {
    const m = await t
      .http()
      .post('/api/users')
      .set(bearer(t.adminToken))
      .send({
        email: 'm3@example.com',
        password: 'long enough pw 1',
        role: 'manager',
        scopeUnitCode: 'SOUTH',
      })
      .expect(201);
    await t.app
      .get(Db)
      .write((em) => em.query(`UPDATE users SET scope_unit_id = NULL WHERE id = '${m.body.id}'`));
    const token = (
      await t
        .http()
        .post('/api/auth/token')
        .send({ email: 'm3@example.com', password: 'long enough pw 1' })
        .expect(201)
    ).body.accessToken as string;
    await get(token, `/api/campaigns/${internal.id}/report`, 403);
    await get(token, `/api/linkage?internal=${internal.id}&external=${external.id}`, 403);
  });

  it("follows each campaign's frozen tree: a branch moved after the launch stays where it was", async () => {
    // Answers of a brand-new unit under NORTH, after the launch: it is in no frozen group.
    const late = await t
      .http()
      .post('/api/units')
      .set(bearer(t.adminToken))
      .send({ code: 'B-NEW', name: 'Nuova', parentCode: 'NORTH' })
      .expect(201);
    await insertReportResponses(
      t.app.get(Db),
      external.id,
      [1, 2, 3, 4, 5].map((sat) => ({ unitId: late.body.id, answers: { sat } })),
    );
    await t
      .http()
      .patch('/api/units/B-MI')
      .set(bearer(t.adminToken))
      .send({ parentCode: 'SOUTH' })
      .expect(200);
    const mine = await get(managerToken, `/api/campaigns/${internal.id}/report`);
    const all = await get(analystToken, `/api/campaigns/${internal.id}/report`);
    expect(mine.units).toEqual(all.units.filter((u: Json) => isNorth(u.unitCode)));
    expect(mine.units.some((u: Json) => u.unitCode === 'B-MI')).toBe(true);
    const ext = await get(managerToken, `/api/campaigns/${external.id}/report`);
    expect(ext.units.some((u: Json) => u.unitCode === 'B-NEW')).toBe(false);
    await t
      .http()
      .patch('/api/units/B-MI')
      .set(bearer(t.adminToken))
      .send({ parentCode: 'NORTH' })
      .expect(200);
  });
});
