/**
 * What a campaign may release, decided once per request from the per-unit counts and applied to
 * every view of it (the report, each `?unitCode=` filter, the CSV export), so the views cannot be
 * played against each other. Pure: no Nest, no database.
 */
import { releasableSubtrees, suppressedKeys, UnitForest, type TreeUnit } from './suppression.js';

export interface DisclosureInput {
  internal: boolean;
  forest: UnitForest<TreeUnit>;
  /** Responses per respondent unit. */
  responses: ReadonlyMap<string, number>;
  /** Per question key: respondents per unit who answered it. */
  answered: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The headline question key (numeric), if any. */
  headline: string | null;
  /** Text question keys. */
  textKeys: readonly string[];
  k: number;
  kComments: number;
}

export interface Disclosure {
  /** Units whose own response count (and row in `units`) is shown. */
  visibleUnits: ReadonlySet<string>;
  /** Visible units whose headline mean is shown too. */
  headlineUnits: ReadonlySet<string>;
  /** Units whose subtree may be requested with `?unitCode=`. */
  filters: ReadonlySet<string>;
  /** May question `key` be shown for the campaign (`unitId` null) or for the filter `unitId`? */
  questionShown(key: string, unitId: string | null): boolean;
  /** May comments of text question `key` be listed for the campaign or the filter? */
  commentsShown(key: string, unitId: string | null): boolean;
  /**
   * The unit a response of `unitId` is attributed to in the export; null when no released group
   * can hold it ("(suppressed)").
   */
  exportUnit(unitId: string): string | null;
}

const sumOf = (m: ReadonlyMap<string, number> | undefined): number =>
  m ? [...m.values()].reduce((s, n) => s + n, 0) : 0;

/** External campaigns: nothing is suppressed. */
function openDisclosure(input: DisclosureInput): Disclosure {
  const visible = new Set([...input.responses].filter(([, n]) => n > 0).map(([id]) => id));
  const filters = new Set(input.forest.subtreeTotals(input.responses).keys());
  return {
    visibleUnits: visible,
    headlineUnits: visible,
    filters,
    questionShown: () => true,
    commentsShown: () => true,
    exportUnit: (unitId) => unitId,
  };
}

/**
 * Internal campaigns (DESIGN.md "Confidentiality", SECURITY.md E1–E6, E8):
 * - units: primary + complementary suppression under the released campaign total;
 * - unit headlines: the same again on the headline answer counts, counting the respondents of hidden
 *   units as already withheld;
 * - filters: `releasableSubtrees` (remainder rule + every derivable remainder 0 or ≥ k);
 * - each question: its own answer counts must pass the same plan for the campaign and each filter
 *   (so optional questions cannot be differenced either);
 * - comments: the same with MIN_COMMENT_GROUP_SIZE on the text answer counts;
 * - export: a response's unit is its own unit when that unit's headline is shown, else the nearest
 *   ancestor filter where the headline question is shown, else none — so every unit value of the
 *   export names exactly one of the groups the report already releases or derives (≥ k each).
 */
export function decideDisclosure(input: DisclosureInput): Disclosure {
  if (!input.internal) return openDisclosure(input);
  const { forest, responses, answered, headline, k, kComments } = input;

  const unitGroups = [...responses].map(([key, n]) => ({ key, n }));
  const hiddenUnits = suppressedKeys(unitGroups, k);
  const visibleUnits = new Set(
    unitGroups.filter((g) => g.n > 0 && !hiddenUnits.has(g.key)).map((g) => g.key),
  );
  const filters = releasableSubtrees(forest, responses, visibleUnits, k).allowed;

  const headlineCounts = (headline && answered.get(headline)) || new Map<string, number>();
  let withheld = 0;
  for (const [unitId, n] of headlineCounts) if (!visibleUnits.has(unitId)) withheld += n;
  const hiddenHeadlines = suppressedKeys(
    [...visibleUnits].map((key) => ({ key, n: headlineCounts.get(key) ?? 0 })),
    k,
    withheld,
  );
  const headlineUnits = new Set(
    [...visibleUnits].filter((u) => !hiddenHeadlines.has(u) && (headlineCounts.get(u) ?? 0) > 0),
  );

  const questionPlans = new Map<string, { total: number; filters: Set<string> }>();
  for (const [key, counts] of answered) {
    const listed = key === headline ? headlineUnits : new Set<string>();
    questionPlans.set(key, {
      total: sumOf(counts),
      filters: releasableSubtrees(forest, counts, listed, k, filters).allowed,
    });
  }
  const commentPlans = new Map<string, { total: number; filters: Set<string> }>();
  for (const key of input.textKeys) {
    const counts = answered.get(key) ?? new Map<string, number>();
    const shownFor = questionPlans.get(key)?.filters ?? new Set<string>();
    commentPlans.set(key, {
      total: sumOf(counts),
      filters: releasableSubtrees(forest, counts, new Set(), kComments, shownFor).allowed,
    });
  }

  const shown = (
    plans: Map<string, { total: number; filters: Set<string> }>,
    threshold: number,
    key: string,
    unitId: string | null,
  ) => {
    const plan = plans.get(key);
    if (!plan) return false;
    return unitId === null ? plan.total >= threshold : plan.filters.has(unitId);
  };

  // Without any headline answer the export falls back to the response-count plan.
  const byHeadline = headline !== null && sumOf(headlineCounts) > 0;
  const exportFilters = byHeadline ? (questionPlans.get(headline)?.filters ?? filters) : filters;
  const exportUnits = byHeadline ? headlineUnits : visibleUnits;
  return {
    visibleUnits,
    headlineUnits,
    filters,
    questionShown: (key, unitId) => shown(questionPlans, k, key, unitId),
    commentsShown: (key, unitId) => shown(commentPlans, kComments, key, unitId),
    exportUnit: (unitId) =>
      exportUnits.has(unitId)
        ? unitId
        : (forest.selfAndAncestors(unitId).find((a) => exportFilters.has(a)) ?? null),
  };
}
