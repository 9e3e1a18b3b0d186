/**
 * What a signed-in user may do: admins run campaigns, analysts read reports, unit managers read
 * the reports of one unit subtree (their scope unit) plus the campaign-wide figures.
 */
export type Role = 'admin' | 'analyst' | 'manager';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'manager'];

/**
 * Whose unit rows a reader of the reports sees: every unit (admins, analysts) or the subtree of
 * one unit (a manager's scope unit, read in each campaign's frozen tree). Scoping only removes
 * rows from what the campaign's release decision already shows; it never releases anything.
 */
export type ReportScope =
  { readonly kind: 'all' } | { readonly kind: 'subtree'; readonly unitId: string };
export const ALL_UNITS: ReportScope = { kind: 'all' };

/** The scope of a user; null for a manager without a scope unit (who may read nothing). */
export function reportScopeOf(user: {
  role: Role;
  scopeUnitId?: string | null;
}): ReportScope | null {
  if (user.role !== 'manager') return ALL_UNITS;
  return user.scopeUnitId ? { kind: 'subtree', unitId: user.scopeUnitId } : null;
}
