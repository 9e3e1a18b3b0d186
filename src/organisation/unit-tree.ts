import type { CsvLineError } from './csv-table.js';
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
    children.set(parent, [...(children.get(parent) ?? []), u]);
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
 * earlier line, its parent is unknown or refused, or it would close a cycle. Refusing a row of
 * an existing unit leaves that unit as it was, so the loop runs until nothing changes.
 */
export function planUnitImport(
  existing: readonly TreeUnit[],
  rows: readonly UnitImportRow[],
  newId: () => string,
): UnitImportPlan {
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
  const refuse = (row: UnitImportRow, problem: ProblemPart) => {
    accepted.delete(row.code);
    refused.set(row.code, row);
    errors.push(lineProblem(row.line, problem));
  };
  const parentOf = (code: string): string | null =>
    accepted.has(code) ? accepted.get(code)!.parentCode : existingParent(code);

  for (let changed = true; changed;) {
    changed = false;
    for (const row of [...accepted.values()]) {
      const parent = row.parentCode;
      if (parent === null || accepted.has(parent) || existingByCode.has(parent)) continue;
      const bad = refused.get(parent);
      refuse(
        row,
        bad
          ? { key: 'parentRefused', vars: { value: echo(parent), line: String(bad.line) } }
          : { key: 'unknownUnit', vars: { field: 'parent_code', value: echo(parent) } },
      );
      changed = true;
    }
    for (const row of [...accepted.values()]) {
      if (!accepted.has(row.code)) continue;
      const cycle = cycleThrough(row.code, parentOf);
      if (!cycle) continue;
      const problem = {
        key: 'cycle',
        vars: { chain: [...cycle, cycle[0]].map((c) => echo(c)).join(' → ') },
      };
      for (const code of cycle) if (accepted.has(code)) refuse(accepted.get(code)!, problem);
      changed = true;
    }
  }

  const ids = new Map(existing.map((u) => [u.code, u.id]));
  for (const code of accepted.keys()) if (!ids.has(code)) ids.set(code, newId());
  const depth = (code: string): number => {
    let d = 0;
    for (
      let p = parentOf(code);
      p !== null && d <= accepted.size + existing.length;
      p = parentOf(p)
    )
      d++;
    return d;
  };
  const ordered = [...accepted.values()]
    .map((row) => ({ row, depth: depth(row.code) }))
    .sort((a, b) => a.depth - b.depth || a.row.line - b.row.line);
  const writes: UnitWrite[] = ordered.map(({ row }) => {
    const parentId = row.parentCode === null ? null : ids.get(row.parentCode)!;
    const id = ids.get(row.code)!;
    return existingByCode.has(row.code)
      ? { op: 'update', id, name: row.name, parentId }
      : { op: 'insert', unit: { id, code: row.code, name: row.name, parentId } };
  });
  errors.sort((a, b) => a.line - b.line);
  const created = writes.filter((w) => w.op === 'insert').length;
  const lines = [...accepted.values()]
    .sort((a, b) => a.line - b.line)
    .map((row) => ({
      line: row.line,
      action: existingByCode.has(row.code) ? ('update' as const) : ('create' as const),
      key: row.code,
    }));
  return { writes, created, updated: writes.length - created, errors, lines };
}

/** The codes of the cycle that `start` lies on, or undefined (a cycle above `start` does not count). */
function cycleThrough(
  start: string,
  parentOf: (code: string) => string | null,
): string[] | undefined {
  const path: string[] = [];
  const seen = new Set<string>();
  for (let code: string | null = start; code !== null; code = parentOf(code)) {
    if (seen.has(code)) {
      const from = path.indexOf(code);
      return from === 0 ? path : undefined;
    }
    seen.add(code);
    path.push(code);
  }
  return undefined;
}
