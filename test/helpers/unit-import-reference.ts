/**
 * The units import plan as it was before issue 10, kept verbatim as the reference for the
 * linear `planUnitImport` (src/organisation/unit-tree.spec.ts compares them on random files):
 * a fixpoint of whole passes, simple to read, quadratic on long parent chains.
 */
import type { CsvLineError } from '../../src/organisation/csv-table.js';
import { echo } from '../../src/organisation/organisation.rules.js';
import { lineProblem, type ProblemPart } from '../../src/organisation/problems.js';
import type {
  TreeUnit,
  UnitImportPlan,
  UnitImportRow,
  UnitWrite,
} from '../../src/organisation/unit-tree.js';

/**
 * Decides what an import does, given the units that exist. Upsert by code; parents may come
 * after their children in the file. A row is refused (with its line) when its code repeats an
 * earlier line, its parent is unknown or refused, or it would close a cycle. Refusing a row of
 * an existing unit leaves that unit as it was, so the loop runs until nothing changes.
 */
export function referenceUnitImportPlan(
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
