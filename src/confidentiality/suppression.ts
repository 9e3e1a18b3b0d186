/**
 * Small-group suppression for internal results (DESIGN.md "Confidentiality").
 *
 * Primary suppression hides every group with fewer than `k` responses. That alone is not enough
 * when a total is also released: with one hidden group, total − visible groups = the hidden one.
 * Complementary suppression therefore keeps hiding the next smallest visible group until the hidden
 * groups together hold at least `k` responses (or everything is hidden), so no released figure
 * isolates fewer than `k` people.
 *
 * Apply it to every set of sibling groups whose sum is released (the units of a campaign report under
 * the campaign total, the raters of one provider column under the provider total, …).
 */
export interface Group {
  key: string;
  n: number;
}

/**
 * The keys to hide. `withheldN` counts responses of the same total that are already withheld
 * outside `groups` (e.g. the respondents of hidden units when deciding which unit headlines to
 * show): when 0 < withheldN < k, visible groups are hidden until the withheld part reaches k.
 */
export function suppressedKeys(groups: readonly Group[], k: number, withheldN = 0): Set<string> {
  const hidden = new Set<string>();
  let hiddenN = withheldN;
  for (const g of groups) {
    if (g.n > 0 && g.n < k) {
      hidden.add(g.key);
      hiddenN += g.n;
    }
  }
  if (hiddenN === 0) return hidden;
  // Smallest first, ties by key, so the choice is stable between requests.
  const visible = groups
    .filter((g) => g.n > 0 && !hidden.has(g.key))
    .sort((a, b) => a.n - b.n || a.key.localeCompare(b.key));
  for (const g of visible) {
    if (hiddenN >= k) break;
    hidden.add(g.key);
    hiddenN += g.n;
  }
  return hidden;
}

/**
 * A filter (a subset F of population P) may be shown only if both F and its complement P∖F hold at
 * least `k` responses; otherwise P − F would reveal the complement (Culture Amp's remainder rule).
 * An empty complement reveals nobody (the filter is the whole population), so it is allowed.
 */
export function filterAllowed(filteredN: number, totalN: number, k: number): boolean {
  const rest = totalN - filteredN;
  return filteredN >= k && (rest === 0 || rest >= k);
}

/** A count that may be derived by subtraction: nobody, or at least k people. */
export const safeRemainder = (n: number, k: number): boolean => n === 0 || n >= k;

export interface TreeUnit {
  id: string;
  code: string;
  parentId: string | null;
}

/** Parent look-up over a unit list, robust to dangling parents and (never written) cycles. */
export class UnitForest<U extends TreeUnit = TreeUnit> {
  readonly byId: Map<string, U>;
  private readonly depthOf = new Map<string, number>();

  constructor(readonly units: readonly U[]) {
    this.byId = new Map(units.map((u) => [u.id, u]));
  }

  parentOf(id: string): string | null {
    const p = this.byId.get(id)?.parentId ?? null;
    return p && this.byId.has(p) ? p : null;
  }

  /** The unit itself, then its parent, … up to the root. */
  selfAndAncestors(id: string): string[] {
    const out: string[] = [];
    let current: string | null = id;
    while (current && out.length <= this.units.length && !out.includes(current)) {
      out.push(current);
      current = this.parentOf(current);
    }
    return out;
  }

  depth(id: string): number {
    let d = this.depthOf.get(id);
    if (d === undefined) {
      d = this.selfAndAncestors(id).length - 1;
      this.depthOf.set(id, d);
    }
    return d;
  }

  /** The unit and all its descendants. */
  subtree(id: string): Set<string> {
    const out = new Set<string>();
    for (const u of this.units) if (this.selfAndAncestors(u.id).includes(id)) out.add(u.id);
    return out;
  }

  /** Per unit: the sum of `own` over the unit and its descendants. */
  subtreeTotals(own: ReadonlyMap<string, number>): Map<string, number> {
    const totals = new Map<string, number>();
    for (const [id, n] of own) {
      if (!this.byId.has(id) || n === 0) continue;
      for (const a of this.selfAndAncestors(id)) totals.set(a, (totals.get(a) ?? 0) + n);
    }
    return totals;
  }
}

export interface SubtreePlan {
  /** Units whose subtree total (the `?unitCode=` filter) may be released. */
  allowed: Set<string>;
  /**
   * Per allowed unit (and `null` for the whole campaign): the responses of that region that are
   * not released individually nor inside a deeper allowed subtree. Always 0 or ≥ k.
   */
  residual: Map<string | null, number>;
}

/**
 * Which unit subtrees may be released as filters next to the campaign total and the groups in
 * `visible` (units whose own count is released).
 *
 * The released figures are then a laminar family (nested subtrees) plus single visible units, so
 * everything derivable by subtraction is a union of "atoms": the visible units and, for the
 * campaign and each allowed subtree, its residual (its hidden responses outside deeper allowed
 * subtrees). A subtree is admitted — shallow ones first, then by code, so the choice is stable —
 * only if it keeps every atom at 0 or ≥ k: its own hidden part and what is left of the residual of
 * its nearest admitted ancestor. Together with the remainder rule this answers SECURITY.md E2/E3
 * for nested hierarchies.
 */
export function releasableSubtrees(
  forest: UnitForest,
  own: ReadonlyMap<string, number>,
  visible: ReadonlySet<string>,
  k: number,
  candidates?: ReadonlySet<string>,
): SubtreePlan {
  const totals = forest.subtreeTotals(own);
  const hiddenOwn = new Map([...own].filter(([id]) => !visible.has(id)));
  const hiddenTotals = forest.subtreeTotals(hiddenOwn);
  let total = 0;
  let hiddenTotal = 0;
  for (const [id, n] of own) {
    total += n;
    if (!visible.has(id)) hiddenTotal += n;
  }
  const allowed = new Set<string>();
  const residual = new Map<string | null, number>([[null, hiddenTotal]]);
  const order = [...totals.keys()].sort(
    (a, b) =>
      forest.depth(a) - forest.depth(b) ||
      compareText(forest.byId.get(a)?.code ?? '', forest.byId.get(b)?.code ?? ''),
  );
  for (const id of order) {
    if (candidates && !candidates.has(id)) continue;
    const n = totals.get(id) ?? 0;
    if (!filterAllowed(n, total, k)) continue;
    const ancestor =
      forest
        .selfAndAncestors(id)
        .slice(1)
        .find((a) => allowed.has(a)) ?? null;
    const hidden = hiddenTotals.get(id) ?? 0;
    const left = (residual.get(ancestor) ?? 0) - hidden;
    if (!safeRemainder(hidden, k) || !safeRemainder(left, k)) continue;
    allowed.add(id);
    residual.set(id, hidden);
    residual.set(ancestor, left);
  }
  return { allowed, residual };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
