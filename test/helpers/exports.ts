// Reading the /reports pages' CSV and XLSX downloads back in tests.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Test } from 'supertest';

export interface Raw {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The body as bytes, whatever its type. */
export async function bytes(req: Test): Promise<Raw> {
  const res = await req.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });
  return { status: res.status, headers: res.headers, body: res.body as Buffer };
}

/** A table of a download: its header and its rows, every cell as text ('' for empty). */
export interface Table {
  columns: string[];
  rows: string[][];
}

/** The tables of a multi-table page CSV: blocks of title, header, rows, split by empty lines. */
export function csvTables(body: Buffer): Map<string, Table> {
  const records = parse(body, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
  }) as string[][];
  const tables = new Map<string, Table>();
  let block: string[][] = [];
  const flush = () => {
    if (!block.length) return;
    const [[title], columns, ...rows] = block;
    tables.set(title, { columns, rows });
    block = [];
  };
  for (const r of records) {
    if (r.length === 1 && r[0] === '') flush();
    else block.push(r);
  }
  flush();
  return tables;
}

/** The worksheets of an XLSX download, read with exceljs; cells keep their type. */
export async function xlsxSheets(
  body: Buffer,
): Promise<Map<string, Array<Array<string | number | null>>>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const sheets = new Map<string, Array<Array<string | number | null>>>();
  wb.eachSheet((ws) => {
    const rows: Array<Array<string | number | null>> = [];
    const width = ws.getRow(1).cellCount;
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: Array<string | number | null> = [];
      for (let c = 1; c <= Math.max(width, row.cellCount); c++) {
        const v = row.getCell(c).value;
        if (v !== null && typeof v === 'object')
          throw new Error(`sheet ${ws.name} row ${n}: a non-plain cell ${JSON.stringify(v)}`);
        cells.push(v === undefined ? null : (v as string | number | null));
      }
      rows[n - 1] = cells;
    });
    sheets.set(ws.name, rows);
  });
  return sheets;
}

/** A table as a map from the value of its first column to its row as {column: text}. */
export function byFirst(table: Table): Map<string, Record<string, string>> {
  return new Map(
    table.rows.map((r) => [r[0], Object.fromEntries(table.columns.map((c, i) => [c, r[i] ?? '']))]),
  );
}
