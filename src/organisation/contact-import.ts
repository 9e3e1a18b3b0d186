import { TimeSlice } from '../common/time-slice.js';
import type { CsvLineError, CsvRow } from './csv-table.js';
import { checkContactFields, type ContactFields, echo } from './organisation.rules.js';
import { lineProblem } from './problems.js';
import type { Audience } from '../domain/audience.js';
import type { Language } from '../domain/language.js';

/** The CSV import of contacts as pure decisions: check every line, then plan inserts and updates. */

export const CONTACT_COLUMNS = {
  required: ['email', 'name', 'audience', 'unit_code'],
  optional: ['language'],
} as const;

export interface ContactImportLine extends ContactFields {
  line: number;
}

/**
 * Field rules per line, and a repeated e-mail within the file: the first line wins, later ones
 * are reported (so nobody wonders which of two different names was kept).
 */
export async function checkContactLines(
  rows: readonly CsvRow[],
  slice = new TimeSlice(),
): Promise<{ lines: ContactImportLine[]; errors: CsvLineError[] }> {
  const lines: ContactImportLine[] = [];
  const errors: CsvLineError[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    if (slice.due()) await slice.pause();
    const v = row.values;
    const checked = checkContactFields(
      {
        email: v.email,
        name: v.name,
        audience: v.audience,
        unitCode: v.unit_code,
        language: v.language,
      },
      'unit_code',
    );
    if (!checked.value) {
      errors.push(lineProblem(row.line, checked.errors));
      continue;
    }
    const first = firstLine.get(checked.value.email);
    if (first !== undefined) {
      errors.push(
        lineProblem(row.line, {
          key: 'emailRepeated',
          vars: { value: echo(checked.value.email), first: String(first) },
        }),
      );
      continue;
    }
    firstLine.set(checked.value.email, row.line);
    lines.push({ line: row.line, ...checked.value });
  }
  return { lines, errors };
}

export interface ExistingContact {
  id: string;
  email: string | null;
  name: string | null;
  audience: Audience;
  unitId: string;
  language: Language;
}

export interface NewContact {
  id: string;
  email: string;
  name: string;
  audience: Audience;
  unitId: string;
  language: Language;
}

export interface ContactChange {
  id: string;
  name: string;
  audience: Audience;
  unitId: string;
  language: Language;
}

export interface ContactImportPlan {
  inserts: NewContact[];
  /** Only contacts whose data actually changes; `updated` counts every line that matched. */
  updates: ContactChange[];
  created: number;
  updated: number;
  errors: CsvLineError[];
  /** What each accepted line does, in file order (for the import preview). */
  lines: ImportLineChange[];
}

/** One accepted line of an import: what it creates or updates. */
export interface ImportLineChange {
  line: number;
  action: 'create' | 'update';
  /** The unit code or the contact's e-mail address. */
  key: string;
}

/**
 * Upsert by normalised e-mail: a known address updates name, audience, unit and language (never
 * the opt-out flag); an unknown one creates a contact. Lines naming an unknown unit are reported.
 */
export async function planContactImport(
  lines: readonly ContactImportLine[],
  unitIdByCode: ReadonlyMap<string, string>,
  existingByEmail: ReadonlyMap<string, ExistingContact>,
  newId: () => string,
  slice = new TimeSlice(),
): Promise<ContactImportPlan> {
  const plan: ContactImportPlan = {
    inserts: [],
    updates: [],
    created: 0,
    updated: 0,
    errors: [],
    lines: [],
  };
  for (const l of lines) {
    if (slice.due()) await slice.pause();
    const unitId = unitIdByCode.get(l.unitCode);
    if (!unitId) {
      plan.errors.push(
        lineProblem(l.line, {
          key: 'unknownUnit',
          vars: { field: 'unit_code', value: echo(l.unitCode) },
        }),
      );
      continue;
    }
    const current = existingByEmail.get(l.email);
    if (!current) {
      plan.inserts.push({
        id: newId(),
        email: l.email,
        name: l.name,
        audience: l.audience,
        unitId,
        language: l.language,
      });
      plan.created++;
      plan.lines.push({ line: l.line, action: 'create', key: l.email });
      continue;
    }
    plan.updated++;
    plan.lines.push({ line: l.line, action: 'update', key: l.email });
    const same =
      current.name === l.name &&
      current.audience === l.audience &&
      current.unitId === unitId &&
      current.language === l.language;
    if (!same)
      plan.updates.push({
        id: current.id,
        name: l.name,
        audience: l.audience,
        unitId,
        language: l.language,
      });
  }
  return plan;
}
