/**
 * The release decision of a campaign: what every endpoint may release about it, decided once from
 * the per-unit counts and read by all of them (the report and its filters, the linkage at every
 * level, question and metric, the waves, the drivers, the service map, the CSV export and the
 * pages), so no two reads can be played against each other. Pure: no Nest, no database.
 *
 * One family per variable (`releaseFamily`, release-gate.ts): the response counts, and each
 * question's answers. A question's groups are limited to those whose response count is released,
 * so where everyone answers, the answer counts never release a group the response counts hide.
 */
import { QUESTION_SCALES, isNumericType, type QuestionType } from '../domain/questions.js';
import {
  NOTHING_RELEASED,
  numericFacts,
  releaseFamily,
  type GroupFacts,
  type ReleasedFamily,
} from './release-gate.js';
import type { TreeUnit, UnitForest } from './suppression.js';

type PerUnit<V> = ReadonlyMap<string, ReadonlyMap<V, number>>;

export interface DisclosureInput {
  internal: boolean;
  /**
   * Whether the campaign's internal figures are released at all: an internal campaign releases
   * them when it closes (figures that move with every answer would tell each answer; SECURITY.md
   * E4). External campaigns ignore it.
   */
  released: boolean;
  forest: UnitForest<TreeUnit>;
  /** Responses per respondent unit. */
  responses: ReadonlyMap<string, number>;
  /** Per question key: respondents per unit who answered it. */
  answered: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Per numeric question key: unit → value → answers. */
  numeric: ReadonlyMap<string, PerUnit<number>>;
  /** Per choice question key: unit → option → answers. */
  choice: ReadonlyMap<string, PerUnit<string>>;
  /** The type of each question key. */
  types: ReadonlyMap<string, QuestionType>;
  /** The headline question key (numeric), if any. */
  headline: string | null;
  k: number;
  kComments: number;
}

export interface Disclosure {
  /** False while an internal campaign is open: no internal figure is released yet. */
  released: boolean;
  /** Units whose own response count (and row in `units`) is shown. */
  visibleUnits: ReadonlySet<string>;
  /** Visible units whose headline mean is shown too. */
  headlineUnits: ReadonlySet<string>;
  /** Units whose subtree may be requested with `?unitCode=`. */
  filters: ReadonlySet<string>;
  /** The released groups of question `key` (nothing for an unknown key). */
  family(key: string): ReleasedFamily;
  /** May question `key` be shown for the campaign (`unitId` null) or for the subtree of `unitId`? */
  questionShown(key: string, unitId: string | null): boolean;
  /** May question `key` be shown for the own respondents of `unitId`? */
  questionOwnShown(key: string, unitId: string): boolean;
  /** May comments of text question `key` be listed for the campaign or the subtree of `unitId`? */
  commentsShown(key: string, unitId: string | null): boolean;
  /**
   * The unit a response of `unitId` is attributed to in the export; null when no released group
   * can hold it ("(suppressed)").
   */
  exportUnit(unitId: string): string | null;
  /** Does the export keep the answer to `key` of a response of `unitId` (else the cell is blank)? */
  exportKeeps(key: string, unitId: string): boolean;
}

/** External campaigns: nothing is suppressed. */
function openDisclosure(input: DisclosureInput): Disclosure {
  const visible = new Set([...input.responses].filter(([, n]) => n > 0).map(([id]) => id));
  const filters = new Set(input.forest.subtreeTotals(input.responses).keys());
  const everything: ReleasedFamily = { campaign: true, subtree: filters, own: visible };
  return {
    released: true,
    visibleUnits: visible,
    headlineUnits: visible,
    filters,
    family: () => everything,
    questionShown: () => true,
    questionOwnShown: () => true,
    commentsShown: () => true,
    exportUnit: (unitId) => unitId,
    exportKeeps: () => true,
  };
}

const countFacts = (m: ReadonlyMap<string, number> | undefined) =>
  new Map([...(m ?? [])].map(([u, n]) => [u, { n } as GroupFacts]));

/** Per unit: the facts of one question's answers (value spread and top box where it applies). */
function questionFacts(
  key: string,
  type: QuestionType,
  input: DisclosureInput,
): Map<string, GroupFacts> {
  if (isNumericType(type)) {
    const topFrom = QUESTION_SCALES[type].max - 1;
    return new Map(
      [...(input.numeric.get(key) ?? [])].map(([u, byValue]) => [
        u,
        numericFacts(byValue, topFrom),
      ]),
    );
  }
  if (type === 'choice') {
    const answered = input.answered.get(key);
    return new Map(
      [...(input.choice.get(key) ?? [])].map(([u, byOption]) => [
        u,
        {
          n: answered?.get(u) ?? 0,
          byAnswer: new Map([...byOption].map(([o, c]) => [o, c])),
        },
      ]),
    );
  }
  return countFacts(input.answered.get(key));
}

/**
 * Internal campaigns (DESIGN.md "Confidentiality", SECURITY.md E1–E8):
 * - response counts: one family (campaign, unit subtrees = filters, own units = report rows);
 * - each question: its own family over its answers, with homogeneity, limited to the groups whose
 *   response counts are released; the headline's own groups are the report's unit headlines;
 * - comments: the text question's family again with MIN_COMMENT_GROUP_SIZE;
 * - export: a response's unit is its own unit when the headline's own group is released, else the
 *   nearest ancestor whose subtree is (the row then stands for that subtree's atom); an answer is
 *   kept only when every group that defines its row's label is released for that question too, so
 *   each exported column adds up to released groups and atoms of that question only.
 */
export function decideDisclosure(input: DisclosureInput): Disclosure {
  if (!input.internal) return openDisclosure(input);
  const { forest, headline, k, kComments } = input;
  const count = input.released
    ? releaseFamily(forest, countFacts(input.responses), k)
    : NOTHING_RELEASED;

  const families = new Map<string, ReleasedFamily>();
  const comments = new Map<string, ReleasedFamily>();
  for (const [key, type] of input.types) {
    const facts = questionFacts(key, type, input);
    const family = input.released ? releaseFamily(forest, facts, k, count) : NOTHING_RELEASED;
    families.set(key, family);
    if (type === 'text') {
      comments.set(
        key,
        input.released ? releaseFamily(forest, facts, kComments, family) : NOTHING_RELEASED,
      );
    }
  }
  const familyOf = (key: string) => families.get(key) ?? NOTHING_RELEASED;

  const anyHeadlineAnswer = headline !== null && (input.numeric.get(headline)?.size ?? 0) > 0;
  const labels = anyHeadlineAnswer ? familyOf(headline) : count;
  const unitLabels = new Map<string, string | null>();
  const exportUnit = (unitId: string): string | null => {
    let label = unitLabels.get(unitId);
    if (label === undefined) {
      label = labels.own.has(unitId)
        ? unitId
        : (forest.selfAndAncestors(unitId).find((a) => labels.subtree.has(a)) ?? null);
      unitLabels.set(unitId, label);
    }
    return label;
  };

  // The groups a label stands for: a unit's own group when only that unit's rows carry it, else
  // the subtree minus the labelled groups inside it. Worked out on the first export question.
  let labelNodes: Map<string, { own: string[]; subtree: string[] }> | null = null;
  const nodesOf = (label: string) => {
    if (!labelNodes) {
      const labelled = new Map<string, string[]>();
      for (const unitId of input.responses.keys()) {
        const l = exportUnit(unitId);
        if (l !== null) labelled.set(l, [...(labelled.get(l) ?? []), unitId]);
      }
      labelNodes = new Map();
      for (const [l, units] of labelled) {
        if (units.length === 1 && units[0] === l && labels.own.has(l)) {
          labelNodes.set(l, { own: [l], subtree: [] });
          continue;
        }
        const inside = [...forest.subtree(l)].filter((u) => u !== l);
        labelNodes.set(l, {
          own: inside.filter((u) => labels.own.has(u)),
          subtree: [l, ...inside.filter((u) => labels.subtree.has(u))],
        });
      }
    }
    return labelNodes.get(label);
  };
  const kept = new Map<string, boolean>();
  const exportKeeps = (key: string, unitId: string): boolean => {
    const memo = `${key}\u0000${unitId}`;
    let keep = kept.get(memo);
    if (keep === undefined) {
      const label = exportUnit(unitId);
      const nodes = label === null ? undefined : nodesOf(label);
      const family = input.types.get(key) === 'text' ? comments.get(key) : families.get(key);
      keep =
        !!nodes &&
        !!family &&
        nodes.own.every((u) => family.own.has(u)) &&
        nodes.subtree.every((u) => family.subtree.has(u));
      kept.set(memo, keep);
    }
    return keep;
  };

  const headlineFamily = headline ? familyOf(headline) : NOTHING_RELEASED;
  return {
    released: input.released,
    visibleUnits: count.own,
    headlineUnits: new Set([...headlineFamily.own].filter((u) => count.own.has(u))),
    filters: count.subtree,
    family: familyOf,
    questionShown: (key, unitId) =>
      unitId === null ? familyOf(key).campaign : familyOf(key).subtree.has(unitId),
    questionOwnShown: (key, unitId) => familyOf(key).own.has(unitId),
    commentsShown: (key, unitId) => {
      const c = comments.get(key) ?? NOTHING_RELEASED;
      return unitId === null ? c.campaign : c.subtree.has(unitId);
    },
    exportUnit,
    exportKeeps,
  };
}
