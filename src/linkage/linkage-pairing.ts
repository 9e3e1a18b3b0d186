/**
 * Pairing the internal and external sides unit by unit: which units are kept (enough respondents on
 * both sides, released by the internal campaign's disclosure plan, not exposed by subtraction) and
 * why the others are left out. Pure: no Nest, no database.
 */
import type { Disclosure } from '../confidentiality/disclosure-plan.js';
import type { Language } from '../domain/language.js';
import { scoreOf } from './linkage-scores.js';
import type { ResolvedSide } from './linkage-sides.js';
import { exclusionReasons } from './linkage-summary.js';
import type { GroupTally, LinkageUnit } from './linkage-tallies.js';
import type { ExcludedUnit, LinkageUnitRow } from './linkage.dto.js';

/** A resolved side with its tallies per group. */
export interface SideTallies {
  side: ResolvedSide;
  tallies: Map<string, GroupTally>;
}

export interface Pairing {
  units: LinkageUnitRow[];
  excluded: ExcludedUnit[];
  /** Group ids of `units`, same order. */
  ids: string[];
}

export interface PairingRules {
  /** The anonymity threshold. */
  k: number;
  /** Names and codes of the groups. */
  units: ReadonlyMap<string, LinkageUnit>;
  /** What the internal campaign's release decision grants; undefined = every group. */
  release?: InternalRelease;
  lang: Language;
}

/**
 * Which internal groups of a side the campaign's release decision (`Disclosure`, the one the
 * report, the service map and the export read) releases.
 * - Member perspective: a rolled-up group is a unit subtree, any other group a unit's own
 *   respondents; each must be released for every question the side scores.
 * - Provider perspective: a group pools the ratings of the provider units rolled up into it; it is
 *   released only when the campaign-wide figure of every one of their questions is, so the pooled
 *   figure is a sum of released figures and isolates nobody (the service map's provider totals
 *   follow the same rule).
 * External sides: undefined (every group).
 */
export function releasePredicate(
  side: ResolvedSide,
  targets: ReadonlyMap<string, string>,
  disclosure: Disclosure,
): InternalRelease | undefined {
  if (side.audience !== 'internal') return undefined;
  return { released: disclosure.released, group: groupPredicate(side, targets, disclosure) };
}

/**
 * The internal side's release: `released` is false while the campaign is open (then no internal
 * group is listed at all, not even whether it has answers); `group` says which groups are granted.
 */
export interface InternalRelease {
  released: boolean;
  group(groupId: string): boolean;
}

function groupPredicate(
  side: ResolvedSide,
  targets: ReadonlyMap<string, string>,
  disclosure: Disclosure,
): (groupId: string) => boolean {
  if (side.perspective === 'provider') {
    const keysOf = new Map<string, string[]>();
    for (const [key, provider] of side.providerOf) {
      const group = targets.get(provider) ?? provider;
      keysOf.set(group, [...(keysOf.get(group) ?? []), key]);
    }
    return (id) => (keysOf.get(id) ?? []).every((key) => disclosure.questionShown(key, null));
  }
  const released = memberGroupRelease(targets, disclosure);
  return (id) => released(id, side.questionKeys);
}

/**
 * Whether a group of respondents rolled up by `targets` is released for every one of `keys`: a
 * rolled-up group is its unit's subtree, any other group the unit's own respondents. The linkage's
 * member perspective and the service map's rater groups both ask this.
 */
export function memberGroupRelease(
  targets: ReadonlyMap<string, string>,
  disclosure: Pick<Disclosure, 'questionShown' | 'questionOwnShown'>,
): (groupId: string, keys: readonly string[]) => boolean {
  const rolledUp = new Set([...targets].filter(([u, g]) => u !== g).map(([, g]) => g));
  return (id, keys) =>
    keys.every((key) =>
      rolledUp.has(id) ? disclosure.questionShown(key, id) : disclosure.questionOwnShown(key, id),
    );
}

/**
 * Pairs the internal and external tallies by unit. A unit is kept with ≥ the side's minimum on
 * both sides and, internally, only when the release decision grants its group (`release`): internal
 * groups below k, and those withheld so that no hidden group can be derived by subtraction, read
 * the same "hidden" reason and never show their count.
 */
export function pairUnits(
  internal: SideTallies,
  external: SideTallies,
  { k, units, release, lang }: PairingRules,
): Pairing {
  const iTallies = internal.tallies;
  const eTallies = external.tallies;
  const say = exclusionReasons(lang);
  // One decision for every endpoint: a group the release decision does not grant stays hidden.
  const hidden = new Set(
    release
      ? [...iTallies].filter(([id, t]) => t.n > 0 && !release.group(id)).map(([id]) => id)
      : [],
  );
  // While the internal campaign is open, its groups are not even listed: which units have answers
  // would change with each answer.
  const unreleased = release !== undefined && !release.released;
  const ids = [...new Set([...iTallies.keys(), ...eTallies.keys()])]
    .filter(
      (id) => (!unreleased && (iTallies.get(id)?.n ?? 0) > 0) || (eTallies.get(id)?.n ?? 0) > 0,
    )
    .map((id) => ({ id, unit: units.get(id) }))
    .map(({ id, unit }) => ({ id, code: unit?.code ?? id, name: unit?.name ?? id }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const iMin = internal.side.minResponses;
  const eMin = external.side.minResponses;
  const out: Pairing = { units: [], excluded: [], ids: [] };
  for (const u of ids) {
    const it = iTallies.get(u.id);
    const et = eTallies.get(u.id);
    const iN = it?.n ?? 0;
    const eN = et?.n ?? 0;
    const reasons: string[] = [];
    if (unreleased) reasons.push(say.notReleased);
    else if (iN === 0) reasons.push(say.noInternal);
    // One wording for every hidden group: saying which were small and which were hidden to
    // protect them would tell apart counts below k from the rest.
    else if (iN < k || hidden.has(u.id)) reasons.push(say.hidden);
    else if (iN < iMin) reasons.push(say.fewInternal(iN, iMin));
    if (eN === 0) reasons.push(say.noExternal);
    else if (eN < eMin) reasons.push(say.fewExternal(eN, eMin));
    const x =
      it && reasons.length === 0
        ? scoreOf(it.counts, internal.side.metric, internal.side.pomp)
        : null;
    const y =
      et && reasons.length === 0
        ? scoreOf(et.counts, external.side.metric, external.side.pomp)
        : null;
    if (reasons.length === 0 && (x === null || y === null)) reasons.push(say.noScore);
    if (reasons.length || x === null || y === null) {
      out.excluded.push({ unitCode: u.code, unitName: u.name, reason: reasons.join('; ') });
      continue;
    }
    out.units.push({
      unitCode: u.code,
      unitName: u.name,
      internal: { n: iN, score: x },
      external: { n: eN, score: y },
    });
    out.ids.push(u.id);
  }
  return out;
}

/** The kept units' scores and respondent counts, as the statistics take them. */
export function pairedScores(pairing: Pairing) {
  return pairing.units.map((u) => ({
    x: u.internal.score,
    y: u.external.score,
    nx: u.internal.n,
    ny: u.external.n,
  }));
}
