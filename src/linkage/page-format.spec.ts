import { reportStrings } from '../reports/report-pages.i18n.js';
import { nullReason } from './linkage-summary.js';
import { campaignLabel, exploratoryText, formatScore, pText, reasonText } from './page-format.js';

describe('linkage page text', () => {
  it('formats scores per metric and labels campaigns without repeating the wave', () => {
    expect(formatScore(0.456, 'topbox', 'en')).toBe('45.6%');
    expect(formatScore(31.25, 'nps', 'en')).toBe('31.3');
    expect(formatScore(4.1, 'mean', 'en')).toBe('4.10');
    expect(formatScore(0.125, 'topbox', 'it')).toBe('12,5\u00a0%');
    expect(campaignLabel({ name: 'Survey 2026-Q1', wave: '2026-Q1' })).toBe('Survey 2026-Q1');
    expect(campaignLabel({ name: 'Survey', wave: '2026-Q1' })).toBe('Survey (2026-Q1)');
  });

  it.each([
    [0.045, '0.045', '0,045'],
    [0.0496, '0.0496', '0,0496'],
    [0.04999, '0.04999', '0,04999'],
    [0.05, '0.050', '0,050'],
    [0.0501, '0.050', '0,050'],
    [0.001, '0.0010', '0,0010'],
    [0.00099, '< 0.001', '< 0,001'],
  ])('p cells: %d → %s, never rounded across 0.05', (p, en, it) => {
    expect(pText(p, 'en')).toBe(en);
    expect(pText(p, 'it')).toBe(it);
  });

  it('p cells: "–" when there is no p', () => {
    expect(pText(null, 'en')).toBe('–');
    expect(pText(undefined, 'it')).toBe('–');
  });

  it('warns below 30 units, more strongly below 10', () => {
    const t = reportStrings('en');
    expect(exploratoryText(30, t)).toBeNull();
    expect(exploratoryText(29, t)).toContain('fewer than 30 units');
    expect(exploratoryText(9, t)).toContain('fewer than 10 units');
    expect(exploratoryText(12, reportStrings('it'))).toContain('meno di 30 unità');
  });

  it('puts the reason of a null statistic in the page language', () => {
    const reason = nullReason('equalSizes');
    expect(reasonText(reason, 'en', reportStrings('en'))).toBe(
      'Why: every unit has the same number of respondents, so there is no unit size to control for',
    );
    expect(reasonText(reason, 'it', reportStrings('it'))).toMatch(/^Perché: tutte le unità/);
    expect(reasonText(undefined, 'en', reportStrings('en'))).toBeNull();
  });
});
