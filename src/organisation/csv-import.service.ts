import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { newId } from '../common/crypto.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { TimeSlice } from '../common/time-slice.js';
import {
  CONTACT_COLUMNS,
  checkContactLines,
  type ImportLineChange,
  planContactImport,
} from './contact-import.js';
import { ContactsRepository } from './contacts.repository.js';
import {
  type ImportKind,
  ImportPreviewSeal,
  outcomeOfSliced,
  PreviewMismatch,
} from './import-preview-seal.js';
import { type CsvLineError, type CsvRow, inLineOrder, readCsvTable } from './csv-table.js';
import type { ImportReport } from './organisation.dto.js';
import { checkName, checkUnitCode } from './organisation.rules.js';
import { lineProblem } from './problems.js';
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
    private readonly seals: ImportPreviewSeal,
  ) {}

  /** The API's imports: the report of the file (a dry run writes nothing). */
  async importUnits(body: unknown, dryRun: boolean): Promise<ImportReport> {
    return (await this.units_(body, dryRun, false)).report;
  }

  async importContacts(body: unknown, dryRun: boolean): Promise<ImportReport> {
    return (await this.contacts_(body, dryRun, false)).report;
  }

  /**
   * `withLines`: the report also says what each accepted line does (the pages' preview).
   * `accept`: sees the plan inside the import's transaction and may refuse it (by throwing).
   */
  private async units_(
    body: unknown,
    dryRun: boolean,
    withLines: boolean,
    accept: (plan: PlanOutcome, slice: TimeSlice) => Promise<void> = async () => {},
  ): Promise<{ report: ImportReport; outcome: string }> {
    const slice = new TimeSlice();
    const table = await readCsvTable(csvText(body), UNIT_COLUMNS, slice);
    const { rows, errors } = await checkUnitLines(table.rows, slice);
    const plan = await this.units.plan(async (existing) => {
      const decided = await planUnitImport(existing, rows, newId, slice);
      await accept(decided, slice);
      return decided;
    }, dryRun);
    return report(plan, [...table.errors, ...errors], dryRun, withLines, slice);
  }

  private async contacts_(
    body: unknown,
    dryRun: boolean,
    withLines: boolean,
    accept: (plan: PlanOutcome, slice: TimeSlice) => Promise<void> = async () => {},
  ): Promise<{ report: ImportReport; outcome: string }> {
    const slice = new TimeSlice();
    const table = await readCsvTable(csvText(body), CONTACT_COLUMNS, slice);
    const { lines, errors } = await checkContactLines(table.rows, slice);
    const plan = await this.contacts.importContacts(
      lines.map((l) => l.email),
      async (state) => {
        const decided = await planContactImport(
          lines,
          state.unitIdByCode,
          state.existingByEmail,
          newId,
          slice,
        );
        await accept(decided, slice);
        return decided;
      },
      iso(),
      dryRun,
    );
    return report(plan, [...table.errors, ...errors], dryRun, withLines, slice);
  }

  /**
   * The pages' two steps. Preview: a dry run with every line's outcome, and the seal of the text
   * that was previewed. Import: only the very text that was previewed (see import-preview-seal.ts);
   * anything else is refused before the file is read, and nothing is written.
   */
  async previewOrImport(
    kind: ImportKind,
    csv: string,
    step: { preview: true } | { preview: false; seal: string | undefined },
  ): Promise<{ report: ImportReport; seal?: string }> {
    const run = (
      dryRun: boolean,
      accept?: (plan: PlanOutcome, slice: TimeSlice) => Promise<void>,
    ) =>
      kind === 'units'
        ? this.units_(csv, dryRun, true, accept)
        : this.contacts_(csv, dryRun, true, accept);
    if (step.preview) {
      const { report, outcome } = await run(true);
      return { report, seal: await this.seals.seal(kind, csv, outcome) };
    }
    const { status, outcome } = await this.seals.check(kind, csv, step.seal);
    if (status !== 'ok') throw new PreviewMismatch(status);
    // Inside the transaction: the file must still do what its preview said, or nothing is written.
    const { report } = await run(false, async (plan, slice) => {
      if ((await outcomeOfSliced(plan, slice)) !== outcome) throw new PreviewMismatch('stale');
    });
    return { report };
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

async function checkUnitLines(
  rows: readonly CsvRow[],
  slice: TimeSlice,
): Promise<{ rows: UnitImportRow[]; errors: CsvLineError[] }> {
  const out: UnitImportRow[] = [];
  const errors: CsvLineError[] = [];
  for (const row of rows) {
    if (slice.due()) await slice.pause();
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
    const problems = [code, name, parent].flatMap((c) => (c && !c.ok ? [c.error] : []));
    errors.push(lineProblem(row.line, problems));
  }
  return { rows: out, errors };
}

/** What a plan did or would do, line by line: the part of an import's report the database decides. */
interface PlanOutcome {
  created: number;
  updated: number;
  errors: CsvLineError[];
  lines: ImportLineChange[];
}

/**
 * The one report of an import, whichever kind: counts, problems by line, (for the pages) every
 * accepted line, and the digest of the plan's outcome (for the preview's seal).
 */
async function report(
  plan: PlanOutcome,
  checkErrors: CsvLineError[],
  dryRun: boolean,
  withLines: boolean,
  slice: TimeSlice,
): Promise<{ report: ImportReport; outcome: string }> {
  const out: ImportReport = {
    created: plan.created,
    updated: plan.updated,
    errors: await inLineOrder([...checkErrors, ...plan.errors], slice),
    dryRun,
  };
  return {
    report: withLines ? { ...out, lines: plan.lines } : out,
    outcome: await outcomeOfSliced(plan, slice),
  };
}
