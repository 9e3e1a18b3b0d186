/**
 * A test company's unit tree written as `code → parent code` (null: a root), and the check the
 * confidentiality specs make on what the reads release together (SECURITY.md E2/E3): released
 * counts form a laminar family, so every released set minus the largest released sets inside it
 * leaves 0 or at least k people, and a set released twice has the same count both times.
 */
export type UnitTree = Readonly<Record<string, string | null>>;

/** Depth, subtree and the children of a unit tree. */
export function unitTree(parent: UnitTree) {
  const depth = (code: string): number => (parent[code] ? 1 + depth(parent[code]) : 0);
  /** The unit and every unit below it. */
  const subtree = (code: string): string[] => [
    code,
    ...Object.keys(parent)
      .filter((c) => parent[c] === code)
      .flatMap(subtree),
  ];
  /** The units without children. */
  const leaves = (code: string): string[] =>
    subtree(code).filter((c) => !Object.values(parent).includes(c));
  return { depth, subtree, leaves, codes: Object.keys(parent) };
}

/**
 * Released figures of one variable, as sets of respondent units (`holders`: the units people
 * belong to; other units in a set are left out of its name) with their count.
 */
export class Released {
  private readonly sets = new Map<string, number>();

  constructor(
    private readonly k: number,
    private readonly holders?: ReadonlySet<string>,
  ) {}

  add(units: readonly string[], n: number) {
    const key = this.keyOf(units);
    const before = this.sets.get(key);
    if (before !== undefined) expect([key, n]).toEqual([key, before]);
    this.sets.set(key, n);
  }

  has(units: readonly string[]): boolean {
    return this.sets.has(this.keyOf(units));
  }

  get size() {
    return this.sets.size;
  }

  /** Every released set has at least k people, and no subtraction leaves between 1 and k−1. */
  expectNoSmallRemainder() {
    const k = this.k;
    const sets = [...this.sets].map(([key, n]) => ({ key, units: new Set(key.split(',')), n }));
    const within = (a: { units: Set<string> }, b: { units: Set<string> }) =>
      a !== b && a.units.size < b.units.size && [...a.units].every((u) => b.units.has(u));
    for (const s of sets) {
      expect({ set: s.key, n: s.n, atLeastK: s.n >= k }).toEqual({
        set: s.key,
        n: s.n,
        atLeastK: true,
      });
      const inside = sets.filter((o) => within(o, s));
      const maximal = inside.filter((o) => !inside.some((p) => within(o, p)));
      const remainder = s.n - maximal.reduce((sum, o) => sum + o.n, 0);
      expect({ set: s.key, remainder, safe: remainder === 0 || remainder >= k }).toEqual({
        set: s.key,
        remainder,
        safe: true,
      });
    }
  }

  private keyOf(units: readonly string[]): string {
    const held = this.holders ? units.filter((u) => this.holders!.has(u)) : units;
    return [...new Set(held)].sort().join(',');
  }
}
