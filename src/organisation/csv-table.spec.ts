import { monitorEventLoopDelay } from 'node:perf_hooks';
import { bigUnitsCsv } from '../../test/helpers/big-import.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { type CsvColumns, detectDelimiter, MAX_DATA_LINES, readCsvTable } from './csv-table.js';

const COLUMNS: CsvColumns = { required: ['code', 'name', 'parent_code'], optional: [] };
const read = (text: string, columns = COLUMNS) => readCsvTable(text, columns);

async function domainError(fn: () => Promise<unknown>): Promise<DomainError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('readCsvTable', () => {
  it('reads rows keyed by header name, with the physical line of each row (1 = header)', async () => {
    const t = await read('code,name,parent_code\nHQ,Head office,\nB01, Milan ,HQ\n');
    expect(t.errors).toEqual([]);
    expect(t.rows).toEqual([
      { line: 2, values: { code: 'HQ', name: 'Head office', parent_code: '' } },
      { line: 3, values: { code: 'B01', name: 'Milan', parent_code: 'HQ' } },
    ]);
  });

  it('accepts a BOM, CRLF, CR and blank lines, and columns in any order and case', async () => {
    const t = await read(
      '\uFEFFName,CODE,parent_code\r\nHead,HQ,\r\n\r\nMilan,B01,HQ\rRome,B02,HQ',
    );
    expect(t.errors).toEqual([]);
    expect(t.rows.map((r) => [r.line, r.values.code])).toEqual([
      [2, 'HQ'],
      [4, 'B01'],
      [5, 'B02'],
    ]);
  });

  it('takes ";" or tab as delimiter when the header uses it', async () => {
    expect(detectDelimiter('code;name;parent_code')).toBe(';');
    expect(detectDelimiter('code\tname\tparent_code')).toBe('\t');
    expect(detectDelimiter('"a;b",c,d')).toBe(',');
    expect(detectDelimiter('code')).toBe(',');
    const tabs = await read('code\tname\tparent_code\nB01\t\tHQ\n B02 \t Rome \t\n');
    expect(tabs.rows.map((r) => r.values)).toEqual([
      { code: 'B01', name: '', parent_code: 'HQ' },
      { code: 'B02', name: 'Rome', parent_code: '' },
    ]);
    const t = await read('code;name;parent_code\nB01;"Milan, centre";\n');
    expect(t.rows[0].values).toEqual({ code: 'B01', name: 'Milan, centre', parent_code: '' });
  });

  it('reports an unbalanced quote on its line and reads on from the next line', async () => {
    const t = await read('code,name,parent_code\nA,Alpha,\nB,"Beta,\nC,Gamma,\n');
    expect(t.rows.map((r) => r.values.code)).toEqual(['A', 'C']);
    expect(t.errors).toEqual([{ line: 3, message: expect.stringMatching(/unbalanced quote/) }]);
  });

  it('reports a closing quote followed by text, and a value spanning lines', async () => {
    const t = await read('code,name,parent_code\nA,"Al"pha,\nB,"Be\nta",\nC,Gamma,\n');
    expect(t.rows.map((r) => r.values.code)).toEqual(['C']);
    expect(t.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(t.errors[1].message).toMatch(/several lines/);
  });

  it('reports a line with too many values, but tolerates trailing empty ones', async () => {
    const t = await read('code,name,parent_code\nA,Alpha,,\nB,Beta,,extra\n');
    expect(t.rows.map((r) => r.values.code)).toEqual(['A']);
    expect(t.errors).toEqual([
      { line: 3, message: 'the line has 4 values but the header has 3 columns' },
    ]);
  });

  it('treats missing trailing cells as empty', async () => {
    expect((await read('code,name,parent_code\nA,Alpha\n')).rows[0].values).toEqual({
      code: 'A',
      name: 'Alpha',
      parent_code: '',
    });
  });

  it('reports an over-long line and carries on', async () => {
    const t = await read(`code,name,parent_code\nA,${'x'.repeat(20_000)},\nB,Beta,\n`);
    expect(t.rows.map((r) => r.values.code)).toEqual(['B']);
    expect(t.errors[0]).toEqual({ line: 2, message: expect.stringMatching(/too long/) });
  });

  it('reports text that was not UTF-8 (replacement characters)', async () => {
    const t = await read('code,name,parent_code\nA,Citt\uFFFD,\n');
    expect(t.errors[0].message).toMatch(/UTF-8/);
  });

  it.each([
    ['', /empty/],
    ['  \r\n\n', /empty/],
    ['code,name\nA,B\n', /Missing column "parent_code"/],
    ['code,name,parent_code,code\n', /"code" appears more than once/],
    ['code,name,parent_code,<script>\n', /Unknown column "<script>"/],
    ['code,,name,parent_code\n', /Column 2 of the header has no name/],
    ['"code,name,parent_code\nA,B,\n', /header line could not be read/],
    ['code,name,parent\u0000_code\n', /NUL/],
  ])('refuses a bad file as a whole: %j', async (text, message) => {
    const err = await domainError(() => read(text));
    expect(err.code).toBe(ErrorCode.Validation);
    expect(err.message).toMatch(message);
  });

  it('accepts optional columns and ignores a trailing empty header cell', async () => {
    const cols: CsvColumns = { required: ['email'], optional: ['language'] };
    expect((await read('email,\na@b.co,\n', cols)).rows[0].values).toEqual({ email: 'a@b.co' });
    expect((await read('email,language\na@b.co,it\n', cols)).rows[0].values).toEqual({
      email: 'a@b.co',
      language: 'it',
    });
  });

  it('answers 413 for more than the allowed number of data lines', async () => {
    const text = 'code,name,parent_code\n' + 'A,B,\n'.repeat(MAX_DATA_LINES + 1);
    expect((await domainError(() => read(text))).code).toBe(ErrorCode.PayloadTooLarge);
    expect((await read('code,name,parent_code\n' + 'A,B,\n'.repeat(1000))).rows).toHaveLength(1000);
  });

  it('stops after too many unreadable lines instead of spinning', async () => {
    const text = 'code,name,parent_code\n' + 'A,"x"y,\n'.repeat(1_500);
    const t = await read(text);
    expect(t.errors.length).toBe(1_001);
    expect(t.errors.at(-1)!.message).toMatch(/rest of the file was not read/);
  });
});

describe('readCsvTable on a large file (issue 10)', () => {
  it('reads 4.9 MB with 1,000 bad lines once, reporting each, never holding the loop for long', async () => {
    const csv = bigUnitsCsv('U');
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the monitor's timer is running
    const t = await read(csv.text);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the monitor sees the last stretch
    loop.disable();
    expect(t.rows).toHaveLength(csv.goodLines);
    expect(t.errors.map((e) => e.line)).toEqual(csv.badLines);
    // The synchronous reader held it for the whole file (1.5 s); slices are ~10 ms each.
    expect(loop.max / 1e6).toBeLessThan(100);
  });
});
