/**
 * The CSV and XLSX files of the /reports pages and of the raw responses: tables in, a streamed
 * download out (issue 9 "Exports from the browser").
 *
 * - CSV: `csv-stringify`, UTF-8 with BOM, CRLF. A page export with several tables writes each as a
 *   block: a one-cell title row, the header, the rows, an empty line.
 * - XLSX: exceljs's streaming `WorkbookWriter` (no shared strings, no styles: nothing grows with
 *   the row count), one worksheet per table. It has no backpressure of its own (each worksheet's
 *   XML is buffered in front of the zip's deflate without limit), so `writeXlsx` waits, every
 *   `XLSX_CHECK_EVERY` rows, until that buffer and the output are below `XLSX_MAX_BACKLOG`: a slow
 *   reader holds the producer (and the keyset reads behind it) back.
 *
 * Cells: every text goes through `neutraliseCell` (formula injection, SECURITY.md G1/G2) in both
 * formats, and XLSX cells are plain values (strings and numbers, never formulas or rich text).
 * Numbers are JavaScript numbers, so their text is a numeric literal and can never be a formula.
 */
import { PassThrough, Readable, type Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { neutraliseCell } from './csv-cells.js';

export type Cell = string | number | null | undefined;

export interface ExportTable {
  /** The title row (CSV) and the worksheet name (XLSX, at most 31 characters). */
  name: string;
  columns: string[];
  rows: Iterable<Cell[]> | AsyncIterable<Cell[]>;
}

export type ExportFormat = 'csv' | 'xlsx';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Rows written between two looks at the XLSX backlog. */
export const XLSX_CHECK_EVERY = 200;
/** Bytes of worksheet XML (before the zip) plus zipped output allowed to wait for the reader. */
export const XLSX_MAX_BACKLOG = 1024 * 1024;

/** A CSV text cell: neutralised. Numbers stay numbers; null and undefined are empty. */
function csvCell(value: Cell): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  return neutraliseCell(value);
}

/** Characters XML 1.0 cannot carry (an XLSX with one would not open): replaced by U+FFFD. */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Excel's longest cell text. */
const XLSX_MAX_TEXT = 32_767;

/** An XLSX cell: a plain string (neutralised, valid XML) or a finite number, never a formula. */
export function xlsxCell(value: Cell): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return neutraliseCell(value).replace(NOT_XML, '\ufffd').slice(0, XLSX_MAX_TEXT);
}

/** Records written as one chunk of CSV text. */
export const CSV_RECORDS_PER_CHUNK = 100;

/**
 * The tables as one CSV stream; rows are pulled only as fast as the reader reads. Records are
 * written in chunks of `CSV_RECORDS_PER_CHUNK` (tens of KiB) rather than one socket write each:
 * with a slow reader, a million small writes waiting in the socket's buffer outlived the young
 * generation and left ~200 MiB of old-space garbage (`npm run bench:exports`).
 */
export function csvStream(tables: ExportTable[], titled = tables.length > 1): Readable {
  const options = { record_delimiter: '\r\n', quoted_match: /^\s|\s$/ } as const;
  async function* chunks(): AsyncGenerator<string> {
    let batch: Array<Array<string | number>> = [];
    let first = true;
    const flush = () => {
      const text = (first ? '\ufeff' : '') + stringify(batch, options);
      first = false;
      batch = [];
      return text;
    };
    for (const [i, table] of tables.entries()) {
      if (i > 0) batch.push([]);
      if (titled) batch.push([csvCell(table.name)]);
      batch.push(table.columns.map(csvCell));
      for await (const row of table.rows) {
        batch.push(row.map(csvCell));
        if (batch.length >= CSV_RECORDS_PER_CHUNK) yield flush();
      }
    }
    if (batch.length || first) yield flush();
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** A worksheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique in the workbook. */
function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++)
    candidate = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Bytes a stream holds (archiver's `readable-stream` PassThrough has no `readableLength`). */
interface StreamState {
  _readableState?: { length?: number };
  _writableState?: { length?: number };
}
const held = (s: StreamState | undefined): number =>
  (s?._readableState?.length ?? 0) + (s?._writableState?.length ?? 0);

/** What waits between the producer and the reader: the worksheet's unzipped XML and the output. */
function backlog(sheet: ExcelJS.Worksheet, out: PassThrough): number {
  // exceljs 4.4 internals: the worksheet's StreamBuf is piped into the PassThrough archiver reads
  // its entry from; that PassThrough is where XML piles up when the reader is slow.
  const buf = (sheet as unknown as { _stream?: { pipes?: StreamState[] } })._stream;
  return held(buf?.pipes?.[0]) + out.readableLength + out.writableLength;
}

/** Resolves once the backlog is small again; rejects when the reader went away. */
async function relieve(sheet: ExcelJS.Worksheet, out: PassThrough): Promise<void> {
  while (backlog(sheet, out) > XLSX_MAX_BACKLOG) {
    if (out.destroyed) throw new Error('The reader went away');
    await sleep(2);
  }
  if (out.destroyed) throw new Error('The reader went away');
}

/** Writes the tables as an XLSX workbook into `out`, waiting for a slow reader. */
export async function writeXlsx(tables: ExportTable[], out: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out as unknown as Writable,
    useSharedStrings: false,
    useStyles: false,
  });
  const taken = new Set<string>();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(sheetName(table.name, taken));
    sheet.addRow(table.columns.map(xlsxCell)).commit();
    let written = 0;
    for await (const row of table.rows) {
      sheet.addRow(row.map(xlsxCell)).commit();
      if (++written % XLSX_CHECK_EVERY === 0) await relieve(sheet, out);
    }
    sheet.commit();
  }
  await workbook.commit();
}

/** The tables as one XLSX stream; an error on the way destroys the stream (the reply aborts). */
export function xlsxStream(tables: ExportTable[]): Readable {
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  writeXlsx(tables, out).catch((err: unknown) => {
    if (!out.destroyed) out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}

/** The file in the asked format. */
export function exportStream(format: ExportFormat, tables: ExportTable[]): Readable {
  return format === 'csv' ? csvStream(tables) : xlsxStream(tables);
}

/** Sends a streamed export as a download (the headers of `sendCsvDownload`, per format). */
export async function sendDownload(
  reply: FastifyReply,
  format: ExportFormat,
  file: { fileName: string; stream: Readable },
): Promise<void> {
  await reply
    .header('Content-Type', CONTENT_TYPES[format])
    .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .send(file.stream);
}
