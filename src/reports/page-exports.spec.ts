import { formatNumber } from '../common/format.js';
import { datedFileName } from './csv-cells.js';
import { xlsxCell } from './export-files.js';
import { fixed, pageOfExport, percent } from './page-exports.js';
import { exportLinks } from './report-page.js';

describe('page exports: cells, rounding, addresses, names', () => {
  it('rounds numbers exactly as the pages format them', () => {
    for (const v of [2.345, 2.355, 1.005, -0.125, 0.5, 3.14159, 1234.5678, -10.849999]) {
      for (const d of [0, 1, 2, 3])
        // (The page writes a negative value rounded to zero as "-0"; the file holds 0.)
        expect(formatNumber(fixed(v, d), 'en', d, d)).toBe(
          formatNumber(v, 'en', d, d).replace(/^-(0(\.0+)?)$/, '$1'),
        );
    }
    expect(fixed(-0.001, 2)).toBe(0);
    expect(fixed(null, 2)).toBeNull();
    expect(fixed(Number.NaN, 2)).toBeNull();
    expect(percent(0.1234)).toBe(12.3);
  });

  it('writes XLSX text safe: neutralised, valid XML, no formula', () => {
    expect(xlsxCell('=1+1')).toBe("'=1+1");
    expect(xlsxCell(' @SUM(A1)')).toBe("' @SUM(A1)");
    expect(xlsxCell('a\u0001b\uffffc')).toBe('a\ufffdb\ufffdc');
    expect(xlsxCell('lone \ud800 surrogate')).toBe('lone \ufffd surrogate');
    expect(xlsxCell('emoji 👩🏽‍💻')).toBe('emoji 👩🏽‍💻');
    expect(xlsxCell('x'.repeat(40_000))).toHaveLength(32_767);
    expect(xlsxCell(-3.5)).toBe(-3.5);
    expect(xlsxCell(Number.POSITIVE_INFINITY)).toBeNull();
    expect(xlsxCell(undefined)).toBeNull();
  });

  it('keeps the page query on the export links, with the language and without the page number', () => {
    expect(exportLinks('/reports/linkage?internal=a&external=b&minResponses=7', 'it')).toEqual({
      csv: '/reports/linkage.csv?internal=a&external=b&minResponses=7&lang=it',
      xlsx: '/reports/linkage.xlsx?internal=a&external=b&minResponses=7&lang=it',
    });
    expect(exportLinks('/reports/campaigns/x/comments?q=a+b&page=3&lang=en', 'en').csv).toBe(
      '/reports/campaigns/x/comments.csv?q=a+b&lang=en',
    );
    expect(pageOfExport('/reports/linkage.xlsx?internal=a&lang=it&lag=1')).toEqual({
      page: '/reports/linkage?internal=a&lang=it&lag=1',
      options: [
        ['internal', 'a'],
        ['lag', '1'],
      ],
    });
  });

  it('names files <campaign>-<page>-<date>, sanitised', () => {
    const at = new Date('2026-03-31T23:59:00Z');
    expect(datedFileName('=Buyers "Q1"\r\nX: y / 2026', 'report', 'csv', at)).toBe(
      'Buyers-Q1X-y-2026-report-2026-03-31.csv',
    );
    expect(datedFileName('', 'waves', 'xlsx', at)).toBe('waves-2026-03-31.xlsx');
  });
});
