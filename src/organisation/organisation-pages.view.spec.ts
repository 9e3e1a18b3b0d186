import {
  contactsPageModel,
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
    const model = unitEditModel(tree, 'SALES', {})!;
    expect(model.parentOptions.map((o) => o.code)).toEqual(['HQ', 'SPARE']);
    expect(model.parentOptions.find((o) => o.selected)?.code).toBe('HQ');
    expect(model.form).toEqual({ name: 'Unit SALES', parentCode: 'HQ' });
    expect(unitEditModel(tree, 'NOPE', {})).toBeUndefined();
  });

  it('keeps what was typed when the form comes back with errors', () => {
    const model = unitEditModel(tree, 'SALES', { form: { name: 'x', parentCode: 'SPARE' } })!;
    expect(model.form.name).toBe('x');
    expect(model.parentOptions.find((o) => o.selected)?.code).toBe('SPARE');
  });

  it('says why a unit was not deleted and what to do', () => {
    expect(inUseSentence('B1', 'The unit is still in use: 2 contact(s)')).toBe(
      'Unit B1 was not deleted: it still has 2 contact(s). Move or remove those first; units with ' +
        'responses or campaign questions stay for the results.',
    );
  });

  it('believes only unit codes in the notices, and escapes codes in links', () => {
    expect(noticeFrom({ saved: 'B1' })).toBe('Unit B1 saved.');
    expect(noticeFrom({ deleted: '<b>' })).toBeUndefined();
    expect(unitHref('A/B')).toBe('/admin/units/A%2FB');
  });

  it('keeps the search and filters in the paging links', () => {
    const model = contactsPageModel(
      { items: [], total: 120, page: 2, pageSize: 50 },
      tree,
      { q: 'rossi & co', audience: 'internal', page: 2 },
      {},
    );
    expect(model.prevUrl).toBe('/admin/contacts?audience=internal&q=rossi+%26+co');
    expect(model.nextUrl).toBe('/admin/contacts?audience=internal&q=rossi+%26+co&page=3');
    expect(model.filterQ).toBe('rossi & co');
  });
});
