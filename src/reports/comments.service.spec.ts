import fc from 'fast-check';
import { decideDisclosure } from '../confidentiality/disclosure-plan.js';
import { UnitForest } from '../confidentiality/suppression.js';
import { commentOrder, foldForSearch, releasedCommentGroups } from './comments.service.js';
import { commentsView } from './comments.view.js';
import type { CommentsJson } from './comments.service.js';

const K = 5;
const K_COMMENTS = 10;

/** A random unit tree: unit i's parent is one of the units before it, or none. */
const trees = fc
  .array(fc.record({ parent: fc.nat(), root: fc.boolean(), comments: fc.nat({ max: 16 }) }), {
    minLength: 1,
    maxLength: 9,
  })
  .map((specs) =>
    specs.map((s, i) => ({
      id: `u${i}`,
      code: `U${i}`,
      name: `Unit ${i}`,
      parentId: i === 0 || s.root ? null : `u${s.parent % i}`,
      comments: s.comments,
    })),
  );

describe('releasedCommentGroups', () => {
  it('lists groups no comparison of lists can cut below MIN_COMMENT_GROUP_SIZE', () => {
    let nested = 0; // runs listing a unit subtree next to the campaign (the case that matters)
    fc.assert(
      fc.property(trees, fc.boolean(), (units, released) => {
        const forest = new UnitForest(units);
        const comments = new Map(
          units.filter((u) => u.comments > 0).map((u) => [u.id, u.comments]),
        );
        const varied = new Map(
          [...comments].map(([u, n]) => {
            const byValue = new Map<number, number>();
            for (let i = 0; i < n; i++)
              byValue.set(1 + (i % 5), (byValue.get(1 + (i % 5)) ?? 0) + 1);
            return [u, byValue];
          }),
        );
        const disclosure = decideDisclosure({
          internal: true,
          released,
          forest,
          responses: comments,
          answered: new Map([
            ['sat', comments],
            ['why', comments],
          ]),
          numeric: new Map([['sat', varied]]),
          choice: new Map(),
          types: new Map([
            ['sat', 'csat'],
            ['why', 'text'],
          ]),
          headline: 'sat',
          k: K,
          kComments: K_COMMENTS,
        });
        const answered = new Map([['why', comments]]);
        const groups = releasedCommentGroups({ units, forest, disclosure, answered }, 'why');
        if (!released) {
          expect(groups).toEqual({ campaign: false, units: [] });
          return;
        }
        // Every commenter, and the lists (campaign, unit subtrees) they appear in.
        const lists: Array<Set<string>> = [];
        if (groups.campaign) lists.push(new Set(units.map((u) => u.id)));
        for (const u of groups.units) lists.push(forest.subtree(u.id));
        const classes = new Map<string, number>();
        for (const u of units) {
          const signature = lists.map((l) => (l.has(u.id) ? 1 : 0)).join('');
          if (signature.includes('1'))
            classes.set(signature, (classes.get(signature) ?? 0) + u.comments);
        }
        for (const n of classes.values()) expect(n === 0 || n >= K_COMMENTS).toBe(true);
        if (groups.campaign && groups.units.length) nested++;
      }),
      { numRuns: 400 },
    );
    expect(nested).toBeGreaterThan(20);
  });

  it('lists every unit with comments, and the campaign, for an external campaign', () => {
    const units = [
      { id: 'r', code: 'R', name: 'Root', parentId: null },
      { id: 'a', code: 'A', name: 'A', parentId: 'r' },
      { id: 'b', code: 'B', name: 'B', parentId: 'r' },
    ];
    const forest = new UnitForest(units);
    const comments = new Map([['a', 1]]);
    const disclosure = decideDisclosure({
      internal: false,
      released: false,
      forest,
      responses: new Map([
        ['a', 1],
        ['b', 1],
      ]),
      answered: new Map([['why', comments]]),
      numeric: new Map(),
      choice: new Map(),
      types: new Map([['why', 'text']]),
      headline: null,
      k: K,
      kComments: K_COMMENTS,
    });
    const groups = releasedCommentGroups(
      { units, forest, disclosure, answered: new Map([['why', comments]]) },
      'why',
    );
    expect(groups.campaign).toBe(true);
    expect(groups.units.map((u) => u.code)).toEqual(['A', 'R']);
  });
});

describe('commentOrder', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({
    responseId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    seq: 0,
  }));
  it('is the same for the same secret and campaign, and not the order of the ids', () => {
    const a = commentOrder(rows, 'secret', 'c1');
    expect(commentOrder([...rows].reverse(), 'secret', 'c1')).toEqual(a);
    expect(a).not.toEqual(rows);
    expect(a).toHaveLength(40);
  });
  it('changes with the secret and with the campaign', () => {
    const a = commentOrder(rows, 'secret', 'c1');
    expect(commentOrder(rows, 'other', 'c1')).not.toEqual(a);
    expect(commentOrder(rows, 'secret', 'c2')).not.toEqual(a);
  });
});

describe('foldForSearch', () => {
  it('ignores case and accents', () => {
    expect(foldForSearch('Perché CAFFÈ Ñandú')).toBe('perche caffe nandu');
    expect(foldForSearch('perche caffe')).toBe(foldForSearch('PERCHÉ CAFFÈ'));
  });
});

describe('commentsView', () => {
  const base: CommentsJson = {
    campaign: { id: 'c', name: 'Pulse', audience: 'internal', status: 'closed' },
    released: true,
    minCommentGroupSize: 10,
    questions: [{ key: 'why', text: { en: 'Why?', it: 'Perché?' } }],
    question: 'why',
    groups: [{ unitCode: null, unitName: null }],
    group: { unitCode: null, unitName: null },
    total: 120,
    matching: 120,
    q: '',
    page: 2,
    pageCount: 3,
    pageSize: 50,
    comments: [{ text: 'Good' }],
  };
  it('marks internal comments lang="" and names no unit', () => {
    const v = commentsView(base, 'it');
    expect(v.comments).toEqual([{ text: 'Good', unit: null, lang: '' }]);
    expect(v.groups[0].label).toBe('Intera campagna');
    expect(v.questionLabel).toBe('Perché?');
    expect(v.prevHref).toContain('page=1');
    expect(v.nextHref).toContain('page=3');
    expect(v.title).toBe('Commenti: Pulse');
  });
  it('names the unit and the form language of external comments', () => {
    const v = commentsView(
      {
        ...base,
        campaign: { ...base.campaign, audience: 'external' },
        comments: [{ text: 'Ok', unit: { code: 'MI', name: 'Milano' }, language: 'it' }],
      },
      'en',
    );
    expect(v.comments).toEqual([{ text: 'Ok', unit: 'Milano (MI)', lang: 'it' }]);
  });
  it('says nothing is released for an open internal campaign', () => {
    const v = commentsView({ ...base, released: false, question: 'why', group: null }, 'en');
    expect(v.notReleased).toBe(true);
    expect(v.showForm).toBe(false);
  });
});
