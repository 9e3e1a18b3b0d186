import { TimeSlice } from '../common/time-slice.js';
import { type CsvLineError, inLineOrder } from './csv-table.js';
import { echo } from './organisation.rules.js';
import { lineProblem, type ProblemPart } from './problems.js';

/** The unit tree as pure data: parent look-ups, cycle checks, display order, the import plan. */

export interface TreeUnit {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
}

export interface TreeNode<U extends TreeUnit> {
  unit: U;
  parentCode: string | null;
  depth: number;
}

/** Depth-first order (roots, then their children), siblings by code: the order a tree is read in. */
export function treeOrder<U extends TreeUnit>(units: readonly U[]): TreeNode<U>[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = new Map<string | null, U[]>();
  for (const u of units) {
    const parent = u.parentId && byId.has(u.parentId) ? u.parentId : null;
    const siblings = children.get(parent); // push, not a copy: 100,000 roots took minutes
    if (siblings) siblings.push(u);
    else children.set(parent, [u]);
  }
  for (const list of children.values()) list.sort((a, b) => compareCodes(a.code, b.code));
  const out: TreeNode<U>[] = [];
  const seen = new Set<string>();
  const visit = (u: U, depth: number) => {
    if (seen.has(u.id)) return;
    seen.add(u.id);
    out.push({ unit: u, parentCode: (u.parentId && byId.get(u.parentId)?.code) || null, depth });
    for (const c of children.get(u.id) ?? []) visit(c, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  // Defensive: units caught in a cycle (never written by this code) still get listed.
  for (const u of [...units].sort((a, b) => compareCodes(a.code, b.code))) visit(u, 0);
  return out;
}

export const compareCodes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** True when making `newParentId` the parent of `unitId` would close a loop (or is the unit itself). */
export function wouldCreateCycle(
  units: readonly TreeUnit[],
  unitId: string,
  newParentId: string,
): boolean {
  const parentOf = new Map(units.map((u) => [u.id, u.parentId]));
  let current: string | null | undefined = newParentId;
  for (let steps = 0; current && steps <= units.length; steps++) {
    if (current === unitId) return true;
    current = parentOf.get(current);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// CSV import of units

export interface UnitImportRow {
  line: number;
  code: string;
  name: string;
  parentCode: string | null;
}

export type UnitWrite =
  | { op: 'insert'; unit: TreeUnit }
  | { op: 'update'; id: string; name: string; parentId: string | null };

export interface UnitImportPlan {
  /** Parents before children, so every parent exists when its child is written. */
  writes: UnitWrite[];
  created: number;
  updated: number;
  errors: CsvLineError[];
  /** What each accepted line does, in file order (for the import preview). */
  lines: Array<{ line: number; action: 'create' | 'update'; key: string }>;
}

/**
 * Decides what an import does, given the units that exist. Upsert by code; parents may come
 * after their children in the file. A row is refused (with its line) when its code repeats an
 * earlier line, its parent is unknown or refused, or it would close a cycle (named from its first
 * line in the file). Refusing a row of an existing unit leaves that unit as it was (its old parent
 * comes back), so the cycle check runs again until nothing changes.
 *
 * Linear in the number of rows and units (issue 10: a file of 100,000 lines in one long parent
 * chain took minutes before), and it pauses through `slice` so the server stays responsive.
 */
export async function planUnitImport(
  existing: readonly TreeUnit[],
  rows: readonly UnitImportRow[],
  newId: () => string,
  slice = new TimeSlice(),
): Promise<UnitImportPlan> {
  const errors: CsvLineError[] = [];
  const existingByCode = new Map(existing.map((u) => [u.code, u]));
  const codeOfId = new Map(existing.map((u) => [u.id, u.code]));
  const existingParent = (code: string): string | null => {
    const parentId = existingByCode.get(code)?.parentId;
    return (parentId && codeOfId.get(parentId)) || null;
  };

  const accepted = new Map<string, UnitImportRow>();
  const refused = new Map<string, UnitImportRow>();
  for (const row of rows) {
    if (slice.due()) await slice.pause();
    const first = accepted.get(row.code);
    if (first)
      errors.push(
        lineProblem(row.line, {
          key: 'codeRepeated',
          vars: { value: echo(row.code), first: String(first.line) },
        }),
      );
    else accepted.set(row.code, row);
  }
  const parentOf = (code: string): string | null =>
    accepted.has(code) ? accepted.get(code)!.parentCode : existingParent(code);

  // The accepted rows naming each parent code (made on the first refusal of a new unit, which
  // takes its children with it; a clean file never needs it).
  let children: Map<string, UnitImportRow[]> | undefined;
  const childrenOf = (code: string): readonly UnitImportRow[] => {
    if (!children) {
      children = new Map();
      for (const row of accepted.values())
        if (row.parentCode !== null) {
          const list = children.get(row.parentCode);
          if (list) list.push(row);
          else children.set(row.parentCode, [row]);
        }
    }
    return children.get(code) ?? [];
  };
  /** Refuses rows (all of them first: one cycle's rows all say "cycle"), then their children. */
  const refuse = (problem: ProblemPart, group: readonly UnitImportRow[]) => {
    for (const row of group) {
      accepted.delete(row.code);
      refused.set(row.code, row);
      errors.push(lineProblem(row.line, problem));
    }
    // A refused existing unit stays, under its old parent; a refused new one takes its children.
    const pending = group.filter((row) => !existingByCode.has(row.code));
    for (let gone = pending.pop(); gone; gone = pending.pop())
      for (const child of childrenOf(gone.code))
        if (accepted.get(child.code) === child) {
          accepted.delete(child.code);
          refused.set(child.code, child);
          errors.push(
            lineProblem(child.line, {
              key: 'parentRefused',
              vars: { value: echo(gone.code), line: String(gone.line) },
            }),
          );
          if (!existingByCode.has(child.code)) pending.push(child);
        }
  };

  for (const row of [...accepted.values()]) {
    if (slice.due()) await slice.pause();
    const parent = row.parentCode;
    if (accepted.get(row.code) !== row) continue;
    if (parent === null || accepted.has(parent) || existingByCode.has(parent)) continue;
    const bad = refused.get(parent);
    refuse(
      bad
        ? { key: 'parentRefused', vars: { value: echo(parent), line: String(bad.line) } }
        : { key: 'unknownUnit', vars: { field: 'parent_code', value: echo(parent) } },
      [row],
    );
  }

  // Cycles: each pass walks every parent chain once (a node walked before is not walked again);
  // a refused row of an existing unit gets its old parent back, which may close a new cycle.
  let order: Map<string, number> | undefined; // file order of the rows accepted before this step
  for (let found = true; found;) {
    const cycles = await findCycles([...accepted.keys()], parentOf, slice);
    found = cycles.length > 0;
    if (found) order ??= new Map([...accepted.keys()].map((code, i) => [code, i]));
    const named = cycles
      .map((cycle) => {
        const members = cycle.filter((c) => accepted.has(c));
        if (!members.length) return undefined; // only existing units: not this import's doing
        const first = members.reduce((a, b) => (order!.get(a)! <= order!.get(b)! ? a : b));
        const from = cycle.indexOf(first);
        return { at: order!.get(first)!, chain: [...cycle.slice(from), ...cycle.slice(0, from)] };
      })
      .filter((c) => c !== undefined)
      .sort((a, b) => a.at - b.at);
    for (const { chain } of named) {
      const problem = {
        key: 'cycle',
        vars: { chain: [...chain, chain[0]].map((c) => echo(c)).join(' → ') },
      };
      refuse(
        problem,
        chain.flatMap((code) => accepted.get(code) ?? []),
      );
    }
  }

  const ids = new Map(existing.map((u) => [u.code, u.id]));
  for (const code of accepted.keys()) {
    if (slice.due()) await slice.pause();
    if (!ids.has(code)) ids.set(code, newId());
  }
  // Depth of every accepted code, each chain walked once (the graph has no cycle left).
  const depthOf = new Map<string, number>();
  const depth = (code: string): number => {
    const path: string[] = [];
    let d = 0;
    for (let c: string | null = code; c !== null; c = parentOf(c)) {
      const known = depthOf.get(c);
      if (known !== undefined) {
        d = known + 1;
        break;
      }
      if (path.length > accepted.size + existing.length) break; // defensive: never loop
      path.push(c);
    }
    for (let i = path.length - 1; i >= 0; i--) depthOf.set(path[i], d++);
    return depthOf.get(code)!;
  };
  const byLine = await inLineOrder([...accepted.values()], slice);
  // Parents before children: by depth, then by line (a stable bucket sort, no comparison sort).
  const buckets: UnitImportRow[][] = [];
  for (const row of byLine) {
    if (slice.due()) await slice.pause();
    (buckets[depth(row.code)] ??= []).push(row);
  }
  const writes: UnitWrite[] = [];
  let created = 0;
  for (const bucket of buckets)
    for (const row of bucket ?? []) {
      if (slice.due()) await slice.pause();
      const parentId = row.parentCode === null ? null : ids.get(row.parentCode)!;
      const id = ids.get(row.code)!;
      if (existingByCode.has(row.code)) writes.push({ op: 'update', id, name: row.name, parentId });
      else {
        writes.push({ op: 'insert', unit: { id, code: row.code, name: row.name, parentId } });
        created++;
      }
    }
  const lines = await slice.map(byLine, (row) => ({
    line: row.line,
    action: existingByCode.has(row.code) ? ('update' as const) : ('create' as const),
    key: row.code,
  }));
  return {
    writes,
    created,
    updated: writes.length - created,
    errors: await inLineOrder(errors, slice),
    lines,
  };
}

/**
 * The cycles of the parent function reachable from `starts`, each as its codes in parent order.
 * Every code is walked at most once: linear in the number of codes.
 */
async function findCycles(
  starts: readonly string[],
  parentOf: (code: string) => string | null,
  slice: TimeSlice,
): Promise<string[][]> {
  const walk = new Map<string, number>(); // code → the walk that first reached it
  const cycles: string[][] = [];
  for (let w = 0; w < starts.length; w++) {
    if (slice.due()) await slice.pause();
    let code: string | null = starts[w];
    while (code !== null && !walk.has(code)) {
      walk.set(code, w);
      code = parentOf(code);
    }
    if (code === null || walk.get(code) !== w) continue; // reached the top, or an earlier walk
    const cycle = [code];
    for (let c = parentOf(code)!; c !== code; c = parentOf(c)!) cycle.push(c);
    cycles.push(cycle);
  }
  return cycles;
}
