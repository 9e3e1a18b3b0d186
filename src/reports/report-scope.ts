import type { TreeUnit, UnitForest } from '../confidentiality/suppression.js';
import type { ReportScope } from '../domain/roles.js';

/**
 * The units whose rows a reader of `scope` may see in one campaign: null for every unit (admins,
 * analysts); for a unit manager the subtree of their scope unit in the campaign's own tree (frozen
 * at launch: the same groups the release decision was taken on), and nothing when that tree does
 * not hold the unit (a unit created after the launch). Applied after the release decision, it only
 * removes rows: a unit it keeps shows exactly what an analyst sees of it.
 */
export function scopedUnits<U extends TreeUnit>(
  forest: UnitForest<U>,
  scope: ReportScope,
): ReadonlySet<string> | null {
  if (scope.kind === 'all') return null;
  return forest.byId.has(scope.unitId) ? forest.subtree(scope.unitId) : new Set<string>();
}

/** Whether `unitId` is one of the reader's units (`mine` from scopedUnits). */
export const isMine = (mine: ReadonlySet<string> | null, unitId: string): boolean =>
  mine === null || mine.has(unitId);

/**
 * The unit codes a reader may see rows of when rows from several campaigns' trees are named by
 * code (the linkage, the waves, the service map): a code is the reader's when some tree puts it in
 * their subtree and no tree puts it outside (a code that moved out of the subtree between two
 * launches, or names another unit in another tree, is nobody's to show). Null: every unit.
 */
export function scopedCodes<U extends TreeUnit & { code: string }>(
  forests: readonly UnitForest<U>[],
  scope: ReportScope,
): ReadonlySet<string> | null {
  if (scope.kind === 'all') return null;
  const inside = new Set<string>();
  const outside = new Set<string>();
  for (const forest of forests) {
    const mine = scopedUnits(forest, scope) ?? new Set<string>();
    for (const u of forest.units) (mine.has(u.id) ? inside : outside).add(u.code);
  }
  return new Set([...inside].filter((code) => !outside.has(code)));
}
