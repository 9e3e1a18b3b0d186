/**
 * The linear (differencing) attack of SECURITY.md E3, as a pure function: given every figure a
 * reader was shown, written as linear rows over unknowns, which small groups can be worked out
 * exactly?
 *
 * Model
 * - An unknown is a column key, e.g. `"7|sat"` (respondent 7's answer to `sat`) or `"7"` (respondent
 *   7's presence indicator, for counts). Every column belongs to one respondent (`respondentOf`).
 * - A released figure is a row: column → integer coefficient. A mean `m` with count `n` over group
 *   G releases Σ_{c∈G} x_c = m·n; only the coefficients matter here, never the values.
 * - A combination of released rows is known to the reader. A vector `v` is "determined" when it is
 *   in the row space of the released rows.
 *
 * What is checked
 * - Columns with the same coefficient in every row are indistinguishable: they form an *atom*.
 *   Every vector of the row space is constant on atoms, so a single unknown e_c can only be
 *   determined when its atom is {c}; the unit-vector check is the atom check for atoms of one
 *   respondent.
 * - An atom (or the union of two atoms) whose columns belong to 1..k−1 distinct respondents and
 *   whose indicator is in the row space is a leak: the sum (or count) of fewer than k people.
 *
 * How
 * - Rows are compressed to one column per atom, deduplicated and brought to reduced row echelon
 *   form with exact rationals (fraction.js), keeping for each basis row the combination of
 *   released rows that produced it (to explain a leak in words).
 * - Membership of e_a + e_b in the row space is tested with the null space N: v is in the row
 *   space iff N·v = 0, i.e. iff N's column of a equals minus N's column of b (N's column of a
 *   alone is zero for a determined single atom). Columns of N are hashed, so all pairs are
 *   checked in linear time.
 */
import Fraction from 'fraction.js';

/** One released figure as a linear row. */
export interface ReleasedRow {
  /** column key → coefficient (non-zero integers; zero entries are ignored). */
  coefficients: ReadonlyMap<string, number>;
  /** Where the figure was read, in words (endpoint, options, row). */
  source: string;
}

/** A group of fewer than k respondents whose total is determined by the released rows. */
export interface Leak {
  /** The columns whose sum is determined (one or two atoms). */
  columns: string[];
  /** Their distinct respondents (fewer than k). */
  respondents: string[];
  /** Released rows and the rational multipliers that add up to the group's indicator. */
  combination: Array<{ coefficient: string; source: string }>;
}

type SparseRow = Map<number, Fraction>;

const ZERO = new Fraction(0);

/** Partition of the columns into atoms (identical coefficient in every row). */
function atomsOf(rows: readonly ReleasedRow[]): { atoms: string[][]; atomOf: Map<string, number> } {
  const signature = new Map<string, string[]>();
  rows.forEach((row, r) => {
    for (const [col, coef] of row.coefficients) {
      if (coef === 0) continue;
      let sig = signature.get(col);
      if (!sig) signature.set(col, (sig = []));
      sig.push(`${r}:${coef}`);
    }
  });
  const bySignature = new Map<string, string[]>();
  for (const [col, sig] of signature) {
    const key = sig.join(',');
    const list = bySignature.get(key);
    if (list) list.push(col);
    else bySignature.set(key, [col]);
  }
  const atoms = [...bySignature.values()].map((cols) => cols.sort());
  atoms.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const atomOf = new Map<string, number>();
  atoms.forEach((cols, i) => cols.forEach((c) => atomOf.set(c, i)));
  return { atoms, atomOf };
}

/**
 * Reduced row echelon form of the compressed rows. Returns the basis rows (pivot first), their
 * pivots, and for each basis row the combination of input rows (index → multiplier) it equals.
 */
function reducedEchelon(rows: readonly SparseRow[]): {
  basis: SparseRow[];
  pivots: number[];
  combos: SparseRow[];
} {
  const basis: SparseRow[] = [];
  const pivots: number[] = [];
  const combos: SparseRow[] = [];
  rows.forEach((input, index) => {
    const row: SparseRow = new Map(input);
    const combo: SparseRow = new Map([[index, new Fraction(1)]]);
    // Eliminate the existing pivots from the new row.
    basis.forEach((b, i) => {
      const f = row.get(pivots[i]);
      if (!f || f.equals(0)) return;
      axpy(row, f.neg(), b);
      axpy(combo, f.neg(), combos[i]);
    });
    let pivot = -1;
    for (const [col, value] of row) if (!value.equals(0) && (pivot < 0 || col < pivot)) pivot = col;
    if (pivot < 0) return; // dependent on earlier rows
    const scale = (row.get(pivot) as Fraction).inverse();
    scaleInPlace(row, scale);
    scaleInPlace(combo, scale);
    // Keep the form reduced: clear the new pivot from the earlier basis rows.
    basis.forEach((b, i) => {
      const f = b.get(pivot);
      if (!f || f.equals(0)) return;
      axpy(b, f.neg(), row);
      axpy(combos[i], f.neg(), combo);
    });
    basis.push(row);
    pivots.push(pivot);
    combos.push(combo);
  });
  return { basis, pivots, combos };
}

/** target += factor · source (sparse; zero entries removed). */
function axpy(target: SparseRow, factor: Fraction, source: SparseRow): void {
  for (const [col, value] of source) {
    const next = (target.get(col) ?? ZERO).add(factor.mul(value));
    if (next.equals(0)) target.delete(col);
    else target.set(col, next);
  }
}

function scaleInPlace(row: SparseRow, factor: Fraction): void {
  for (const [col, value] of row) row.set(col, value.mul(factor));
}

/** A sparse vector as a canonical string (sorted index:value), optionally negated. */
function keyOf(entries: ReadonlyMap<number, Fraction>, negate = false): string {
  return [...entries]
    .filter(([, v]) => !v.equals(0))
    .sort((a, b) => a[0] - b[0])
    .map(([i, v]) => `${i}:${(negate ? v.neg() : v).toFraction()}`)
    .join(',');
}

/**
 * Every atom, and every union of two atoms, of 1..k−1 distinct respondents whose indicator is a
 * linear combination of the released rows.
 */
export function determinedSmallGroups(
  released: readonly ReleasedRow[],
  respondentOf: (column: string) => string,
  k: number,
): Leak[] {
  // Identical rows add nothing (but keep the first source for the explanation).
  const seen = new Set<string>();
  const rows: ReleasedRow[] = [];
  for (const row of released) {
    const key = [...row.coefficients]
      .filter(([, c]) => c !== 0)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([col, c]) => `${col}=${c}`)
      .join(';');
    if (!key || seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  const { atoms, atomOf } = atomsOf(rows);
  const compressed: SparseRow[] = rows.map((row) => {
    const out: SparseRow = new Map();
    for (const [col, coef] of row.coefficients) {
      if (coef !== 0) out.set(atomOf.get(col) as number, new Fraction(coef));
    }
    return out;
  });
  const { basis, pivots, combos } = reducedEchelon(compressed);

  // Column of the null space for each atom: a free atom f is the unit vector at f; a pivot atom
  // of basis row i is −(row i restricted to the free atoms).
  const pivotRow = new Map(pivots.map((p, i) => [p, i]));
  const nullColumn = (atom: number): Map<number, Fraction> => {
    const i = pivotRow.get(atom);
    if (i === undefined) return new Map([[atom, new Fraction(1)]]);
    const out = new Map<number, Fraction>();
    for (const [col, value] of basis[i]) if (col !== atom) out.set(col, value.neg());
    return out;
  };
  const respondentsOf = (atomIds: number[]) => [
    ...new Set(atomIds.flatMap((a) => atoms[a].map(respondentOf))),
  ];
  const small = (people: string[]) => people.length >= 1 && people.length < k;

  const explain = (atomIds: number[]): Leak['combination'] => {
    // v is in the row space, so v = Σ v[pivot_i] · basis_i; each basis row is a known combination.
    const total: SparseRow = new Map();
    basis.forEach((_, i) => {
      if (atomIds.includes(pivots[i])) axpy(total, new Fraction(1), combos[i]);
    });
    return [...total]
      .sort((a, b) => a[0] - b[0])
      .map(([r, c]) => ({ coefficient: c.toFraction(), source: rows[r].source }));
  };

  const leaks: Leak[] = [];
  const report = (atomIds: number[]) => {
    const people = respondentsOf(atomIds);
    if (!small(people)) return;
    leaks.push({
      columns: atomIds.flatMap((a) => atoms[a]),
      respondents: people.sort(),
      combination: explain(atomIds),
    });
  };

  const byKey = new Map<string, number[]>();
  atoms.forEach((_, a) => {
    const column = nullColumn(a);
    const key = keyOf(column);
    if (key === '') report([a]); // determined on its own
    const list = byKey.get(key);
    if (list) list.push(a);
    else byKey.set(key, [a]);
  });
  atoms.forEach((_, a) => {
    const negated = keyOf(nullColumn(a), true);
    if (negated === '') return; // single atoms were reported above
    for (const b of byKey.get(negated) ?? []) if (a < b) report([a, b]);
  });
  return leaks;
}

/** A leak in words, for test failures. */
export function describeLeak(leak: Leak): string {
  const lines = leak.combination.map(({ coefficient, source }) => `  ${coefficient} × ${source}`);
  return (
    `the total of ${leak.respondents.length} respondent(s) [${leak.respondents.join(', ')}] ` +
    `over [${leak.columns.join(', ')}] equals\n${lines.join('\n')}`
  );
}
