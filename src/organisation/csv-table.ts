import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { DomainError, ErrorCode, invalid } from '../common/domain-error.js';
import { isCleanText } from '../common/text.js';
import { TimeSlice } from '../common/time-slice.js';
import { echo } from './organisation.rules.js';
import { english, lineProblem, partsOf, type ProblemPart, remember } from './problems.js';

/**
 * Reads an uploaded CSV into rows keyed by (lower-cased) header name. Pure: no Nest, no database.
 *
 * - Line numbers are physical lines of the file, 1 = the header; a row is reported at the line
 *   where it starts.
 * - The delimiter is taken from the header line: the most frequent of "," ";" and tab.
 * - UTF-8 BOM, CRLF / LF / CR line ends and blank lines are accepted.
 * - A line csv-parse cannot read (an unbalanced quote, a value over 10,000 characters) is
 *   reported and skipped; parsing starts again on the next line.
 * - Whole-file problems (empty, binary, bad header, too many lines) throw a DomainError (4xx).
 * - Linear time, and never long on the event loop (issue 10): the text is read once, through
 *   csv-parse's stream parser fed in small chunks; after an unreadable record a new parser starts
 *   on the next line, so only the bad record (at most MAX_LINE_CHARS) is read twice. Every loop
 *   pauses through a `TimeSlice`, so other requests are served while a 5 MB file is read.
 */

export interface CsvLineError {
  line: number;
  message: string;
}

export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  rows: CsvRow[];
  errors: CsvLineError[];
}

export interface CsvColumns {
  required: readonly string[];
  optional: readonly string[];
}

export const MAX_DATA_LINES = 100_000;
export const MAX_LINE_CHARS = 10_000;
/** After this many unreadable lines the file is clearly not what we expect: stop reading it. */
export const MAX_PARSE_ERRORS = 1_000;

interface RawRecord {
  start: number;
  end: number;
  cells: string[];
}

export async function readCsvTable(
  input: string,
  columns: CsvColumns,
  slice = new TimeSlice(),
): Promise<CsvTable> {
  if (!isCleanText(input)) throw fileProblem({ key: 'notUtf8File' });
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!text.trim()) throw fileProblem({ key: 'emptyFile' });

  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineText = (l: number) =>
    text.slice(lineStarts[l], l + 1 < lineStarts.length ? lineStarts[l + 1] - 1 : text.length);
  let nonBlank = 0;
  let headerLine = 0; // 1-based: the first line that is not blank
  for (let l = 0; l < lineStarts.length; l++) {
    if (slice.due()) await slice.pause();
    if (!lineText(l).trim()) continue;
    nonBlank++;
    if (!headerLine) headerLine = l + 1;
  }
  if (nonBlank - 1 > MAX_DATA_LINES) throw tooManyLines();
  const delimiter = detectDelimiter(lineText(headerLine - 1));

  // Each record becomes a row as soon as it is read (nothing else of it is kept): the header is
  // the first record that is not blank, and it must start on the first line that is not blank.
  let names: string[] | undefined;
  const rows: CsvRow[] = [];
  const rowProblems: CsvLineError[] = [];
  const errors = await parseRecords(text, lineStarts, delimiter, slice, (record, parseErrors) => {
    if (isBlank(record.cells)) return;
    if (!names) {
      if (record.start !== headerLine) throw headerUnreadable(parseErrors, headerLine);
      names = readHeader(record.cells, columns);
      return;
    }
    const problem = recordProblem(record, names.length);
    if (problem) {
      rowProblems.push(lineProblem(record.start, problem));
      return;
    }
    const values: Record<string, string> = {};
    names.forEach((name, i) => (values[name] = (record.cells[i] ?? '').trim()));
    rows.push({ line: record.start, values });
  });
  if (!names) throw headerUnreadable(errors, headerLine);
  if (rows.length > MAX_DATA_LINES) throw tooManyLines();
  return { rows, errors: await inLineOrder([...errors, ...rowProblems], slice) };
}

/**
 * Items by line number, in linear time (a bucket per line; stable), pausing when due. A file's
 * line numbers are small integers, and most lists arrive sorted already.
 */
export async function inLineOrder<T extends { line: number }>(
  items: readonly T[],
  slice = new TimeSlice(),
): Promise<T[]> {
  if (items.every((item, i) => i === 0 || items[i - 1].line <= item.line)) return [...items];
  if (!items.every((item) => Number.isSafeInteger(item.line) && item.line >= 0))
    return [...items].sort((a, b) => a.line - b.line);
  const buckets: T[][] = [];
  for (const item of items) {
    if (slice.due()) await slice.pause();
    (buckets[item.line] ??= []).push(item);
  }
  const out: T[] = [];
  for (let line = 0; line < buckets.length; line++) {
    if ((line & 0xffff) === 0 && slice.due()) await slice.pause();
    const bucket = buckets[line];
    if (bucket) for (const item of bucket) out.push(item);
  }
  return out;
}

/** The header line could not be read (with the reason csv-parse gave, if it gave one there). */
function headerUnreadable(parseErrors: readonly CsvLineError[], headerLine: number) {
  const problem = parseErrors.find((e) => e.line === headerLine);
  const reason = problem && partsOf(problem)?.[0];
  return fileProblem(
    reason ? { key: 'headerUnreadableBecause', vars: { reason } } : { key: 'headerUnreadable' },
  );
}

/** A whole-file problem: a 400 whose message the pages can show in their language. */
const fileProblem = (part: ProblemPart) => remember(invalid(english(part.key, part.vars)), [part]);

const tooManyLines = () => {
  const part = { key: 'tooManyLines', vars: { max: MAX_DATA_LINES } };
  return remember(new DomainError(ErrorCode.PayloadTooLarge, english(part.key, part.vars)), [part]);
};

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

/** The most frequent candidate outside quotes in the header line; "," when there is none. */
export function detectDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  return Object.entries(counts).reduce((best, c) => (c[1] > best[1] ? c : best), [',', 0])[0];
}

/** Characters handed to the parser at a time: a few milliseconds of work. */
const CHUNK_CHARS = 16 * 1024;

/**
 * Parses record by record; an unreadable record is reported and parsing resumes on the next line
 * with a new parser. Each line is read once, except a bad record, which is read again from its
 * second line on: linear in the size of the file.
 */
async function parseRecords(
  text: string,
  lineStarts: number[],
  delimiter: string,
  slice: TimeSlice,
  onRecord: (record: RawRecord, errors: readonly CsvLineError[]) => void,
): Promise<CsvLineError[]> {
  const errors: CsvLineError[] = [];
  let base = 0; // lines before the segment being parsed
  while (base < lineStarts.length) {
    let lastEnd = 0; // last line (relative to the segment) of the last record read
    const segment = base;
    const parser = parse({
      bom: true,
      delimiter,
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
      max_record_size: MAX_LINE_CHARS,
      on_record: (cells: string[], context) => {
        // In order, as each record is read (an error thrown here ends the parse with it).
        onRecord({ start: segment + lastEnd + 1, end: segment + context.lines, cells }, errors);
        lastEnd = context.lines;
        return null; // nothing goes down the stream
      },
    });
    try {
      await pipeline(Readable.from(chunks(text, lineStarts[base], slice)), parser, drain);
      break;
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      const line = base + lastEnd + 1;
      if (errors.length >= MAX_PARSE_ERRORS) {
        errors.push(lineProblem(line, { key: 'tooManyUnreadable' }));
        break;
      }
      errors.push(lineProblem(line, describeParseError(err)));
      base = line; // resume on the line after the one where the bad record starts
    }
  }
  return errors;
}

/**
 * The text from `from` on, in chunks (never between the two halves of a surrogate pair: each
 * chunk becomes UTF-8 on its own), pausing between them when the time slice is spent.
 */
async function* chunks(text: string, from: number, slice: TimeSlice): AsyncGenerator<string> {
  for (let i = from, end: number; i < text.length; i = end) {
    end = i + CHUNK_CHARS;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end++;
    if (slice.due()) await slice.pause();
    yield text.slice(i, end);
  }
}

/** The parser's output is empty (records are taken in `on_record`): read it to its end. */
async function drain(source: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of source);
}

function describeParseError(err: CsvError): ProblemPart {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return { key: 'quoteNotClosed' };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return { key: 'badClosingQuote' };
    case 'INVALID_OPENING_QUOTE':
      return { key: 'quoteInside' };
    case 'CSV_MAX_RECORD_SIZE':
      return { key: 'lineTooLong', vars: { max: MAX_LINE_CHARS } };
    default:
      return { key: 'unreadableLine' };
  }
}

function readHeader(cells: string[], columns: CsvColumns): string[] {
  const names = cells.map((c) =>
    c
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  while (names.length && names[names.length - 1] === '') names.pop();
  const expected = [...columns.required, ...columns.optional];
  const expectedText = expected.join(',');
  const empty = names.indexOf('');
  if (empty >= 0)
    throw fileProblem({
      key: 'unnamedColumn',
      vars: { column: String(empty + 1), expected: expectedText },
    });
  const unknown = names.filter((n) => !expected.includes(n));
  if (unknown.length)
    throw fileProblem({
      key: unknown.length > 1 ? 'unknownColumns' : 'unknownColumn',
      vars: { names: unknown.map((n) => echo(n, 40)).join(', '), expected: expectedText },
    });
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw fileProblem({ key: 'repeatedColumn', vars: { name: echo(duplicate) } });
  const missing = columns.required.filter((n) => !names.includes(n));
  if (missing.length)
    throw fileProblem({
      key: missing.length > 1 ? 'missingColumns' : 'missingColumn',
      vars: { names: missing.map((n) => `"${n}"`).join(', '), expected: expectedText },
    });
  return names;
}

function recordProblem(record: RawRecord, width: number): ProblemPart | undefined {
  if (record.end !== record.start) return { key: 'multiline' };
  const extra = record.cells.slice(width);
  if (extra.some((c) => c.trim() !== ''))
    return { key: 'tooManyValues', vars: { values: record.cells.length, columns: width } };
  if (record.cells.some((c) => c.includes('\uFFFD'))) return { key: 'notUtf8Line' };
  return undefined;
}
