/**
 * From per-unit answer counts to the tallies of one side: units rolled up to a depth of the unit
 * tree, respondents and answer distribution per group, and the campaign-wide total. Pure: no Nest,
 * no database (the counts come from the aggregate queries).
 */
import { addCounts, addValue, answerCount, emptyCounts, scoreOf } from './linkage-scores.js';
import type { Metric, ValueCounts } from './linkage-scores.js';

// --- the unit tree ------------------------------------------------------------------------------

export interface LinkageUnit {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
}

/**
 * For every unit, the unit its counts are added to when rolling up to `level` (0 = roots): its
 * ancestor at that depth, or itself when it is not deeper than the level. Without a level, itself.
 */
export function rollupTargets(
  units: readonly LinkageUnit[],
  level: number | null,
): Map<string, string> {
  const parentOf = new Map(units.map((u) => [u.id, u.parentId]));
  const target = new Map<string, string>();
  for (const u of units) {
    if (level === null) {
      target.set(u.id, u.id);
      continue;
    }
    // Path from the unit up to its root (bounded, in case of a corrupt cycle).
    const path: string[] = [u.id];
    const seen = new Set(path);
    for (let p = parentOf.get(u.id) ?? null; p !== null && parentOf.has(p) && !seen.has(p);) {
      path.push(p);
      seen.add(p);
      p = parentOf.get(p) ?? null;
    }
    const depth = path.length - 1;
    target.set(u.id, depth > level ? path[depth - level] : u.id);
  }
  return target;
}

/** Adds per-unit distributions into their roll-up targets. Unknown unit ids keep their own id. */
export function rollUp(
  perUnit: ReadonlyMap<string, ValueCounts>,
  targets: ReadonlyMap<string, string>,
): Map<string, ValueCounts> {
  const out = new Map<string, ValueCounts>();
  for (const [unitId, counts] of perUnit) {
    const key = targets.get(unitId) ?? unitId;
    let into = out.get(key);
    if (!into) out.set(key, (into = emptyCounts()));
    addCounts(into, counts);
  }
  return out;
}

/** The unit tree of a computation and the roll-up target of every unit. */
export interface UnitContext {
  units: Map<string, LinkageUnit>;
  targets: Map<string, string>;
}

export function unitContext(units: readonly LinkageUnit[], level: number | null): UnitContext {
  return { units: new Map(units.map((u) => [u.id, u])), targets: rollupTargets(units, level) };
}

/** The unit context of each campaign of a computation: each is grouped by its own frozen tree. */
export interface UnitContexts {
  of(campaign: { id: string }): UnitContext;
}

/**
 * The codes and names a linkage shows for its groups. Each side is grouped by its own campaign's
 * unit tree (frozen at launch), so the trees can differ: a unit renamed between the two launches
 * keeps the internal campaign's name and code (those its report shows); a unit only the external
 * tree has (created after the internal launch) takes the external one's.
 */
export function pairingUnits(
  internal: UnitContext,
  external: UnitContext,
): Map<string, LinkageUnit> {
  return new Map([...external.units, ...internal.units]);
}

// --- tallies ------------------------------------------------------------------------------------

/** Respondents and answer distribution of one unit (or roll-up group) on one side. */
export interface GroupTally {
  n: number;
  counts: ValueCounts;
}

/** How many answers of a unit's respondents (responses.unit_id) took `value` on a question of `type`. */
export interface UnitValueCount {
  unitId: string;
  type: string;
  value: number;
  count: number;
}

/** How many ratings of `providerUnitId` (a question of `type`) took `value`. */
export interface ProviderValueCount {
  providerUnitId: string;
  type: string;
  value: number;
  count: number;
}

/** Distinct respondents of one rater unit who rated a provider group. */
export interface ProviderRespondentCount {
  providerGroup: string;
  respondents: number;
}

/**
 * The counts a side is tallied from: answers per respondent unit (member perspective), or ratings
 * per provider with the distinct raters per provider group (provider perspective).
 */
export type SideCounts =
  | { perspective: 'member'; rows: readonly UnitValueCount[] }
  | {
      perspective: 'provider';
      ratings: readonly ProviderValueCount[];
      respondents: readonly ProviderRespondentCount[];
    };

/** Tallies per group (rolled up with `targets`) of one side. */
export function sideTallies(
  counts: SideCounts,
  targets: ReadonlyMap<string, string>,
): Map<string, GroupTally> {
  return counts.perspective === 'member'
    ? memberTallies(counts.rows, targets)
    : providerTallies(counts.ratings, counts.respondents, targets);
}

function memberTallies(
  rows: readonly UnitValueCount[],
  targets: ReadonlyMap<string, string>,
): Map<string, GroupTally> {
  const perUnit = new Map<string, ValueCounts>();
  for (const row of rows) {
    let counts = perUnit.get(row.unitId);
    if (!counts) perUnit.set(row.unitId, (counts = emptyCounts()));
    addValue(counts, row.type, row.value, row.count);
  }
  const out = new Map<string, GroupTally>();
  // One numeric answer per response and question: the answer count is the respondent count.
  for (const [id, counts] of rollUp(perUnit, targets)) {
    out.set(id, { n: answerCount(counts), counts });
  }
  return out;
}

function providerTallies(
  ratings: readonly ProviderValueCount[],
  respondents: readonly ProviderRespondentCount[],
  targets: ReadonlyMap<string, string>,
): Map<string, GroupTally> {
  const perProvider = new Map<string, ValueCounts>();
  for (const row of ratings) {
    let counts = perProvider.get(row.providerUnitId);
    if (!counts) perProvider.set(row.providerUnitId, (counts = emptyCounts()));
    addValue(counts, row.type, row.value, row.count);
  }
  const people = new Map<string, number>();
  // Each response belongs to one rater unit, so distinct counts per rater add up.
  for (const row of respondents) {
    people.set(row.providerGroup, (people.get(row.providerGroup) ?? 0) + row.respondents);
  }
  const out = new Map<string, GroupTally>();
  for (const [id, counts] of rollUp(perProvider, targets)) {
    out.set(id, { n: people.get(id) ?? 0, counts });
  }
  return out;
}

/**
 * Member counts from what the campaign report has already aggregated (question → unit → value →
 * n), so the internal side is read once for both its disclosure plan and its scores. Questions
 * without a numeric type are left out.
 */
export function reportCounts(
  questionKeys: readonly string[],
  numeric: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<number, number>>>,
  typeOf: ReadonlyMap<string, string>,
): SideCounts {
  const rows: UnitValueCount[] = [];
  for (const key of questionKeys) {
    const type = typeOf.get(key);
    if (!type) continue;
    for (const [unitId, byValue] of numeric.get(key) ?? []) {
      for (const [value, count] of byValue) rows.push({ unitId, type, value, count });
    }
  }
  return { perspective: 'member', rows };
}

/** Campaign-wide respondents and score of a side (every group added up), for trends. */
export function overall(
  side: { metric: Metric; pomp: boolean },
  tallies: ReadonlyMap<string, GroupTally>,
): { n: number; score: number | null } {
  const all = emptyCounts();
  let n = 0;
  for (const t of tallies.values()) {
    n += t.n;
    addCounts(all, t.counts);
  }
  return { n, score: n === 0 ? null : scoreOf(all, side.metric, side.pomp) };
}
