/**
 * Provider cells: which rater groups' ratings of one provider unit may be released (DESIGN.md
 * "Confidentiality", SECURITY.md E1–E3, E8). One decision for the service map and the CSV export,
 * so the two can never disagree. Pure: no Nest, no database.
 */
import { suppressedKeys, type UnitForest } from './suppression.js';

/** The release decision of one provider column (rater group → respondents who rated it). */
export interface ProviderColumn {
  /** The provider's total (n, mean) is shown: nobody rated it, or at least k people did. */
  totalShown: boolean;
  /** Is the cell of rater group `rater` shown? */
  cellShown(rater: string): boolean;
}

/**
 * A provider total below k hides the column with all its cells; within the column the rater cells
 * go through `suppressedKeys` (primary below k, then complementary), because the total is released.
 */
export function providerColumn(people: ReadonlyMap<string, number>, k: number): ProviderColumn {
  let total = 0;
  for (const n of people.values()) total += n;
  const totalShown = !(total > 0 && total < k);
  const hidden = suppressedKeys(
    [...people].map(([key, n]) => ({ key, n })),
    k,
  );
  return { totalShown, cellShown: (rater) => totalShown && !hidden.has(rater) };
}

/** A set of nested released totals over the same answers (subtrees of the unit tree). */
export interface ReleasedTotals {
  /** Per respondent unit: how many people count in these totals (0 or absent: none). */
  counts: ReadonlyMap<string, number>;
  /** Units whose subtree total is released besides the campaign total (which always counts). */
  subtrees: ReadonlySet<string>;
}

export interface ExportProviderInput {
  forest: UnitForest;
  /** Respondents per respondent unit who rated the provider (the service map's leaf column). */
  people: ReadonlyMap<string, number>;
  /**
   * Units whose export rows are attributed to exactly that unit and nothing else (export unit =
   * own unit, and no other unit coarsened into it): only their rows can form a map cell.
   */
  ownGroups: ReadonlySet<string>;
  /**
   * Every other released family of totals over the provider's answers: the map's rolled-up cells
   * (pooled respondents), and per provider question the report's campaign and filter figures.
   */
  totals: readonly ReleasedTotals[];
  k: number;
}

/**
 * The respondent units whose export rows keep their answers to the provider's questions.
 *
 * A unit qualifies when its export rows are exactly the service map's leaf cell (own group) and the
 * map shows that cell (`providerColumn`). Each released leaf cell is an exact figure of the map
 * anyway; the remaining danger is subtraction: a released total (the provider's, a rolled-up map
 * cell, a question's campaign or filter figure) minus the exported cells inside it. The totals are
 * subtrees, hence nested, so everything derivable is a sum of atoms: the exported cells and, per
 * released total, its "residual" (its people outside exported cells and deeper released totals).
 * While some residual holds 1…k−1 people, more cells of that residual's region are withdrawn,
 * smallest first (complementary suppression), until every residual is 0 or ≥ k. Withdrawing only
 * grows residuals, so the loop ends; in the worst case nothing is exported, and then every residual
 * is what the other endpoints already release.
 */
export function exportedProviderUnits(input: ExportProviderInput): Set<string> {
  const { forest, people, ownGroups, totals, k } = input;
  const column = providerColumn(people, k);
  const exported = new Set(
    [...ownGroups].filter(
      (u) => forest.byId.has(u) && (people.get(u) ?? 0) > 0 && column.cellShown(u),
    ),
  );
  const families: ReleasedTotals[] = [{ counts: people, subtrees: new Set() }, ...totals];
  for (let changed = true; changed && exported.size;) {
    changed = false;
    for (const { counts, subtrees } of families) {
      const regionOf = (u: string): string | null =>
        forest.selfAndAncestors(u).find((a) => subtrees.has(a)) ?? null;
      const residual = new Map<string | null, number>();
      const inRegion = new Map<string | null, { key: string; n: number }[]>();
      for (const [u, n] of counts) {
        if (n <= 0) continue;
        const region = regionOf(u);
        if (exported.has(u)) {
          let list = inRegion.get(region);
          if (!list) inRegion.set(region, (list = []));
          list.push({ key: u, n });
        } else residual.set(region, (residual.get(region) ?? 0) + n);
      }
      for (const [region, n] of residual) {
        if (n >= k) continue;
        for (const u of suppressedKeys(inRegion.get(region) ?? [], k, n)) {
          exported.delete(u);
          changed = true;
        }
      }
    }
  }
  return exported;
}

/**
 * The service map's rolled-up cells of one provider column as released totals: for each level,
 * the units at that depth whose rolled-up cell (their whole subtree) `providerColumn` shows.
 */
export function mapRollupTotals(
  forest: UnitForest,
  people: ReadonlyMap<string, number>,
  k: number,
): ReleasedTotals {
  const subtrees = new Set<string>();
  const paths = new Map<string, string[]>();
  let maxDepth = 0;
  for (const u of people.keys()) {
    const path = forest.selfAndAncestors(u).reverse();
    paths.set(u, path);
    maxDepth = Math.max(maxDepth, path.length - 1);
  }
  for (let level = 0; level < maxDepth; level++) {
    const rolled = new Map<string, number>();
    const deeper = new Set<string>();
    for (const [u, n] of people) {
      const path = paths.get(u) ?? [u];
      const target = path.length - 1 > level ? path[level] : u;
      if (target !== u) deeper.add(target);
      rolled.set(target, (rolled.get(target) ?? 0) + n);
    }
    const column = providerColumn(rolled, k);
    for (const target of deeper) if (column.cellShown(target)) subtrees.add(target);
  }
  return { counts: people, subtrees };
}
