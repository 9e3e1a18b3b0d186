import { CsvError, parse } from 'csv-parse/sync';
import { DomainError, ErrorCode, invalid } from '../common/domain-error.js';
import { isCleanText } from '../common/text.js';
import { echo } from './organisation.rules.js';

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

export function readCsvTable(input: string, columns: CsvColumns): CsvTable {
  if (!isCleanText(input))
    throw invalid(
      'The file contains NUL bytes or invalid characters: it does not look like a UTF-8 CSV text file',
    );
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!text.trim()) throw invalid('The file is empty: expected a header line and data lines');

  const lineStarts = [0];
  let nonBlank = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  for (let l = 0; l < lineStarts.length; l++) {
    const end = l + 1 < lineStarts.length ? lineStarts[l + 1] - 1 : text.length;
    if (text.slice(lineStarts[l], end).trim()) nonBlank++;
  }
  if (nonBlank - 1 > MAX_DATA_LINES) throw tooManyLines();

  const headerLine =
    lineStarts.findIndex((s, l) => text.slice(s, lineStarts[l + 1] ?? text.length).trim() !== '') +
    1;
  const headerText = text.slice(
    lineStarts[headerLine - 1],
    (lineStarts[headerLine] ?? text.length + 1) - 1,
  );
  const delimiter = detectDelimiter(headerText);

  const { records, errors } = parseRecords(text, lineStarts, delimiter);
  const header = records.find((r) => !isBlank(r.cells));
  if (!header || header.start !== headerLine) {
    const problem = errors.find((e) => e.line === headerLine);
    throw invalid(`The header line could not be read${problem ? `: ${problem.message}` : ''}`);
  }
  const names = readHeader(header.cells, columns);

  const rows: CsvRow[] = [];
  for (const record of records) {
    if (record === header || isBlank(record.cells)) continue;
    const problem = recordProblem(record, names.length);
    if (problem) {
      errors.push({ line: record.start, message: problem });
      continue;
    }
    const values: Record<string, string> = {};
    names.forEach((name, i) => (values[name] = (record.cells[i] ?? '').trim()));
    rows.push({ line: record.start, values });
  }
  if (rows.length > MAX_DATA_LINES) throw tooManyLines();
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

const tooManyLines = () =>
  new DomainError(
    ErrorCode.PayloadTooLarge,
    `The file has more than ${MAX_DATA_LINES.toLocaleString('en')} data lines; split it into smaller files`,
  );

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

/** Parses record by record; an unreadable record is reported and parsing resumes on the next line. */
function parseRecords(
  text: string,
  lineStarts: number[],
  delimiter: string,
): { records: RawRecord[]; errors: CsvLineError[] } {
  const records: RawRecord[] = [];
  const errors: CsvLineError[] = [];
  let base = 0; // lines before the chunk being parsed
  while (base < lineStarts.length) {
    let lastEnd = 0; // last line (relative to the chunk) of the last record read
    try {
      parse(text.slice(lineStarts[base]), {
        bom: true,
        delimiter,
        record_delimiter: '\n',
        relax_column_count: true,
        relax_quotes: true,
        trim: true,
        max_record_size: MAX_LINE_CHARS,
        on_record: (record, context) => {
          records.push({ start: base + lastEnd + 1, end: base + context.lines, cells: record });
          lastEnd = context.lines;
          return null;
        },
      });
      break;
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      const line = base + lastEnd + 1;
      if (errors.length >= MAX_PARSE_ERRORS) {
        errors.push({
          line,
          message: 'too many unreadable lines: the rest of the file was not read',
        });
        break;
      }
      errors.push({ line, message: describeParseError(err) });
      base = line; // resume on the line after the one where the bad record starts
    }
  }
  return { records, errors };
}

function describeParseError(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value is never closed (unbalanced quote)';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'a closing quote is followed by other characters (unbalanced quote?)';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote appears inside an unquoted value';
    case 'CSV_MAX_RECORD_SIZE':
      return `the line is too long (over ${MAX_LINE_CHARS.toLocaleString('en')} characters) or has an unbalanced quote`;
    default:
      return 'the line could not be read as CSV';
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
  const expectedText = `expected ${expected.join(',')}`;
  const empty = names.indexOf('');
  if (empty >= 0) throw invalid(`Column ${empty + 1} of the header has no name; ${expectedText}`);
  const unknown = names.filter((n) => !expected.includes(n));
  if (unknown.length)
    throw invalid(
      `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => echo(n, 40)).join(', ')} in the header; ${expectedText}`,
    );
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw invalid(`Column ${echo(duplicate)} appears more than once in the header`);
  const missing = columns.required.filter((n) => !names.includes(n));
  if (missing.length)
    throw invalid(
      `Missing column${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} in the header; ${expectedText}`,
    );
  return names;
}

function recordProblem(record: RawRecord, width: number): string | undefined {
  if (record.end !== record.start)
    return 'a value spans several lines (line breaks are not allowed; check for an unbalanced quote)';
  const extra = record.cells.slice(width);
  if (extra.some((c) => c.trim() !== ''))
    return `the line has ${record.cells.length} values but the header has ${width} columns`;
  if (record.cells.some((c) => c.includes('\uFFFD')))
    return 'the line has characters that are not valid UTF-8 (save the file as "CSV UTF-8")';
  return undefined;
}
