/**
 * Pairing the internal and external sides unit by unit: which units are kept (enough respondents on
 * both sides, released by the internal campaign's disclosure plan, not exposed by subtraction) and
 * why the others are left out. Pure: no Nest, no database.
 */
import type { Disclosure } from '../confidentiality/disclosure-plan.js';
import { suppressedKeys } from '../confidentiality/suppression.js';
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
  /** Whether the internal campaign's disclosure plan releases a group; undefined = every group. */
  release?: (groupId: string) => boolean;
  lang: Language;
}

/**
 * Which internal groups of a member-perspective side the disclosure plan releases: a rolled-up
 * group is a unit subtree (released only where the report allows that subtree as a filter and
 * shows the question there); any other group is a unit's own respondents (released only where the
 * report shows the unit, and its headline when the side scores the headline).
 */
export function releasePredicate(
  side: ResolvedSide,
  targets: ReadonlyMap<string, string>,
  disclosure: Disclosure,
): ((groupId: string) => boolean) | undefined {
  if (side.audience !== 'internal' || side.perspective !== 'member') return undefined;
  const rolledUp = new Set([...targets].filter(([u, g]) => u !== g).map(([, g]) => g));
  const headline =
    side.questionKeys.length === 1 && side.questionKeys[0] === side.campaign.headline;
  return (id) =>
    rolledUp.has(id)
      ? disclosure.filters.has(id) &&
        side.questionKeys.every((key) => disclosure.questionShown(key, id))
      : headline
        ? disclosure.headlineUnits.has(id)
        : disclosure.visibleUnits.has(id);
}

/**
 * Pairs the internal and external tallies by unit. A unit is kept with ≥ the side's minimum on
 * both sides. Internal groups below k never show their count; in the member perspective the units
 * picked by complementary suppression (suppressedKeys over all internal groups, since the campaign
 * total is released elsewhere) are excluded too, so no hidden group can be derived by subtraction.
 */
export function pairUnits(
  internal: SideTallies,
  external: SideTallies,
  { k, units, release, lang }: PairingRules,
): Pairing {
  const iTallies = internal.tallies;
  const eTallies = external.tallies;
  const say = exclusionReasons(lang);
  // Groups the campaign's disclosure plan does not release (shared with the campaign report, so
  // the two endpoints cannot be played against each other), then complementary suppression over
  // the rest, counting the blocked answers as already withheld.
  const blocked = new Set(
    release ? [...iTallies].filter(([id, t]) => t.n >= k && !release(id)).map(([id]) => id) : [],
  );
  let withheld = 0;
  for (const id of blocked) withheld += iTallies.get(id)?.n ?? 0;
  const hidden =
    internal.side.perspective === 'member'
      ? suppressedKeys(
          [...iTallies].filter(([id]) => !blocked.has(id)).map(([key, t]) => ({ key, n: t.n })),
          k,
          withheld,
        )
      : new Set<string>();
  for (const id of blocked) hidden.add(id);
  const ids = [...new Set([...iTallies.keys(), ...eTallies.keys()])]
    .filter((id) => (iTallies.get(id)?.n ?? 0) > 0 || (eTallies.get(id)?.n ?? 0) > 0)
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
    if (iN === 0) reasons.push(say.noInternal);
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
