import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { newId } from '../common/crypto.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { CONTACT_COLUMNS, checkContactLines, planContactImport } from './contact-import.js';
import { ContactsRepository } from './contacts.repository.js';
import { type CsvLineError, type CsvRow, readCsvTable } from './csv-table.js';
import type { ImportReport } from './organisation.dto.js';
import { checkName, checkUnitCode } from './organisation.rules.js';
import { planUnitImport, type UnitImportRow } from './unit-tree.js';
import { UnitsRepository } from './units.repository.js';

export const UNIT_COLUMNS = { required: ['code', 'name', 'parent_code'], optional: [] } as const;

/**
 * CSV imports of units and contacts. Bad lines are reported by line number and skipped; all
 * valid lines are written in one transaction; a dry run produces the same report, writing nothing.
 */
@Injectable()
export class CsvImportService {
  constructor(
    private readonly units: UnitsRepository,
    private readonly contacts: ContactsRepository,
  ) {}

  /** `withLines`: the report also says what each accepted line does (the pages' preview). */
  async importUnits(body: unknown, dryRun: boolean, withLines = false): Promise<ImportReport> {
    const table = readCsvTable(csvText(body), UNIT_COLUMNS);
    const { rows, errors } = checkUnitLines(table.rows);
    const plan = await this.units.plan((existing) => planUnitImport(existing, rows, newId), dryRun);
    const out = report(
      plan.created,
      plan.updated,
      [...table.errors, ...errors, ...plan.errors],
      dryRun,
    );
    return withLines ? { ...out, lines: plan.lines } : out;
  }

  async importContacts(body: unknown, dryRun: boolean, withLines = false): Promise<ImportReport> {
    const table = readCsvTable(csvText(body), CONTACT_COLUMNS);
    const { lines, errors } = checkContactLines(table.rows);
    const plan = await this.contacts.importContacts(
      lines.map((l) => l.email),
      (state) => planContactImport(lines, state.unitIdByCode, state.existingByEmail, newId),
      iso(),
      dryRun,
    );
    const out = report(
      plan.created,
      plan.updated,
      [...table.errors, ...errors, ...plan.errors],
      dryRun,
    );
    return withLines ? { ...out, lines: plan.lines } : out;
  }
}

/** The app hands text/csv bodies over as a string; anything else was sent the wrong way. */
function csvText(body: unknown): string {
  if (typeof body === 'string') return body;
  throw new DomainError(
    ErrorCode.UnsupportedMediaType,
    'Send the CSV file itself as the request body, with Content-Type: text/csv',
  );
}

function checkUnitLines(rows: readonly CsvRow[]): {
  rows: UnitImportRow[];
  errors: CsvLineError[];
} {
  const out: UnitImportRow[] = [];
  const errors: CsvLineError[] = [];
  for (const row of rows) {
    const code = checkUnitCode(row.values.code);
    const name = checkName(row.values.name);
    const parent = row.values.parent_code
      ? checkUnitCode(row.values.parent_code, 'parent_code')
      : null;
    if (code.ok && name.ok && (parent === null || parent.ok)) {
      out.push({
        line: row.line,
        code: code.value,
        name: name.value,
        parentCode: parent?.value ?? null,
      });
      continue;
    }
    const problems = [code, name, parent].flatMap((c) => (c && !c.ok ? [c.error.message] : []));
    errors.push({ line: row.line, message: problems.join('; ') });
  }
  return { rows: out, errors };
}

const report = (
  created: number,
  updated: number,
  errors: CsvLineError[],
  dryRun: boolean,
): ImportReport => ({
  created,
  updated,
  errors: errors.sort((a, b) => a.line - b.line),
  dryRun,
});
