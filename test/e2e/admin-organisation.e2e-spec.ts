import { Db } from '../../src/database/db.js';
import { dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, csrfOf, signIn } from '../helpers/auth.js';
import { insertContactWith, insertUnitWith } from '../helpers/factories.js';

const decoded = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
/** The seal of the previewed CSV that a preview page carries for its Import button. */
const sealOf = (html: string): string => /name="previewSeal" value="([^"]+)"/.exec(html)![1];
/** The text of the CSV field as the page shows it (the newline after the tag is not content). */
const textareaOf = (html: string): string =>
  /<textarea id="csv"[^>]*>\n?([^<]*)<\/textarea>/.exec(html)![1];

describe.each(dbKinds())('organisation in the browser on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let admin: Agent;
  let contactId: string;

  const post = async (path: string, form: Record<string, string>, status: number) => {
    const page = await admin.get('/admin/units').expect(200);
    return admin
      .post(path)
      .type('form')
      .send({ _csrf: csrfOf(page.text), ...form })
      .expect(status);
  };
  const unitRow = async (code: string) =>
    (
      (await db.manager.query(
        `SELECT u.name, p.code AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.code = '${code}'`,
      )) as Array<{ name: string; parent: string | null }>
    )[0];

  beforeAll(async () => {
    t = await startApp(kind);
    db = t.app.get(Db);
    admin = await signIn(t);
    const hq = await insertUnitWith(db, { code: 'HQ' });
    const sales = await insertUnitWith(db, { code: 'SALES', parentId: hq });
    await insertUnitWith(db, { code: 'NORTH', parentId: sales });
    await insertUnitWith(db, { code: 'SPARE' });
    await insertContactWith(db, sales);
    const spare = (await db.manager.query(`SELECT id FROM units WHERE code = 'SPARE'`))[0]
      .id as string;
    contactId = await insertContactWith(db, spare, {
      name: 'Maria Rossi',
      email: 'maria.rossi@example.com',
    });
    for (let i = 0; i < 3; i++)
      await insertContactWith(db, spare, { name: `Other 50%_${i}`, email: `o${i}@example.com` });
  });
  afterAll(() => t.close());

  it('renames and moves a unit; its page offers no parent under itself', async () => {
    const list = await admin.get('/admin/units').expect(200);
    expect(decoded(list.text)).toContain('href="/admin/units/SALES"');
    const page = await admin.get('/admin/units/SALES').expect(200);
    expect(page.text).toContain('<option value="HQ" selected>');
    expect(page.text).not.toContain('<option value="NORTH"');
    const res = await post(
      '/admin/units/SALES',
      { name: 'Sales & Service', parentCode: 'SPARE' },
      303,
    );
    expect(res.headers.location).toBe('/admin/units?saved=SALES');
    expect(await unitRow('SALES')).toEqual({ name: 'Sales & Service', parent: 'SPARE' });
    const after = await admin.get(res.headers.location).expect(200);
    expect(after.text).toContain('Unit SALES saved.');
  });

  it('shows a bad input next to its field and keeps it', async () => {
    const cycle = await post('/admin/units/SALES', { name: 'Kept name', parentCode: 'NORTH' }, 400);
    expect(cycle.text).toContain('a unit cannot be placed under itself');
    expect(cycle.text).toContain('value="Kept name"');
    const empty = await post('/admin/units/SALES', { name: '', parentCode: '' }, 400);
    expect(empty.text).toContain('class="field-error"');
    // The same refusals on an Italian page.
    const cycleIt = await post(
      '/admin/units/SALES?lang=it',
      { name: 'x', parentCode: 'NORTH' },
      400,
    );
    expect(cycleIt.text).toContain('<p>Corregga quanto segue:</p>');
    expect(cycleIt.text).toContain(
      '<p class="field-error">un’unità non può essere collocata sotto sé stessa o sotto una delle sue unità sottostanti</p>',
    );
    const emptyIt = await post('/admin/units/SALES?lang=it', { name: '', parentCode: '' }, 400);
    expect(emptyIt.text).toContain('<p class="field-error">name è obbligatorio</p>');
    expect((await unitRow('SALES')).name).toBe('Sales & Service');
  });

  it('deletes an unused unit after a confirmation, and refuses one in use with the reason', async () => {
    const confirm = await admin.get('/admin/units/SALES/delete').expect(200);
    expect(confirm.text).toContain('nothing is deleted and the next page says why');
    const refused = await post('/admin/units/SALES/delete', {}, 409);
    expect(refused.text).toMatch(
      /Unit SALES was not deleted: it still has 1 child unit, 1 contact\./,
    );
    // The same refusal on an Italian page.
    const refusedIt = await post('/admin/units/SALES/delete?lang=it', {}, 409);
    expect(refusedIt.text).toContain(
      'L’unità SALES non è stata eliminata: ha ancora 1 unità sottostante, 1 contatto.',
    );
    expect(await unitRow('SALES')).toBeDefined();
    const res = await post('/admin/units/NORTH/delete', {}, 303);
    expect(res.headers.location).toBe('/admin/units?deleted=NORTH');
    expect(await unitRow('NORTH')).toBeUndefined();
    await admin.get('/admin/units/NORTH').expect(404);
  });

  it('previews a CSV import before anything is written, then imports it', async () => {
    const csv = 'code,name,parent_code\nNEW1,New one,HQ\nHQ,Head office,\nBAD CODE,x,\n';
    const preview = await post('/admin/units/import', { csv, dryRun: 'on' }, 200);
    expect(preview.text).toContain('Preview, nothing was written yet');
    expect(preview.text).toContain('Import: create 1, update 1, skip 1 line with problems');
    // Line by line: what each one does, or why it is skipped.
    const cells = (html: string) =>
      [
        ...html.matchAll(
          /<tr><td class="num">(\d+)<\/td><td><bdi>([^<]*)<\/bdi><\/td><td[^>]*>([^<]*)<\/td><\/tr>/g,
        ),
      ].map((m) => [m[1], m[2], m[3].slice(0, 20)]);
    expect(cells(preview.text)).toEqual([
      ['2', 'NEW1', 'would be created'],
      ['3', 'HQ', 'would be updated'],
      ['4', '', 'skipped: code &quot;'],
    ]);
    expect(textareaOf(preview.text)).toBe(csv);
    expect(await unitRow('NEW1')).toBeUndefined();
    const done = await post('/admin/units/import', { csv, previewSeal: sealOf(preview.text) }, 200);
    expect(done.text).toContain('Import done: 1 created, 1 updated, 1 line skipped.');
    // The import done reads like its preview, one line at a time.
    expect(cells(done.text)).toEqual([
      ['2', 'NEW1', 'created'],
      ['3', 'HQ', 'updated'],
      ['4', '', 'skipped: code &quot;'],
    ]);
    expect(await unitRow('NEW1')).toEqual({ name: 'New one', parent: 'HQ' });
  });

  it('imports only the CSV text that was previewed; an edited text is refused and kept', async () => {
    const previewed = 'code,name,parent_code\nSEAL1,Sealed,HQ\n';
    const preview = await post('/admin/units/import', { csv: previewed, dryRun: 'on' }, 200);
    const seal = sealOf(preview.text);
    // Edited after the preview (a line added): nothing is written, the edited text is kept and
    // only Preview is offered.
    const edited = `${previewed}SEAL2,Sneaked in,HQ\n`;
    const refused = await post('/admin/units/import', { csv: edited, previewSeal: seal }, 409);
    expect(refused.text).toContain(
      'The CSV text was changed after the preview, so nothing was imported.',
    );
    expect(decoded(textareaOf(refused.text))).toBe(edited);
    expect(refused.text).not.toContain('name="previewSeal"');
    expect(refused.text).not.toContain('>Import:');
    expect(await unitRow('SEAL1')).toBeUndefined();
    expect(await unitRow('SEAL2')).toBeUndefined();
    // The seal of a units preview does not open a contacts import.
    const contactsCsv = 'email,name,audience,unit_code\nseal@example.com,Seal,internal,HQ\n';
    await post('/admin/contacts/import', { csv: contactsCsv, previewSeal: seal }, 409);
    const contacts = (await db.manager.query(
      `SELECT id FROM contacts WHERE email = 'seal@example.com'`,
    )) as unknown[];
    expect(contacts).toHaveLength(0);
    // A forged seal is no preview.
    await post('/admin/units/import', { csv: previewed, previewSeal: `1.${'A'.repeat(43)}` }, 409);
    // Unchanged (sent back by a browser, with CRLF line ends): imported.
    const applied = await post(
      '/admin/units/import',
      { csv: previewed.replace(/\n/g, '\r\n'), previewSeal: seal },
      303,
    );
    expect(applied.headers.location).toBe('/admin/units?created=1&updated=0');
    expect(await unitRow('SEAL1')).toEqual({ name: 'Sealed', parent: 'HQ' });
    const after = await admin.get(applied.headers.location).expect(200);
    expect(after.text).toContain('Import done: 1 created, 0 updated.');
  });

  it('refuses, writing nothing, a previewed file that would now do something else', async () => {
    const csv = 'code,name,parent_code\nSTALE1,From the file,HQ\nSTALE2,Also from the file,\n';
    const preview = await post('/admin/units/import', { csv, dryRun: 'on' }, 200);
    expect(preview.text).toContain('2 would be created');
    // Meanwhile someone adds STALE1 by hand: the file would now update it instead.
    await post('/admin/units', { code: 'STALE1', name: 'Added by hand', parentCode: '' }, 303);
    const refused = await post(
      '/admin/units/import',
      { csv, previewSeal: sealOf(preview.text) },
      409,
    );
    expect(refused.text).toContain(
      'The units or contacts changed after the preview, so the file would now do something else',
    );
    expect(decoded(textareaOf(refused.text))).toBe(csv);
    expect(await unitRow('STALE1')).toEqual({ name: 'Added by hand', parent: null });
    expect(await unitRow('STALE2')).toBeUndefined();
    // A new preview says what it would do now, and that is imported.
    const again = await post('/admin/units/import', { csv, dryRun: 'on' }, 200);
    expect(again.text).toContain('1 would be created, 1 updated');
    await post('/admin/units/import', { csv, previewSeal: sealOf(again.text) }, 303);
    expect(await unitRow('STALE1')).toEqual({ name: 'From the file', parent: 'HQ' });
    expect(await unitRow('STALE2')).toEqual({ name: 'Also from the file', parent: null });
  });

  it('shows the units page in Italian', async () => {
    const page = await admin.get('/admin/units?lang=it').expect(200);
    expect(page.text).toContain('<h1>Unità</h1>');
    expect(page.text).toContain('<h2 id="tree-heading">Albero delle unità</h2>');
    expect(page.text).toContain('<th scope="col">Codice</th>');
    expect(page.text).toContain('<span class="muted">primo livello</span>');
    expect(page.text).toMatch(/>Modifica<span class="visually-hidden"> unità HQ<\/span>/);
    expect(page.text).toContain('<option value="">(nessuna: unità di primo livello)</option>');
    expect(page.text).toContain('>Aggiungi unità</button>');
    expect(page.text).toContain('>Anteprima delle modifiche</button>');
    expect(page.text).not.toMatch(/Unit tree|Add unit|Preview changes|top level/);
    const edit = await admin.get('/admin/units/HQ?lang=it').expect(200);
    expect(edit.text).toContain('>Salva unità</button>');
    const confirm = await admin.get('/admin/units/SPARE/delete?lang=it').expect(200);
    expect(confirm.text).toContain('>Annulla, mantieni l’unità</a>');
  });

  it('searches contacts by name or e-mail, any case; the API takes it too', async () => {
    const byName = await admin.get('/admin/contacts?q=ROSSI').expect(200);
    expect(byName.text).toContain('Showing 1–1 of 1 contact');
    const italian = await admin.get('/admin/contacts?q=ROSSI&lang=it').expect(200);
    expect(italian.text).toContain('1–1 di 1 contatto');
    expect(italian.text).toContain('aria-label="Modifica maria.rossi@example.com"');
    expect(italian.text).toContain('<span class="muted">Interno · Inglese</span>');
    expect(byName.text).toContain('value="ROSSI"');
    const byMail = await admin.get('/admin/contacts?q=maria.rossi@').expect(200);
    expect(byMail.text).toContain('Maria Rossi');
    // % and _ are searched as themselves, not as wildcards.
    const literal = await admin.get('/admin/contacts?q=50%25_').expect(200);
    expect(literal.text).toContain('of 3 contacts');
    const api = await t
      .http()
      .get('/api/contacts?q=rossi')
      .set({ Authorization: `Bearer ${t.adminToken}` })
      .expect(200);
    expect(api.body.total).toBe(1);
  });

  it('edits a contact and opts them out; a bad input shows next to its field', async () => {
    const list = await admin.get('/admin/contacts?q=rossi').expect(200);
    expect(decoded(list.text)).toContain(`href="/admin/contacts/${contactId}"`);
    const page = await admin.get(`/admin/contacts/${contactId}`).expect(200);
    expect(page.text).toContain('value="Maria Rossi"');
    const res = await post(
      `/admin/contacts/${contactId}`,
      { name: 'Maria R.', audience: 'internal', unitCode: 'HQ', language: 'it', optedOut: 'on' },
      303,
    );
    expect(res.headers.location).toBe(`/admin/contacts/${contactId}?contactSaved=1`);
    const row = (
      await db.manager.query(
        `SELECT c.name, c.language, c.opted_out AS "optedOut", u.code FROM contacts c JOIN units u ON u.id = c.unit_id WHERE c.id = '${contactId}'`,
      )
    )[0];
    expect({ ...row, optedOut: Boolean(row.optedOut) }).toEqual({
      name: 'Maria R.',
      language: 'it',
      optedOut: true,
      code: 'HQ',
    });
    const after = await admin.get(res.headers.location).expect(200);
    expect(after.text).toContain('Contact saved.');
    const afterIt = await admin.get(`${res.headers.location}&lang=it`).expect(200);
    expect(afterIt.text).toContain('Contatto salvato.');
    expect(afterIt.text).toMatch(/name="optedOut" value="on" checked> Disiscritto: /);
    expect(after.text).toMatch(/name="optedOut" value="on" checked/);
    const bad = await post(
      `/admin/contacts/${contactId}`,
      { name: '', audience: 'internal', unitCode: 'HQ', language: 'xx' },
      400,
    );
    expect(bad.text).toContain('class="field-error"');
    expect(bad.text).not.toMatch(/name="optedOut" value="on" checked/);
  });
});
