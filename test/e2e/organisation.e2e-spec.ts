import { Db } from '../../src/database/db.js';
import { bearer, dbKinds, startApp, type TestApp, createAnalyst } from '../helpers/app.js';
import { csrfOf, signIn } from '../helpers/auth.js';
import {
  insertCampaignRow,
  insertContactRow,
  insertInvitationRow,
  insertOutboxRow,
  insertResponseRow,
  insertUnitRow,
} from '../helpers/factories.js';
import { QuestionEntity } from '../../src/database/schema/question.entity.js';
import { ResponseEntity } from '../../src/database/schema/response.entity.js';

const ANALYST = { email: 'analyst.org@example.com', password: 'analyst password 1' };

/** The seal of the previewed CSV that a preview page carries for its Import button. */
const sealOf = (html: string): string => /name="previewSeal" value="([^"]+)"/.exec(html)![1];

describe.each(dbKinds())('organisation on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let analystToken: string;
  const admin = () => bearer(t.adminToken);

  beforeAll(async () => {
    t = await startApp(kind);
    db = t.app.get(Db);
    analystToken = await createAnalyst(t, ANALYST);
  });
  afterAll(() => t.close());

  const count = async (table: string, where = '') =>
    Number((await db.manager.query(`SELECT COUNT(*) AS n FROM ${table} ${where}`))[0].n);
  const postUnit = (body: object) => t.http().post('/api/units').set(admin()).send(body);
  const postContact = (body: object) => t.http().post('/api/contacts').set(admin()).send(body);
  const postCsv = (path: string, csv: string | Buffer, contentType = 'text/csv') =>
    t.http().post(path).set(admin()).set('Content-Type', contentType).send(csv);
  const unitCodes = async (prefix: string) =>
    ((await t.http().get('/api/units').set(admin()).expect(200)).body as Array<{ code: string }>)
      .map((u) => u.code)
      .filter((c) => c.startsWith(prefix))
      .sort();

  // ------------------------------------------------------------------------------ units API

  describe('units', () => {
    it('creates a tree of units and lists them with parent codes', async () => {
      const root = await postUnit({ code: '  T1-HQ ', name: ' Head office ' }).expect(201);
      expect(root.body).toEqual({
        id: expect.any(String),
        code: 'T1-HQ',
        name: 'Head office',
        parentCode: null,
      });
      const child = await postUnit({ code: 'T1-B01', name: 'Milan', parentCode: 'T1-HQ' }).expect(
        201,
      );
      expect(child.body).toEqual({
        id: expect.any(String),
        code: 'T1-B01',
        name: 'Milan',
        parentCode: 'T1-HQ',
      });
      const list = await t.http().get('/api/units').set(admin()).expect(200);
      expect(list.body).toEqual(expect.arrayContaining([root.body, child.body]));
      const one = await t.http().get('/api/units/T1-B01').set(admin()).expect(200);
      expect(one.body).toEqual(child.body);
      await t.http().get('/api/units/NOPE').set(admin()).expect(404);
      await t.http().get('/api/units/%00').set(admin()).expect(404);
    });

    it('refuses a duplicate code (409), an unknown parent and invalid fields (400)', async () => {
      await postUnit({ code: 'T2', name: 'Two' }).expect(201);
      const dup = await postUnit({ code: 'T2', name: 'Again' }).expect(409);
      expect(dup.body).toEqual({
        statusCode: 409,
        message: expect.stringContaining('already exists'),
      });
      const orphan = await postUnit({ code: 'T2-X', name: 'Orphan', parentCode: 'NOWHERE' }).expect(
        400,
      );
      expect(orphan.body.errors).toEqual([
        { field: 'parentCode', message: expect.stringContaining('not a known unit') },
      ]);
      for (const body of [
        { code: 'has space', name: 'x' },
        { code: 'é', name: 'x' },
        { code: 'x'.repeat(65), name: 'x' },
        { code: '', name: 'x' },
        { code: 'T2-Y', name: '' },
        { code: 'T2-Y', name: 'x'.repeat(201) },
        { code: 'T2-Y', name: 'two\nlines' },
        { code: 'T2-Y', name: 'nul\u0000' },
        { code: 'T2-Y', name: 'x', extra: 1 },
        { code: 7, name: 'x' },
        { name: 'no code' },
      ]) {
        const res = await postUnit(body).expect(400);
        expect(res.body.statusCode).toBe(400);
      }
      await postUnit({ code: 'T2-Y', name: '😀'.repeat(200) }).expect(201);
    });

    it('renames and moves a unit, refusing cycles', async () => {
      await postUnit({ code: 'T3-A', name: 'A' }).expect(201);
      await postUnit({ code: 'T3-B', name: 'B', parentCode: 'T3-A' }).expect(201);
      await postUnit({ code: 'T3-C', name: 'C', parentCode: 'T3-B' }).expect(201);
      const renamed = await t
        .http()
        .patch('/api/units/T3-C')
        .set(admin())
        .send({ name: 'C renamed' })
        .expect(200);
      expect(renamed.body).toEqual(
        expect.objectContaining({ code: 'T3-C', name: 'C renamed', parentCode: 'T3-B' }),
      );
      const cycle = await t
        .http()
        .patch('/api/units/T3-A')
        .set(admin())
        .send({ parentCode: 'T3-C' })
        .expect(400);
      expect(cycle.body.errors[0]).toEqual({
        field: 'parentCode',
        message: expect.stringMatching(/itself or one of its descendants/),
      });
      await t.http().patch('/api/units/T3-A').set(admin()).send({ parentCode: 'T3-A' }).expect(400);
      await t.http().patch('/api/units/T3-A').set(admin()).send({ parentCode: 'NOPE' }).expect(400);
      await t.http().patch('/api/units/NOPE').set(admin()).send({ name: 'x' }).expect(404);
      await t.http().patch('/api/units/T3-A').set(admin()).send({ code: 'NEW' }).expect(400);
      const moved = await t
        .http()
        .patch('/api/units/T3-C')
        .set(admin())
        .send({ parentCode: 'T3-A' })
        .expect(200);
      expect(moved.body.parentCode).toBe('T3-A');
      const root = await t
        .http()
        .patch('/api/units/T3-C')
        .set(admin())
        .send({ parentCode: null })
        .expect(200);
      expect(root.body.parentCode).toBeNull();
    });

    it('deletes only an unused unit (409 with children, contacts, responses or questions)', async () => {
      await postUnit({ code: 'T4-P', name: 'Parent' }).expect(201);
      await postUnit({ code: 'T4-C', name: 'Child', parentCode: 'T4-P' }).expect(201);
      const withChild = await t.http().delete('/api/units/T4-P').set(admin()).expect(409);
      expect(withChild.body.message).toMatch(/1 child unit/);

      const contactUnit = await insertUnitRow(db, 'T4-CONTACT');
      await insertContactRow(db, contactUnit);
      expect(
        (await t.http().delete('/api/units/T4-CONTACT').set(admin()).expect(409)).body.message,
      ).toMatch(/contact/);

      const campaignId = await insertCampaignRow(db);
      const responseUnit = await insertUnitRow(db, 'T4-RESP');
      await insertResponseRow(db, campaignId, responseUnit);
      expect(
        (await t.http().delete('/api/units/T4-RESP').set(admin()).expect(409)).body.message,
      ).toMatch(/response/);

      const providerUnit = await insertUnitRow(db, 'T4-PROV');
      await db.write((m) =>
        m.insert(QuestionEntity, {
          campaignId,
          key: 'it_service',
          position: 0,
          type: 'csat',
          required: false,
          multiple: false,
          providerUnitId: providerUnit,
          textJson: '{"en":"IT?"}',
          optionsJson: null,
        }),
      );
      expect(
        (await t.http().delete('/api/units/T4-PROV').set(admin()).expect(409)).body.message,
      ).toMatch(/question/);

      await t.http().delete('/api/units/T4-C').set(admin()).expect(204);
      await t.http().delete('/api/units/T4-C').set(admin()).expect(404);
      await t.http().delete('/api/units/T4-P').set(admin()).expect(204);
    });

    it('lets analysts read units but not change them; needs a token', async () => {
      await t.http().get('/api/units').set(bearer(analystToken)).expect(200);
      await t.http().get('/api/units/T2').set(bearer(analystToken)).expect(200);
      await t
        .http()
        .post('/api/units')
        .set(bearer(analystToken))
        .send({ code: 'AN', name: 'x' })
        .expect(403);
      await t
        .http()
        .patch('/api/units/T2')
        .set(bearer(analystToken))
        .send({ name: 'x' })
        .expect(403);
      await t.http().delete('/api/units/T2').set(bearer(analystToken)).expect(403);
      await t
        .http()
        .post('/api/units/import')
        .set(bearer(analystToken))
        .set('Content-Type', 'text/csv')
        .send('code,name,parent_code\n')
        .expect(403);
      await t.http().get('/api/units').expect(401);
    });
  });

  it('documents its endpoints in the OpenAPI description', async () => {
    const doc = await t.http().get('/api/docs/openapi.json').set(admin()).expect(200);
    for (const path of [
      '/api/units',
      '/api/units/import',
      '/api/units/{code}',
      '/api/contacts',
      '/api/contacts/import',
      '/api/contacts/{id}',
    ])
      expect(Object.keys(doc.body.paths)).toContain(path);
    expect(Object.keys(doc.body.paths).filter((p) => /^\/admin\/(units|contacts)/.test(p))).toEqual(
      [],
    );
  });

  // ------------------------------------------------------------------------------ units CSV

  describe('units CSV import', () => {
    it('creates units whose parents come later in the file, in one go', async () => {
      const csv =
        'code,name,parent_code\nI1-B01,Milan,I1-NORTH\nI1-B02,Turin,I1-NORTH\nI1-NORTH,North,I1-HQ\nI1-HQ,Head office,\n';
      const res = await postCsv('/api/units/import', csv).expect(200);
      expect(res.body).toEqual({ created: 4, updated: 0, errors: [], dryRun: false });
      expect(
        (await t.http().get('/api/units/I1-B01').set(admin()).expect(200)).body.parentCode,
      ).toBe('I1-NORTH');
      expect(
        (await t.http().get('/api/units/I1-NORTH').set(admin()).expect(200)).body.parentCode,
      ).toBe('I1-HQ');
    });

    it('dry run reports the same and writes nothing', async () => {
      const csv = 'code,name,parent_code\nI2-A,A,I2-B\nI2-B,B,\nI2-C,C,NOPE\n';
      const before = await count('units');
      const dry = await postCsv('/api/units/import?dryRun=true', csv).expect(200);
      expect(await count('units')).toBe(before);
      expect(dry.body).toEqual({
        created: 2,
        updated: 0,
        errors: [{ line: 4, message: expect.any(String) }],
        dryRun: true,
      });
      const real = await postCsv('/api/units/import', csv).expect(200);
      expect({ ...real.body, dryRun: true }).toEqual(dry.body);
      expect(await count('units')).toBe(before + 2);
      await postCsv('/api/units/import?dryRun=maybe', csv).expect(400);
    });

    it('upserts by code: a re-import updates names and parents, never duplicates', async () => {
      await postCsv(
        '/api/units/import',
        'code,name,parent_code\nI3-P,Parent,\nI3-Q,Other,\nI3-C,Child,I3-P\n',
      ).expect(200);
      const before = await count('units');
      const res = await postCsv(
        '/api/units/import',
        'code,name,parent_code\nI3-C,Child renamed,I3-Q\nI3-P,Parent,\n',
      ).expect(200);
      expect(res.body).toEqual({ created: 0, updated: 2, errors: [], dryRun: false });
      expect(await count('units')).toBe(before);
      const child = await t.http().get('/api/units/I3-C').set(admin()).expect(200);
      expect(child.body).toEqual(
        expect.objectContaining({ name: 'Child renamed', parentCode: 'I3-Q' }),
      );
    });

    it('reports unknown parents, cycles, repeated codes and bad fields by line, keeping the valid lines', async () => {
      const csv = [
        'code,name,parent_code',
        'I4-OK,Fine,', // 2
        'I4-X,X,I4-Y', // 3 cycle
        'I4-Y,Y,I4-X', // 4 cycle
        'I4-Z,Z,I4-GHOST', // 5 unknown parent
        'I4-OK,Again,', // 6 repeated
        'bad code,Name,', // 7
        'I4-N,,', // 8 name missing
        'I4-KID,Kid,I4-Z', // 9 parent refused
        'I4-SELF,Self,I4-SELF', // 10 self cycle
      ].join('\n');
      const res = await postCsv('/api/units/import', csv).expect(200);
      expect(res.body.created).toBe(1);
      expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([
        3, 4, 5, 6, 7, 8, 9, 10,
      ]);
      const byLine = Object.fromEntries(
        res.body.errors.map((e: { line: number; message: string }) => [e.line, e.message]),
      );
      expect(byLine[3]).toMatch(/cycle/);
      expect(byLine[5]).toMatch(/"I4-GHOST" is not a known unit/);
      expect(byLine[6]).toMatch(/already appears on line 2/);
      expect(byLine[7]).toMatch(/code "bad code"/);
      expect(byLine[8]).toMatch(/name is required/);
      expect(byLine[9]).toMatch(/refused \(line 5\)/);
      expect(byLine[10]).toMatch(/cycle/);
      expect(await unitCodes('I4-')).toEqual(['I4-OK']);
    });

    it('refuses a move in the file that closes a cycle through existing units', async () => {
      await postCsv(
        '/api/units/import',
        'code,name,parent_code\nI5-R,R,\nI5-A,A,I5-R\nI5-B,B,I5-A\n',
      ).expect(200);
      const res = await postCsv('/api/units/import', 'code,name,parent_code\nI5-R,R,I5-B\n').expect(
        200,
      );
      expect(res.body).toEqual({
        created: 0,
        updated: 0,
        errors: [{ line: 2, message: expect.stringMatching(/cycle/) }],
        dryRun: false,
      });
      expect(
        (await t.http().get('/api/units/I5-R').set(admin()).expect(200)).body.parentCode,
      ).toBeNull();
    });

    it('reads a BOM, CRLF line ends and the ";" delimiter', async () => {
      const bom = await postCsv(
        '/api/units/import',
        '\uFEFFcode,name,parent_code\r\nI6-A,"A, with comma",\r\nI6-B,B,I6-A\r\n',
      ).expect(200);
      expect(bom.body).toEqual({ created: 2, updated: 0, errors: [], dryRun: false });
      expect((await t.http().get('/api/units/I6-A').set(admin()).expect(200)).body.name).toBe(
        'A, with comma',
      );
      const semi = await postCsv(
        '/api/units/import',
        Buffer.from('\uFEFFcode;name;parent_code\r\nI6-C;C, comma;I6-A\r\n', 'utf8'),
      ).expect(200);
      expect(semi.body).toEqual({ created: 1, updated: 0, errors: [], dryRun: false });
      expect((await t.http().get('/api/units/I6-C').set(admin()).expect(200)).body).toEqual(
        expect.objectContaining({ name: 'C, comma', parentCode: 'I6-A' }),
      );
    });

    it('reports an unbalanced quote by line (never a 500)', async () => {
      const res = await postCsv(
        '/api/units/import',
        'code,name,parent_code\nI7-A,"Alpha,\nI7-B,Beta,\n',
      ).expect(200);
      expect(res.body).toEqual({
        created: 1,
        updated: 0,
        errors: [{ line: 2, message: expect.stringMatching(/unbalanced quote/) }],
        dryRun: false,
      });
      await postCsv('/api/units/import', '"code,name,parent_code\nI7-C,C,\n').expect(400);
    });

    it.each([
      ['', /empty/],
      ['\uFEFF\r\n', /empty/],
      ['code,name\nX,Y\n', /Missing column "parent_code"/],
      ['code,name,parent_code,name\n', /appears more than once/],
      ['code,name,parent_code,colour\n', /Unknown column "colour"/],
      ['PK\u0003\u0004\u0000\u0000binary', /NUL/],
    ])('refuses a bad file with a clear 400: %j', async (csv, message) => {
      const res = await postCsv('/api/units/import', csv).expect(400);
      expect(res.body).toEqual({ statusCode: 400, message: expect.stringMatching(message) });
    });

    it('answers 415 for a JSON body and 413 above 5 MB', async () => {
      const json = await t
        .http()
        .post('/api/units/import')
        .set(admin())
        .send({ code: 'x' })
        .expect(415);
      expect(json.body.message).toMatch(/text\/csv/);
      const big = 'code,name,parent_code\n' + `X,${'n'.repeat(90)},\n`.repeat(60_000);
      await postCsv('/api/units/import', big).expect(413);
    });
  });

  // ------------------------------------------------------------------------------ contacts API

  describe('contacts', () => {
    beforeAll(async () => {
      await postCsv(
        '/api/units/import',
        'code,name,parent_code\nC-U1,Unit one,\nC-U2,Unit two,\nC-PAGE,Paging,\n',
      ).expect(200);
    });

    it('creates a contact with a normalised e-mail and the default language', async () => {
      const res = await postContact({
        email: '  Ada@Example.COM ',
        name: ' Ada Lovelace ',
        audience: 'internal',
        unitCode: 'C-U1',
      }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        audience: 'internal',
        unitCode: 'C-U1',
        language: 'en',
        optedOut: false,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        updatedAt: expect.any(String),
      });
      const dup = await postContact({
        email: 'ADA@example.com',
        name: 'Other',
        audience: 'external',
        unitCode: 'C-U2',
      }).expect(409);
      expect(dup.body).toEqual({
        statusCode: 409,
        message: expect.stringMatching(/already exists/),
      });
    });

    it('refuses an unknown unit and invalid fields with 400', async () => {
      const unknown = await postContact({
        email: 'u@example.com',
        name: 'U',
        audience: 'internal',
        unitCode: 'NOPE',
      }).expect(400);
      expect(unknown.body.errors).toEqual([
        { field: 'unitCode', message: expect.stringMatching(/not a known unit/) },
      ]);
      const base = { email: 'v@example.com', name: 'V', audience: 'external', unitCode: 'C-U1' };
      for (const patch of [
        { email: 'not-an-email' },
        { email: '<script>alert(1)</script>@x.io' },
        { name: 'Evil\r\nBcc: all@example.com' },
        { name: 'x'.repeat(201) },
        { name: '' },
        { audience: 'buyers' },
        { language: 'fr' },
        { optedOut: true },
        { unitCode: 'bad code' },
      ]) {
        const res = await postContact({ ...base, ...patch }).expect(400);
        expect(res.body.statusCode).toBe(400);
      }
      const it = await postContact({ ...base, language: 'it' }).expect(201);
      expect(it.body.language).toBe('it');
    });

    it('gets, changes and 404s single contacts', async () => {
      const created = await postContact({
        email: 'grace@example.com',
        name: 'Grace',
        audience: 'internal',
        unitCode: 'C-U1',
      }).expect(201);
      const id = created.body.id as string;
      expect((await t.http().get(`/api/contacts/${id}`).set(admin()).expect(200)).body).toEqual(
        created.body,
      );
      const changed = await t
        .http()
        .patch(`/api/contacts/${id}`)
        .set(admin())
        .send({
          name: 'Grace Hopper',
          unitCode: 'C-U2',
          language: 'it',
          audience: 'external',
          optedOut: true,
        })
        .expect(200);
      expect(changed.body).toEqual(
        expect.objectContaining({
          name: 'Grace Hopper',
          unitCode: 'C-U2',
          language: 'it',
          audience: 'external',
          optedOut: true,
        }),
      );
      await t
        .http()
        .patch(`/api/contacts/${id}`)
        .set(admin())
        .send({ unitCode: 'NOPE' })
        .expect(400);
      await t
        .http()
        .patch(`/api/contacts/${id}`)
        .set(admin())
        .send({ email: 'new@example.com' })
        .expect(400);
      await t.http().patch(`/api/contacts/${id}`).set(admin()).send({ name: 'a\nb' }).expect(400);
      await t
        .http()
        .get('/api/contacts/00000000-0000-4000-8000-000000000000')
        .set(admin())
        .expect(404);
      await t.http().get('/api/contacts/not-an-id').set(admin()).expect(404);
      await t
        .http()
        .patch('/api/contacts/00000000-0000-4000-8000-000000000000')
        .set(admin())
        .send({ name: 'x' })
        .expect(404);
    });

    it('lists contacts page by page, filtered by audience and unit', async () => {
      for (let i = 0; i < 5; i++)
        await postContact({
          email: `page${i}@example.com`,
          name: `P${i}`,
          audience: i < 3 ? 'internal' : 'external',
          unitCode: 'C-PAGE',
        }).expect(201);
      const p1 = await t
        .http()
        .get('/api/contacts?unitCode=C-PAGE&page=1&pageSize=2')
        .set(admin())
        .expect(200);
      expect(p1.body).toEqual({ items: expect.any(Array), total: 5, page: 1, pageSize: 2 });
      expect(p1.body.items.map((c: { email: string }) => c.email)).toEqual([
        'page0@example.com',
        'page1@example.com',
      ]);
      const p3 = await t
        .http()
        .get('/api/contacts?unitCode=C-PAGE&page=3&pageSize=2')
        .set(admin())
        .expect(200);
      expect(p3.body.items.map((c: { email: string }) => c.email)).toEqual(['page4@example.com']);
      const ext = await t
        .http()
        .get('/api/contacts?unitCode=C-PAGE&audience=external')
        .set(admin())
        .expect(200);
      expect(ext.body.total).toBe(2);
      expect(ext.body.pageSize).toBe(50);
      const none = await t.http().get('/api/contacts?unitCode=NOPE').set(admin()).expect(200);
      expect(none.body).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });
      await t
        .http()
        .get('/api/contacts?audience=&unitCode=&page=&pageSize=')
        .set(admin())
        .expect(200);
      for (const q of [
        'page=0',
        'page=abc',
        'page=1.5',
        'pageSize=0',
        'pageSize=201',
        'audience=buyers',
        'sort=email',
        'page=1&page=2',
      ])
        await t.http().get(`/api/contacts?${q}`).set(admin()).expect(400);
    });

    it('is for admins only', async () => {
      const a = bearer(analystToken);
      await t.http().get('/api/contacts').set(a).expect(403);
      await t
        .http()
        .post('/api/contacts')
        .set(a)
        .send({ email: 'z@example.com', name: 'Z', audience: 'internal', unitCode: 'C-U1' })
        .expect(403);
      await t
        .http()
        .post('/api/contacts/import')
        .set(a)
        .set('Content-Type', 'text/csv')
        .send('email,name,audience,unit_code\n')
        .expect(403);
      await t.http().get('/api/contacts/00000000-0000-4000-8000-000000000000').set(a).expect(403);
      await t
        .http()
        .patch('/api/contacts/00000000-0000-4000-8000-000000000000')
        .set(a)
        .send({ name: 'x' })
        .expect(403);
      await t
        .http()
        .delete('/api/contacts/00000000-0000-4000-8000-000000000000')
        .set(a)
        .expect(403);
      await t.http().get('/api/contacts').expect(401);
    });
  });

  // ------------------------------------------------------------------------------ contacts CSV

  describe('contacts CSV import', () => {
    const HEADER = 'email,name,audience,unit_code,language';
    beforeAll(async () => {
      await postCsv(
        '/api/units/import',
        'code,name,parent_code\nK-U1,K one,\nK-U2,K two,\n',
      ).expect(200);
    });

    it('creates contacts, then updates them on re-import without duplicating', async () => {
      const csv = `${HEADER}\nk1@example.com,Kay One,internal,K-U1,en\nK2@Example.com,Kay Two,external,K-U2,\n`;
      const first = await postCsv('/api/contacts/import', csv).expect(200);
      expect(first.body).toEqual({ created: 2, updated: 0, errors: [], dryRun: false });
      const before = await count('contacts');
      const again = await postCsv(
        '/api/contacts/import',
        `${HEADER}\nk2@example.com,Kay Renamed,internal,K-U1,it\nk1@example.com,Kay One,internal,K-U1,en\n`,
      ).expect(200);
      expect(again.body).toEqual({ created: 0, updated: 2, errors: [], dryRun: false });
      expect(await count('contacts')).toBe(before);
      const list = await t.http().get('/api/contacts?unitCode=K-U1').set(admin()).expect(200);
      const k2 = list.body.items.find((c: { email: string }) => c.email === 'k2@example.com');
      expect(k2).toEqual(
        expect.objectContaining({
          name: 'Kay Renamed',
          audience: 'internal',
          unitCode: 'K-U1',
          language: 'it',
        }),
      );
    });

    it('keeps valid lines and reports bad ones by line number', async () => {
      const csv = [
        HEADER,
        'k3@example.com,Good,internal,K-U1,en', // 2
        'not-an-email,Bad,internal,K-U1,en', // 3
        'k4@example.com,Unknown unit,internal,K-NOPE,en', // 4
        'K3@example.com,Repeated,internal,K-U1,en', // 5
        '"k5@example.com","Evil\r\nBcc: x@y.z",internal,K-U1,en', // 6–7 (line break in a quoted name)
        'k6@example.com,Good too,external,K-U2,it', // 8
        'k7@example.com,Bad language,external,K-U2,fr', // 9
        'k8@example.com,Bad audience,buyer,K-U2,en', // 10
      ].join('\r\n');
      const res = await postCsv('/api/contacts/import', csv).expect(200);
      expect(res.body.created).toBe(2);
      expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6, 9, 10]);
      const byLine = Object.fromEntries(
        res.body.errors.map((e: { line: number; message: string }) => [e.line, e.message]),
      );
      expect(byLine[3]).toMatch(/not a valid e-mail/);
      expect(byLine[4]).toMatch(/unit_code "K-NOPE" is not a known unit/);
      expect(byLine[5]).toMatch(/already appears on line 2/);
      expect(byLine[6]).toMatch(/line breaks/);
      expect(byLine[9]).toMatch(/language/);
      expect(byLine[10]).toMatch(/audience/);
      expect(await count('contacts', "WHERE email = 'k5@example.com'")).toBe(0);
      expect(await count('contacts', "WHERE email = 'k3@example.com'")).toBe(1);
    });

    it('accepts a file without the language column, with BOM and ";"', async () => {
      const res = await postCsv(
        '/api/contacts/import',
        '\uFEFFEmail;Name;Audience;Unit_Code\r\nk9@example.com;Nine, N.;External;K-U2\r\n',
      ).expect(200);
      expect(res.body).toEqual({ created: 1, updated: 0, errors: [], dryRun: false });
      const list = await t
        .http()
        .get('/api/contacts?unitCode=K-U2&audience=external')
        .set(admin())
        .expect(200);
      expect(list.body.items.find((c: { email: string }) => c.email === 'k9@example.com')).toEqual(
        expect.objectContaining({ name: 'Nine, N.', language: 'en' }),
      );
    });

    it('dry run validates and writes nothing', async () => {
      const before = await count('contacts');
      const csv = `${HEADER}\nk10@example.com,Ten,internal,K-U1,en\nk1@example.com,Kay One Changed,internal,K-U1,en\nbad,Bad,internal,K-U1,en\n`;
      const res = await postCsv('/api/contacts/import?dryRun=true', csv).expect(200);
      expect(res.body).toEqual({
        created: 1,
        updated: 1,
        errors: [{ line: 4, message: expect.any(String) }],
        dryRun: true,
      });
      expect(await count('contacts')).toBe(before);
      expect(await count('contacts', "WHERE name = 'Kay One Changed'")).toBe(0);
    });

    it('returns HTML and script in cells only as JSON data', async () => {
      const evil = '<script>alert(1)</script>';
      const res = await postCsv(
        '/api/contacts/import',
        `${HEADER}\nxss@example.com,${evil},internal,K-U1,en\n${evil}@x.io,Name,internal,"<img src=x onerror=alert(1)>",en\n`,
      ).expect(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.created).toBe(1);
      expect(res.body.errors[0].message).toContain('<script>');
      const list = await t.http().get('/api/contacts?unitCode=K-U1').set(admin()).expect(200);
      expect(
        list.body.items.find((c: { email: string }) => c.email === 'xss@example.com').name,
      ).toBe(evil);
    });

    it('refuses bad headers, an empty file and more than 100,000 lines', async () => {
      expect(
        (await postCsv('/api/contacts/import', 'email,name,audience\n').expect(400)).body.message,
      ).toMatch(/Missing column "unit_code"/);
      expect(
        (await postCsv('/api/contacts/import', 'email,name,audience,unit_code,email\n').expect(400))
          .body.message,
      ).toMatch(/more than once/);
      expect((await postCsv('/api/contacts/import', '').expect(400)).body.message).toMatch(/empty/);
      const header = await postCsv('/api/contacts/import', `${HEADER}\n`).expect(200);
      expect(header.body).toEqual({ created: 0, updated: 0, errors: [], dryRun: false });
      const many = `${HEADER}\n${'a@b.co,A,internal,K-U1\n'.repeat(100_001)}`;
      const res = await postCsv('/api/contacts/import', many).expect(413);
      expect(res.body.message).toMatch(/100,000/);
    });

    it('reports an unbalanced quote by line and imports the rest', async () => {
      const res = await postCsv(
        '/api/contacts/import',
        `${HEADER}\n"k11@example.com,Eleven,internal,K-U1,en\nk12@example.com,Twelve,internal,K-U1,en\n`,
      ).expect(200);
      expect(res.body).toEqual({
        created: 1,
        updated: 0,
        errors: [{ line: 2, message: expect.stringMatching(/unbalanced quote/) }],
        dryRun: false,
      });
    });
  });

  // ------------------------------------------------------------------------------ erasure

  describe('erasure', () => {
    it('erases personal data, keeps answers unlinked and scrubs the outbox, in one go', async () => {
      const unitId = await insertUnitRow(db, 'E-UNIT');
      const created = await postContact({
        email: 'erase.me@example.com',
        name: 'Erase Me',
        audience: 'external',
        unitCode: 'E-UNIT',
      }).expect(201);
      const id = created.body.id as string;
      const other = await insertContactRow(db, unitId, 'external');
      const campaignId = await insertCampaignRow(db, 'external');
      const invitationId = await insertInvitationRow(db, campaignId, id);
      const otherInvitation = await insertInvitationRow(db, campaignId, other);
      const responseId = await insertResponseRow(db, campaignId, unitId);
      const otherResponse = await insertResponseRow(db, campaignId, unitId);
      await db.write((m) => m.update(ResponseEntity, { id: responseId }, { invitationId }));
      await db.write((m) =>
        m.update(ResponseEntity, { id: otherResponse }, { invitationId: otherInvitation }),
      );
      const queued = await insertOutboxRow(db, id, 'queued', campaignId);
      const sending = await insertOutboxRow(db, id, 'sending', campaignId);
      const sent = await insertOutboxRow(db, id, 'sent', campaignId);
      const failed = await insertOutboxRow(db, id, 'failed', campaignId);
      const otherMail = await insertOutboxRow(db, other, 'queued', campaignId);

      await t.http().delete(`/api/contacts/${id}`).set(admin()).expect(204);

      const [row] = await db.manager.query(
        `SELECT email, name, erased_at, opted_out FROM contacts WHERE id = '${id}'`,
      );
      expect(row.email).toBeNull();
      expect(row.name).toBeNull();
      expect(row.erased_at).toEqual(expect.any(String));
      expect(Boolean(row.opted_out)).toBe(true);
      const responses = await db.manager.query(
        `SELECT id, invitation_id FROM responses WHERE campaign_id = '${campaignId}' ORDER BY id`,
      );
      expect(responses).toHaveLength(2);
      expect(responses.find((r: { id: string }) => r.id === responseId).invitation_id).toBeNull();
      expect(responses.find((r: { id: string }) => r.id === otherResponse).invitation_id).toBe(
        otherInvitation,
      );
      const outbox = await db.manager.query(
        `SELECT id, status, to_address, body_text, body_html, contact_id, last_error FROM outbox WHERE campaign_id = '${campaignId}'`,
      );
      const mail = (mailId: string) => outbox.find((o: { id: string }) => o.id === mailId);
      expect(mail(queued).status).toBe('cancelled');
      expect(mail(sending).status).toBe('cancelled');
      expect(mail(sent).status).toBe('sent');
      expect(mail(failed).status).toBe('failed');
      for (const mailId of [queued, sending, sent, failed])
        expect(mail(mailId)).toEqual(
          expect.objectContaining({
            to_address: 'erased',
            body_text: null,
            body_html: null,
            contact_id: null,
            last_error: null,
          }),
        );
      expect(mail(otherMail)).toEqual(
        expect.objectContaining({
          status: 'queued',
          contact_id: other,
          to_address: `${other}@example.com`,
        }),
      );

      await t.http().get(`/api/contacts/${id}`).set(admin()).expect(404);
      await t.http().delete(`/api/contacts/${id}`).set(admin()).expect(404);
      await t.http().patch(`/api/contacts/${id}`).set(admin()).send({ name: 'Back' }).expect(404);
      const list = await t.http().get('/api/contacts?unitCode=E-UNIT').set(admin()).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([other]);
      await t
        .http()
        .delete('/api/contacts/00000000-0000-4000-8000-000000000000')
        .set(admin())
        .expect(404);
    });
  });

  // ------------------------------------------------------------------------------ admin pages

  describe('admin pages', () => {
    it('needs a signed-in admin', async () => {
      const anonymous = await t.http().get('/admin/units').expect(303);
      expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Funits');
      await t.http().get('/admin/contacts').expect(303);
      const analyst = await signIn(t, ANALYST);
      await analyst.get('/admin/units').expect(403);
      await analyst.get('/admin/contacts').expect(403);
    });

    it('shows the unit tree, adds a unit (303) and re-renders errors with the input kept (400)', async () => {
      const agent = await signIn(t);
      const page = await agent.get('/admin/units').expect(200);
      expect(page.text).toContain('<h1>Units</h1>');
      await agent
        .post('/admin/units')
        .type('form')
        .send({ code: 'PG-A', name: 'Page A' })
        .expect(403);
      const ok = await agent
        .post('/admin/units')
        .type('form')
        .send({ _csrf: csrfOf(page.text), code: 'PG-A', name: 'Page A', parentCode: '' })
        .expect(303);
      expect(ok.headers.location).toBe('/admin/units?added=PG-A');
      const after = await agent.get(ok.headers.location).expect(200);
      expect(after.text).toContain('Unit PG-A added.');
      expect(after.text).toMatch(/<option value="PG-A"/);
      const child = await agent
        .post('/admin/units')
        .type('form')
        .send({ _csrf: csrfOf(after.text), code: 'PG-B', name: 'Page B', parentCode: 'PG-A' })
        .expect(303);
      const tree = await agent.get(child.headers.location).expect(200);
      expect(tree.text).toMatch(/— <\/span><code>PG-B<\/code>/);
      const bad = await agent
        .post('/admin/units')
        .type('form')
        .send({
          _csrf: csrfOf(tree.text),
          code: 'bad code',
          name: '<b>kept</b>',
          parentCode: 'PG-A',
        })
        .expect(400);
      expect(bad.text).toContain('class="error-summary"');
      expect(bad.text).toContain('value="&lt;b&gt;kept&lt;/b&gt;"');
      expect(bad.text).toMatch(/<option value="PG-A" selected>/);
      const dup = await agent
        .post('/admin/units')
        .type('form')
        .send({ _csrf: csrfOf(bad.text), code: 'PG-A', name: 'Again' })
        .expect(409);
      expect(dup.text).toContain('already exists');
    });

    it('imports units from pasted CSV, escaping everything it echoes', async () => {
      const agent = await signIn(t);
      const page = await agent.get('/admin/units').expect(200);
      const evil = '<script>alert(1)</script>';
      const csv = `code,name,parent_code\r\nPG-X,${evil},\r\n"<img src=x onerror=alert(2)>",Bad,\r\n`;
      const before = await count('units');
      const dry = await agent
        .post('/admin/units/import')
        .type('form')
        .send({ _csrf: csrfOf(page.text), csv, dryRun: 'on' })
        .expect(200);
      expect(await count('units')).toBe(before);
      expect(dry.text).toContain('Preview, nothing was written yet');
      expect(dry.text).not.toContain('<script>alert');
      expect(dry.text).not.toContain('<img src=x');
      expect(dry.text).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
      expect(dry.text).toMatch(/<td class="num">3<\/td>/);
      // The preview offers the import of exactly what it showed.
      expect(dry.text).toContain('Import: create 1, update 0, skip 1 line with problems');
      const real = await agent
        .post('/admin/units/import')
        .type('form')
        .send({ _csrf: csrfOf(dry.text), csv, previewSeal: sealOf(dry.text) })
        .expect(200);
      expect(real.text).toContain('Import done');
      expect(real.text).toContain('What each line did');
      expect(await count('units')).toBe(before + 1);
      const list = await agent.get('/admin/units').expect(200);
      expect(list.text).not.toContain('<script>alert');
      expect(list.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      // Import without a preview: refused, nothing written.
      const cleanCsv = 'code,name,parent_code\nPG-Y,Y,PG-X\n';
      const unpreviewed = await agent
        .post('/admin/units/import')
        .type('form')
        .send({ _csrf: csrfOf(list.text), csv: cleanCsv })
        .expect(409);
      expect(unpreviewed.text).toContain('the preview is missing');
      expect(await count('units')).toBe(before + 1);
      const cleanDry = await agent
        .post('/admin/units/import')
        .type('form')
        .send({ _csrf: csrfOf(list.text), csv: cleanCsv, dryRun: 'on' })
        .expect(200);
      const clean = await agent
        .post('/admin/units/import')
        .type('form')
        .send({ _csrf: csrfOf(list.text), csv: cleanCsv, previewSeal: sealOf(cleanDry.text) })
        .expect(303);
      expect(clean.headers.location).toBe('/admin/units?created=1&updated=0');
      const badHeader = await agent
        .post('/admin/units/import')
        .type('form')
        .send({ _csrf: csrfOf(list.text), csv: 'code,<b>x</b>\n', dryRun: 'on' })
        .expect(400);
      expect(badHeader.text).toContain('The file was not imported');
      expect(badHeader.text).toContain('&quot;&lt;b&gt;x&lt;/b&gt;&quot;');
      expect(badHeader.text).toContain('code,&lt;b&gt;x&lt;/b&gt;');
    });

    it('lists, filters and pages contacts; adds and imports through forms', async () => {
      await postCsv('/api/units/import', 'code,name,parent_code\nPC-U,Page contacts,\n').expect(
        200,
      );
      const rows = Array.from(
        { length: 55 },
        (_, i) =>
          `pc${String(i).padStart(2, '0')}@example.com,PC ${i},${i % 2 ? 'external' : 'internal'},PC-U,en`,
      );
      await postCsv(
        '/api/contacts/import',
        `email,name,audience,unit_code,language\n${rows.join('\n')}\n`,
      ).expect(200);
      const agent = await signIn(t);
      const p1 = await agent.get('/admin/contacts?unitCode=PC-U').expect(200);
      expect(p1.text).toContain('Showing 1–50 of 55 contacts');
      expect(p1.text).toContain('<th scope="col">Contact</th>');
      expect(p1.text).toContain('href="/admin/contacts?unitCode&#x3D;PC-U&amp;page&#x3D;2"');
      const p1It = await agent.get('/admin/contacts?unitCode=PC-U&lang=it').expect(200);
      expect(p1It.text).toContain('1–50 di 55 contatti');
      expect(p1It.text).toContain('<span>Pagina 1 di 2</span>');
      expect(p1It.text).toContain('rel="next">Pagina successiva →</a>');
      expect(p1It.text).toContain('<label for="filter-q">Nome o e-mail</label>');
      expect(p1It.text).toContain('<option value="internal">Interno (collega)</option>');
      const internalIt = await agent
        .get('/admin/contacts?unitCode=PC-U&audience=internal&q=pc1&page=1&lang=it')
        .expect(200);
      expect(internalIt.text).toContain('1–5 di 5 contatti');
      expect(internalIt.text).toContain(
        '<option value="internal" selected>Interno (collega)</option>',
      );
      const p2 = await agent.get('/admin/contacts?unitCode=PC-U&page=2').expect(200);
      expect(p2.text).toContain('Showing 51–55 of 55 contacts');
      const internal = await agent
        .get('/admin/contacts?unitCode=PC-U&audience=internal')
        .expect(200);
      expect(internal.text).toContain('of 28 contacts');
      await agent.get('/admin/contacts?page=abc&audience=nope').expect(200);

      const bad = await agent
        .post('/admin/contacts')
        .type('form')
        .send({
          _csrf: csrfOf(p1.text),
          email: 'nope',
          name: '<i>Kept</i>',
          audience: 'external',
          unitCode: 'PC-U',
          language: 'it',
        })
        .expect(400);
      expect(bad.text).toContain('not a valid e-mail address');
      expect(bad.text).toContain('value="&lt;i&gt;Kept&lt;/i&gt;"');
      expect(bad.text).toMatch(/<option value="it" selected>/);
      const added = await agent
        .post('/admin/contacts')
        .type('form')
        .send({
          _csrf: csrfOf(bad.text),
          email: 'form@example.com',
          name: 'Form Added',
          audience: 'external',
          unitCode: 'PC-U',
          language: 'it',
        })
        .expect(303);
      expect(added.headers.location).toBe('/admin/contacts?added=1');
      const dup = await agent
        .post('/admin/contacts')
        .type('form')
        .send({
          _csrf: csrfOf(bad.text),
          email: 'FORM@example.com',
          name: 'Again',
          audience: 'external',
          unitCode: 'PC-U',
        })
        .expect(409);
      expect(dup.text).toContain('already exists');

      const evil = '<script>alert(3)</script>';
      const csv = `email,name,audience,unit_code\npage.xss@example.com,${evil},internal,PC-U\n${evil},x,internal,PC-U\n`;
      const before = await count('contacts');
      const dry = await agent
        .post('/admin/contacts/import')
        .type('form')
        .send({ _csrf: csrfOf(bad.text), csv, dryRun: 'on' })
        .expect(200);
      expect(await count('contacts')).toBe(before);
      expect(dry.text).not.toContain('<script>alert');
      expect(dry.text).toContain('1 would be created');
      // The same preview in Italian (the browser asks for it): every word of the report too.
      const dryIt = await agent
        .post('/admin/contacts/import')
        .set('Accept-Language', 'it-IT,it;q=0.9')
        .type('form')
        .send({ _csrf: csrfOf(bad.text), csv, dryRun: 'on' })
        .expect(200);
      expect(dryIt.text).toContain('<h1>Contatti</h1>');
      expect(dryIt.text).toContain(
        'Anteprima, non è ancora stato scritto nulla. Da creare: 1; da aggiornare: 0; 1 riga con problemi.',
      );
      expect(dryIt.text).toContain('Che cosa farà ogni riga (la riga 1 è l’intestazione)');
      expect(dryIt.text).toMatch(
        /<td class="num">2<\/td><td><bdi>page\.xss@example\.com<\/bdi><\/td><td>da creare<\/td>/,
      );
      expect(dryIt.text).toMatch(
        /<td class="num">3<\/td><td><bdi><\/bdi><\/td><td class="error">saltata: email &quot;&lt;script&gt;alert\(3\)&lt;\/script&gt;&quot; non è un indirizzo e-mail valido<\/td>/,
      );
      expect(dryIt.text).toContain(
        '>Importa: crea 1, aggiorna 0, salta 1 riga con problemi</button>',
      );
      expect(dryIt.text).toContain('>Anteprima delle modifiche</button>');
      expect(dryIt.text).not.toMatch(/would be|Preview changes|Import:/);
      expect(await count('contacts')).toBe(before);
      const real = await agent
        .post('/admin/contacts/import')
        .type('form')
        .send({ _csrf: csrfOf(bad.text), csv, previewSeal: sealOf(dry.text) })
        .expect(200);
      expect(real.text).toContain('1 created');
      expect(await count('contacts')).toBe(before + 1);
      const listed = await agent.get('/admin/contacts?unitCode=PC-U&audience=internal').expect(200);
      expect(listed.text).not.toContain('<script>alert');
    });

    it('erases a contact after a confirm step', async () => {
      await postCsv('/api/units/import', 'code,name,parent_code\nPE-U,Erase page,\n').expect(200);
      const created = await postContact({
        email: 'page.erase@example.com',
        name: 'Page Erase',
        audience: 'internal',
        unitCode: 'PE-U',
      }).expect(201);
      const id = created.body.id as string;
      const agent = await signIn(t);
      const list = await agent.get('/admin/contacts?unitCode=PE-U').expect(200);
      expect(list.text).toContain(`href="/admin/contacts/${id}/erase"`);
      const confirm = await agent.get(`/admin/contacts/${id}/erase`).expect(200);
      expect(confirm.text).toContain('Erase personal data');
      const confirmIt = await agent.get(`/admin/contacts/${id}/erase?lang=it`).expect(200);
      expect(confirmIt.text).toContain(
        'Sta per cancellare i dati personali di Page Erase (page.erase@example.com), unità PE-U.',
      );
      expect(confirmIt.text).toContain('>Cancella i dati personali</button>');
      expect(await count('contacts', `WHERE id = '${id}' AND erased_at IS NULL`)).toBe(1);
      await agent.post(`/admin/contacts/${id}/erase`).type('form').send({}).expect(403);
      const done = await agent
        .post(`/admin/contacts/${id}/erase`)
        .type('form')
        .send({ _csrf: csrfOf(confirm.text) })
        .expect(303);
      expect(done.headers.location).toBe('/admin/contacts?erased=1');
      expect(
        await count('contacts', `WHERE id = '${id}' AND email IS NULL AND erased_at IS NOT NULL`),
      ).toBe(1);
      const after = await agent.get(done.headers.location).expect(200);
      expect(after.text).toContain('personal data was erased');
      const afterIt = await agent.get(`${done.headers.location}&lang=it`).expect(200);
      expect(afterIt.text).toContain('I dati personali del contatto sono stati cancellati.');
      expect(after.text).not.toContain('page.erase@example.com');
      await agent.get(`/admin/contacts/${id}/erase`).expect(404);
      await agent
        .post(`/admin/contacts/${id}/erase`)
        .type('form')
        .send({ _csrf: csrfOf(confirm.text) })
        .expect(404);
    });
  });
});
