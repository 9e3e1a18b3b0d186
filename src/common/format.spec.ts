import handlebars from 'handlebars';
import { formatDateTime, formatNumber, formatPercent } from './format.js';
import { registerViewHelpers } from './view-helpers.js';

describe('one format per locale', () => {
  it('writes percentages as "56.2%" in English and "56,2 %" in Italian, at most one decimal', () => {
    expect(formatPercent(0.5625, 'en')).toBe('56.3%');
    expect(formatPercent(0.562, 'en')).toBe('56.2%');
    expect(formatPercent(0.56, 'en')).toBe('56%');
    expect(formatPercent(0.562, 'it')).toBe('56,2\u00a0%');
    expect(formatPercent(1, 'it')).toBe('100\u00a0%');
    expect(formatPercent(null, 'en')).toBe('–');
    expect(formatPercent(Number.NaN, 'it')).toBe('–');
  });

  it('groups and rounds numbers for the locale', () => {
    expect(formatNumber(1234.567, 'en')).toBe('1,234.57');
    // Italian groups from five digits (CLDR): 1234,57 but 12.345,6.
    expect(formatNumber(1234.567, 'it')).toBe('1234,57');
    expect(formatNumber(12345.6, 'it')).toBe('12.345,6');
    expect(formatNumber(4.1, 'en', 2, 2)).toBe('4.10');
    expect(formatNumber(undefined, 'en')).toBe('–');
  });

  it('never writes a negative zero', () => {
    expect(formatNumber(-0.001, 'it', 2, 2)).toBe('0,00');
    expect(formatNumber(-0, 'en')).toBe('0');
    expect(formatNumber(-0.004, 'en', 2)).toBe('0');
    expect(formatNumber(-0.005, 'en', 2, 2)).toBe('-0.01');
  });

  it('writes dates in UTC, day month year and 24-hour time', () => {
    expect(formatDateTime('2026-03-31T23:59:59.000Z', 'en')).toBe('31 Mar 2026, 23:59');
    expect(formatDateTime('2026-03-31T23:59:59.000Z', 'it')).toBe('31 mar 2026, 23:59');
    expect(formatDateTime(null, 'en')).toBe('');
  });

  it('gives the templates the same formats, in the page language', () => {
    const hb = handlebars.create();
    registerViewHelpers(hb);
    const page = hb.compile('{{pct rate}} · {{date at}} · {{num n}} · {{pct rate "en"}}');
    const data = { rate: 0.562, at: '2026-03-31T23:59:59Z', n: 12345.5 };
    expect(page({ ...data, lang: 'en' })).toBe('56.2% · 31 Mar 2026, 23:59 · 12,345.5 · 56.2%');
    expect(page({ ...data, lang: 'it' })).toBe(
      '56,2\u00a0% · 31 mar 2026, 23:59 · 12.345,5 · 56.2%',
    );
    expect(page(data)).toContain('56.2% ·');
  });
});
