import {
  contactsPageModel,
  importReportModel,
  inUseSentence,
  noticeFrom,
  unitEditModel,
  unitHref,
} from './organisation-pages.view.js';
import { treeOrder } from './unit-tree.js';

const unit = (id: string, code: string, parentId: string | null = null) => ({
  id,
  code,
  name: `Unit ${code}`,
  parentId,
  createdAt: '',
  updatedAt: '',
});

describe('organisation pages view', () => {
  const tree = treeOrder([
    unit('1', 'HQ'),
    unit('2', 'SALES', '1'),
    unit('3', 'NORTH', '2'),
    unit('4', 'SPARE'),
  ]);

  it('offers as parents only units outside the unit and its subtree', () => {
    const model = unitEditModel(tree, 'SALES', {}, 'en')!;
    expect(model.parentOptions.map((o) => o.code)).toEqual(['HQ', 'SPARE']);
    expect(model.parentOptions.find((o) => o.selected)?.code).toBe('HQ');
    expect(model.form).toEqual({ name: 'Unit SALES', parentCode: 'HQ' });
    expect(unitEditModel(tree, 'NOPE', {}, 'en')).toBeUndefined();
  });

  it('keeps what was typed when the form comes back with errors', () => {
    const model = unitEditModel(tree, 'SALES', { form: { name: 'x', parentCode: 'SPARE' } }, 'en')!;
    expect(model.form.name).toBe('x');
    expect(model.parentOptions.find((o) => o.selected)?.code).toBe('SPARE');
  });

  it('says why a unit was not deleted and what to do, in the page language', () => {
    const usage = { children: 1, contacts: 2, responses: 0, questions: 0 };
    expect(inUseSentence('B1', usage, 'en')).toBe(
      'Unit B1 was not deleted: it still has 1 child unit, 2 contacts. Move or remove those ' +
        'first; units with responses or campaign questions stay for the results.',
    );
    expect(inUseSentence('B1', { ...usage, children: 0, questions: 12000 }, 'it')).toBe(
      'L’unità B1 non è stata eliminata: ha ancora 2 contatti, 12.000 domande di campagna. Prima ' +
        'li sposti o li rimuova; le unità con risposte o domande di campagna restano per i risultati.',
    );
  });

  it('believes only unit codes in the notices, each page its own, and escapes codes in links', () => {
    expect(noticeFrom({ saved: 'B1' }, 'en', 'units')).toBe('Unit B1 saved.');
    expect(noticeFrom({ saved: 'B1' }, 'it', 'units')).toBe('Unità B1 salvata.');
    expect(noticeFrom({ deleted: '<b>' }, 'en', 'units')).toBeUndefined();
    // A contact's "added=1" is not unit "1", and the other way round.
    expect(noticeFrom({ added: '1' }, 'en', 'contacts')).toBe('Contact added.');
    expect(noticeFrom({ added: '1' }, 'en', 'units')).toBe('Unit 1 added.');
    expect(noticeFrom({ created: '12345', updated: '0' }, 'it', 'contacts')).toBe(
      'Importazione completata. Creati: 12.345; aggiornati: 0.',
    );
    expect(unitHref('A/B')).toBe('/admin/units/A%2FB');
  });

  it('reports an import line by line, the same way for a preview and for the import done', () => {
    const report = {
      created: 1,
      updated: 1,
      dryRun: true,
      errors: [{ line: 3, message: 'code "x y" must be…' }],
      lines: [
        { line: 4, action: 'update' as const, key: 'HQ' },
        { line: 2, action: 'create' as const, key: 'NEW' },
      ],
    };
    const preview = importReportModel(report, 'en')!;
    expect(preview.summary).toBe(
      'Preview, nothing was written yet: 1 would be created, 1 updated, 1 line with problems.',
    );
    expect(preview.rows.map((r) => [r.line, r.key, r.text, r.error])).toEqual([
      ['2', 'NEW', 'would be created', false],
      ['3', '', 'skipped: code "x y" must be…', true],
      ['4', 'HQ', 'would be updated', false],
    ]);
    expect(preview.applyLabel).toBe('Import: create 1, update 1, skip 1 line with problems');
    const done = importReportModel({ ...report, dryRun: false }, 'it')!;
    expect(done.summary).toBe('Importazione completata. Creati: 1; aggiornati: 1; 1 riga saltata.');
    expect(done.rows.map((r) => r.text)).toEqual([
      'creazione eseguita',
      'saltata: code "x y" must be…',
      'aggiornamento eseguito',
    ]);
    expect(done.applyLabel).toBe('');
  });

  it('keeps the search and filters in the paging links', () => {
    const model = contactsPageModel(
      { items: [], total: 120, page: 2, pageSize: 50 },
      tree,
      { q: 'rossi & co', audience: 'internal', page: 2 },
      {},
      'it',
    );
    expect(model.rangeText).toBe('51–100 di 120 contatti');
    expect(model.pageText).toBe('Pagina 2 di 3');
    expect(model.filterAudiences.map((a) => a.label)).toEqual([
      'Interno (collega)',
      'Esterno (cliente)',
    ]);
    expect(model.prevUrl).toBe('/admin/contacts?audience=internal&q=rossi+%26+co');
    expect(model.nextUrl).toBe('/admin/contacts?audience=internal&q=rossi+%26+co&page=3');
    expect(model.filterQ).toBe('rossi & co');
  });
});
