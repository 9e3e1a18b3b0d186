import { UnitForest } from '../confidentiality/suppression.js';
import { ALL_UNITS, reportScopeOf, type ReportScope } from '../domain/roles.js';
import { isMine, scopedCodes, scopedUnits } from './report-scope.js';

// ACME → NORTH → (MI, TO), SOUTH → (RM); a cycle-free tree as campaign_units freezes it.
const tree = [
  { id: 'acme', code: 'ACME', parentId: null },
  { id: 'north', code: 'NORTH', parentId: 'acme' },
  { id: 'mi', code: 'B-MI', parentId: 'north' },
  { id: 'to', code: 'B-TO', parentId: 'north' },
  { id: 'south', code: 'SOUTH', parentId: 'acme' },
  { id: 'rm', code: 'B-RM', parentId: 'south' },
];
const north: ReportScope = { kind: 'subtree', unitId: 'north' };

describe('report scope', () => {
  it('gives admins and analysts every unit, managers their scope unit, others nothing', () => {
    expect(reportScopeOf({ role: 'admin', scopeUnitId: null })).toBe(ALL_UNITS);
    expect(reportScopeOf({ role: 'analyst' })).toBe(ALL_UNITS);
    expect(reportScopeOf({ role: 'manager', scopeUnitId: 'north' })).toEqual(north);
    // A manager without a unit reads nothing (the decorator answers 403), never everything.
    expect(reportScopeOf({ role: 'manager', scopeUnitId: null })).toBeNull();
    expect(reportScopeOf({ role: 'manager' })).toBeNull();
  });

  it("keeps the scope unit's subtree of the campaign's tree", () => {
    const forest = new UnitForest(tree);
    expect(scopedUnits(forest, ALL_UNITS)).toBeNull();
    expect([...scopedUnits(forest, north)!].sort()).toEqual(['mi', 'north', 'to']);
    expect([...scopedUnits(forest, { kind: 'subtree', unitId: 'rm' })!]).toEqual(['rm']);
    // A unit the frozen tree does not hold (created after the launch): nothing, not everything.
    expect(scopedUnits(forest, { kind: 'subtree', unitId: 'later' })).toEqual(new Set());
    const mine = scopedUnits(forest, north);
    expect(isMine(mine, 'mi')).toBe(true);
    expect(isMine(mine, 'acme')).toBe(false);
    expect(isMine(mine, 'rm')).toBe(false);
    expect(isMine(null, 'rm')).toBe(true);
  });

  it('follows each tree: a unit moved between two launches belongs to the subtree it had', () => {
    const before = new UnitForest(tree);
    const after = new UnitForest(
      tree.map((u) => (u.id === 'mi' ? { ...u, parentId: 'south' } : u)),
    );
    expect([...scopedUnits(before, north)!]).toContain('mi');
    expect([...scopedUnits(after, north)!]).not.toContain('mi');
  });

  it('names by code only the units every tree puts in the subtree', () => {
    const a = new UnitForest(tree);
    // In the second campaign's tree B-MI sits under SOUTH, and a different unit carries B-TO.
    const b = new UnitForest([
      ...tree.filter((u) => u.id !== 'mi' && u.id !== 'to'),
      { id: 'mi', code: 'B-MI', parentId: 'south' },
      { id: 'other', code: 'B-TO', parentId: 'north' },
    ]);
    expect(scopedCodes([a], ALL_UNITS)).toBeNull();
    expect([...scopedCodes([a], north)!].sort()).toEqual(['B-MI', 'B-TO', 'NORTH']);
    expect([...scopedCodes([a, b], north)!].sort()).toEqual(['B-TO', 'NORTH']);
    // A region's code never lets its parent's or a sibling's rows through.
    expect(scopedCodes([a, b], north)!.has('ACME')).toBe(false);
    expect(scopedCodes([a, b], north)!.has('SOUTH')).toBe(false);
    expect(scopedCodes([], north)).toEqual(new Set());
  });
});
