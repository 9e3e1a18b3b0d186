import { exportFileName, neutraliseCell } from './csv-cells.js';

describe('neutraliseCell', () => {
  it.each([
    '=HYPERLINK("http://x","y")',
    '+1+1',
    '-2+3',
    '@SUM(1)',
    '\t=1',
    '\r=1',
    '\n=1',
    '\0=1',
    "=cmd|' /C calc'!A0",
    ' =1',
    '  +1',
    '\u00a0@x',
  ])('prefixes %j with a quote', (payload) => {
    expect(neutraliseCell(payload)).toBe(`'${payload}`);
  });

  it.each(['hello', '1+1', 'a=b', "'already", '', '👩🏽‍💻', 'عربي', ' plain'])(
    'leaves %j alone',
    (text) => {
      expect(neutraliseCell(text)).toBe(text);
    },
  );
});

describe('exportFileName', () => {
  it('drops quotes, CR/LF, slashes and non-ASCII', () => {
    expect(exportFileName('Buyers "Q1"\r\nX: y / 2026')).toBe('Buyers-Q1X-y-2026-responses.csv');
    expect(exportFileName('Qualità 2026')).toBe('Qualita-2026-responses.csv');
    expect(exportFileName('"""')).toBe('campaign-responses.csv');
  });
});
