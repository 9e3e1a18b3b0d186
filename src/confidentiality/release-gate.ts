/**
 * The release gate's core: which groups of one family may be released (DESIGN.md
 * "Confidentiality", SECURITY.md E1–E3, E5). Pure: no Nest, no database.
 *
 * A family is everything any endpoint can release about one variable of an internal campaign (the
 * response counts, or the answers to one question): the campaign total, every unit SUBTREE (the
 * report's `?unitCode=` filters, the linkage and the service map rolled up to a level) and every
 * unit's OWN respondents (the report's unit rows, the linkage and the service map at leaf level, and
 * above the level they roll up to). Subtrees and own groups of one tree are nested or disjoint (a
 * unit's own respondents are a "virtual leaf" under its subtree), so the family is laminar: the
 * released groups split the respondents into ATOMS (a released group minus the released groups
 * inside it, and the campaign minus everything released), and every figure derivable by adding and
 * subtracting released figures is a sum over whole atoms.
 *
 * The gate therefore admits groups one by one — subtrees shallow first, then own groups, each by
 * depth, larger first, then code, so the choice is stable — and admits a group only when
 * - the group itself is `safe`, and
 * - what is left of the atom it is cut from (its nearest admitted ancestor's) is still `safe`,
 * where safe means: nobody, or at least k respondents of whom at least k differ from the most
 * common answer (homogeneity, SECURITY.md E5) and, for a scale question, not all of them on the
 * same side of the top box. So no sum of released figures isolates a count, a sum or a shared
 * answer of fewer than k people, whatever endpoints, levels and options it comes from.
 */
import type { TreeUnit, UnitForest } from './suppression.js';

/** One unit's respondents in a family: how many, and how their answers spread. */
export interface GroupFacts {
  /** Respondents (for a question: those who answered it). */
  n: number;
  /** Respondents per answer (absent: a count family, no answers to protect). */
  byAnswer?: ReadonlyMap<string, number>;
  /** Respondents in the top box of a scale question (absent: no top box). */
  top?: number;
}

/** The groups of one family that may be released. */
export interface ReleasedFamily {
  /** The campaign-wide figure. */
  campaign: boolean;
  /** Units whose subtree figure may be released. */
  subtree: ReadonlySet<string>;
  /** Units whose own respondents' figure may be released. */
  own: ReadonlySet<string>;
}

export const NOTHING_RELEASED: ReleasedFamily = {
  campaign: false,
  subtree: new Set(),
  own: new Set(),
};

/** Mutable group facts, added and subtracted while atoms are cut. */
class Tally {
  n = 0;
  top = 0;
  hasTop = false;
  readonly byAnswer = new Map<string, number>();
  hasAnswers = false;

  add(f: GroupFacts | Tally, sign = 1): this {
    const answers = f instanceof Tally ? (f.hasAnswers ? f.byAnswer : undefined) : f.byAnswer;
    const hasTop = f instanceof Tally ? f.hasTop : f.top !== undefined;
    this.n += sign * f.n;
    if (hasTop) {
      this.hasTop = true;
      this.top += sign * (f.top ?? 0);
    }
    if (answers) {
      this.hasAnswers = true;
      for (const [a, c] of answers) this.byAnswer.set(a, (this.byAnswer.get(a) ?? 0) + sign * c);
    }
    return this;
  }
}

/**
 * Nobody, or at least k people none of whose answers can be told from the group's figures: at
 * least k of them differ from the most common answer, and (scale questions) they are not all in
 * the top box nor all outside it.
 */
export function safeGroup(g: GroupFacts | Tally, k: number): boolean {
  if (g.n === 0) return true;
  if (g.n < k) return false;
  const answers = g instanceof Tally ? (g.hasAnswers ? g.byAnswer : undefined) : g.byAnswer;
  if (answers) {
    let mode = 0;
    for (const c of answers.values()) mode = Math.max(mode, c);
    if (g.n - mode < k) return false;
  }
  const hasTop = g instanceof Tally ? g.hasTop : g.top !== undefined;
  if (hasTop && (g.top === 0 || g.top === g.n)) return false;
  return true;
}

type Node = { kind: 'subtree' | 'own'; unit: string };

/**
 * The released groups of one family. `perUnit` holds each unit's own respondents (units outside
 * the forest are ignored); `candidates` limits which groups may be released at all (e.g. a
 * question's groups to those whose response counts are released).
 */
export function releaseFamily<U extends TreeUnit>(
  forest: UnitForest<U>,
  perUnit: ReadonlyMap<string, GroupFacts>,
  k: number,
  candidates?: ReleasedFamily,
): ReleasedFamily {
  const own = new Map<string, GroupFacts>();
  for (const [u, f] of perUnit) if (forest.byId.has(u) && f.n > 0) own.set(u, f);
  const subtree = new Map<string, Tally>();
  const total = new Tally();
  for (const [u, f] of own) {
    total.add(f);
    for (const a of forest.selfAndAncestors(u)) {
      let t = subtree.get(a);
      if (!t) subtree.set(a, (t = new Tally()));
      t.add(f);
    }
  }
  const campaign = (!candidates || candidates.campaign) && safeGroup(total, k);
  const released: { campaign: boolean; subtree: Set<string>; own: Set<string> } = {
    campaign,
    subtree: new Set(),
    own: new Set(),
  };
  if (!campaign) return released;

  // The atom left of each admitted group ('' = the campaign), keyed by node.
  const atoms = new Map<string, Tally>([['', total]]);
  const keyOf = (n: Node) => `${n.kind}:${n.unit}`;
  const nearestAdmitted = (n: Node): string => {
    const path = forest.selfAndAncestors(n.unit);
    // An own group sits under its unit's subtree; a subtree under its ancestors' subtrees.
    for (const a of n.kind === 'own' ? path : path.slice(1)) {
      if (released.subtree.has(a)) return `subtree:${a}`;
    }
    return '';
  };
  const code = (u: string) => forest.byId.get(u)?.code ?? u;
  // Shallow first; among equals the larger first, so the smallest groups are the ones withheld to
  // protect a hidden neighbour (as complementary suppression does); then by code.
  const inOrder = (sizeOf: (u: string) => number) => (a: string, b: string) =>
    forest.depth(a) - forest.depth(b) ||
    sizeOf(b) - sizeOf(a) ||
    (code(a) < code(b) ? -1 : code(a) > code(b) ? 1 : 0);
  const order: Node[] = [
    ...[...subtree.keys()]
      .sort(inOrder((u) => subtree.get(u)?.n ?? 0))
      .map((unit) => ({ kind: 'subtree' as const, unit })),
    ...[...own.keys()]
      .sort(inOrder((u) => own.get(u)?.n ?? 0))
      .map((unit) => ({ kind: 'own' as const, unit })),
  ];
  for (const node of order) {
    const allowed = node.kind === 'subtree' ? candidates?.subtree : candidates?.own;
    if (allowed && !allowed.has(node.unit)) continue;
    const facts = node.kind === 'subtree' ? subtree.get(node.unit) : own.get(node.unit);
    if (!facts || !safeGroup(facts, k)) continue;
    const parentKey = nearestAdmitted(node);
    const parentAtom = atoms.get(parentKey) as Tally;
    const left = new Tally().add(parentAtom).add(facts, -1);
    if (!safeGroup(left, k)) continue;
    atoms.set(parentKey, left);
    atoms.set(keyOf(node), new Tally().add(facts));
    (node.kind === 'subtree' ? released.subtree : released.own).add(node.unit);
  }
  return released;
}

/** The facts of one unit's answers to a numeric question: value counts and the top box. */
export function numericFacts(byValue: ReadonlyMap<number, number>, topFrom: number): GroupFacts {
  let n = 0;
  let top = 0;
  const byAnswer = new Map<string, number>();
  for (const [v, c] of byValue) {
    n += c;
    if (v >= topFrom) top += c;
    byAnswer.set(String(v), c);
  }
  return { n, byAnswer, top };
}
