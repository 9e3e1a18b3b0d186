import { campaignLabel, formatScore } from './page-format.js';

describe('linkage page text', () => {
  it('formats scores per metric and labels campaigns without repeating the wave', () => {
    expect(formatScore(0.456, 'topbox', 'en')).toBe('45.6 %');
    expect(formatScore(31.25, 'nps', 'en')).toBe('31.3');
    expect(formatScore(4.1, 'mean', 'en')).toBe('4.10');
    expect(formatScore(0.125, 'topbox', 'it')).toBe('12,5 %');
    expect(campaignLabel({ name: 'Survey 2026-Q1', wave: '2026-Q1' })).toBe('Survey 2026-Q1');
    expect(campaignLabel({ name: 'Survey', wave: '2026-Q1' })).toBe('Survey (2026-Q1)');
  });
});
