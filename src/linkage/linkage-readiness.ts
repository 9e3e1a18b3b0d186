/**
 * Readiness of a linkage: for every unit, what each side has against what it needs, so a leader
 * sees what is missing before any statistic. Pure: no Nest, no database.
 *
 * The internal side goes only through the release decision and never carries a count: a unit is
 * `enough` when its group is released and reaches the internal minimum, otherwise `notEnough`
 * (one wording for zero answers, answers below k and groups withheld against subtraction), and
 * `pending` for every unit while the internal campaign is open. External counts are exact (the
 * anonymity threshold protects the company's own people, not its customers).
 */
import type { InternalRelease, SideTallies } from './linkage-pairing.js';
import type { LinkageUnit } from './linkage-tallies.js';

import type { InternalReadiness, ReadinessRow } from './linkage.dto.js';

export type { InternalReadiness, ReadinessRow };

/** Units a comparison needs at least (a correlation over fewer is not defined). */
export const MIN_UNITS = 3;

export interface ReadinessRules {
  k: number;
  /** Names and codes of the groups (both campaigns' trees). */
  units: ReadonlyMap<string, LinkageUnit>;
  /** Roll-up target of every unit, per side (each campaign's own frozen tree). */
  targets: ReadonlyArray<ReadonlyMap<string, string>>;
  release?: InternalRelease;
}

/**
 * One row per group a leader expects answers from: every leaf unit's group (a branch with no
 * answers at all is listed, that is what is missing), every group with external answers and,
 * once the internal campaign is released, every group with internal answers. Sorted by code.
 */
export function readiness(
  internal: SideTallies,
  external: SideTallies,
  { k, units, targets, release }: ReadinessRules,
): ReadinessRow[] {
  const released = release === undefined || release.released;
  const parents = new Set([...units.values()].map((u) => u.parentId).filter((p) => p !== null));
  const groups = new Set<string>();
  for (const t of targets) {
    for (const [unit, group] of t) if (!parents.has(unit)) groups.add(group);
  }
  for (const [id, t] of external.tallies) if (t.n > 0) groups.add(id);
  if (released) for (const [id, t] of internal.tallies) if (t.n > 0) groups.add(id);
  const iMin = Math.max(k, internal.side.minResponses);
  const eMin = external.side.minResponses;
  return [...groups]
    .map((id) => {
      const unit = units.get(id);
      const iN = internal.tallies.get(id)?.n ?? 0;
      const eN = external.tallies.get(id)?.n ?? 0;
      const status: InternalReadiness = !released
        ? 'pending'
        : iN >= iMin && (release === undefined || release.group(id))
          ? 'enough'
          : 'notEnough';
      return {
        unitCode: unit?.code ?? id,
        unitName: unit?.name ?? id,
        internal: { status },
        external: { responses: eN, needed: eMin, missing: Math.max(0, eMin - eN) },
      };
    })
    .sort((a, b) => (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0));
}

/** What to do so that `MIN_UNITS` units can be compared (used when fewer are kept). */
export interface NextSteps {
  /** The internal campaign is still open: close it to release its results. */
  closeInternal: boolean;
  /** Collect this many more external answers in these units (fewest missing first). */
  collect: Array<{ unitCode: string; unitName: string; missing: number }>;
  /** Units whose internal side is not enough, though the campaign is released, that are needed. */
  internalShort: number;
  /** The units a comparison needs. */
  target: number;
  /** Fewer units than that exist at this level: no amount of answers is enough. */
  tooFewUnits: boolean;
}

/**
 * The smallest plan to reach `MIN_UNITS` comparable units: units ready on both sides count
 * already; then the units whose internal side is ready (or unknown while the campaign is open)
 * with the fewest external answers missing; what is still short must come from the internal side.
 */
export function nextSteps(rows: readonly ReadinessRow[], kept: number): NextSteps {
  const target = MIN_UNITS;
  if (rows.length < target)
    return { closeInternal: false, collect: [], internalShort: 0, target, tooFewUnits: true };
  const closeInternal = rows.some((r) => r.internal.status === 'pending');
  let short = Math.max(0, target - kept);
  const candidates = rows
    .filter((r) => r.internal.status !== 'notEnough' && r.external.missing > 0)
    .sort((a, b) => a.external.missing - b.external.missing || (a.unitCode < b.unitCode ? -1 : 1));
  const collect = candidates.slice(0, short).map((r) => ({
    unitCode: r.unitCode,
    unitName: r.unitName,
    missing: r.external.missing,
  }));
  short -= collect.length;
  return {
    closeInternal,
    collect,
    internalShort: closeInternal ? 0 : short,
    target,
    tooFewUnits: false,
  };
}
