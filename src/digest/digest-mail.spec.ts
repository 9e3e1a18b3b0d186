import { composeDigest } from './digest-mail.js';
import type { CampaignReportJson } from '../reports/reports.dto.js';

const report = (over: Partial<CampaignReportJson> = {}): CampaignReportJson => ({
  campaign: { id: 'c1', name: 'Pulse 2026-Q2', audience: 'internal', wave: '2026-Q2' },
  invited: 20,
  responses: 12,
  responseRate: 0.6,
  minGroupSize: 5,
  resultsReleased: true,
  headline: 'sat',
  questions: [{ key: 'sat', type: 'csat', suppressed: true }],
  units: [],
  filterableUnits: [],
  change: { status: 'notReleased', question: 'sat', previous: null, mean: null, movers: [] },
  ...over,
});

describe('composeDigest', () => {
  it('says a suppressed headline is not shown, with no figure', () => {
    const { subject, text } = composeDigest({
      lang: 'en',
      report: report(),
      headlineText: 'How satisfied are you?',
      reportUrl: 'http://x/reports/campaigns/c1?lang=en',
    });
    expect(subject).toBe('Results of Pulse 2026-Q2 are ready');
    expect(text).toContain('The headline result is not shown');
    expect(text).not.toMatch(/Mean: \d/);
    expect(text).toContain('http://x/reports/campaigns/c1?lang=en');
  });

  it('writes the headline and its change in Italian', () => {
    const { text } = composeDigest({
      lang: 'it',
      report: report({
        questions: [
          {
            key: 'sat',
            type: 'csat',
            n: 12,
            mean: 4.25,
            topBox: { share: 0.75, ci95: [0.47, 0.91] },
          },
        ],
        change: {
          status: 'compared',
          question: 'sat',
          previous: { id: 'c0', name: 'Pulse 2026-Q1', wave: '2026-Q1' },
          mean: {
            previous: 3.5,
            current: 4.25,
            difference: 0.75,
            ci95: [0.1, 1.4],
            withinNoise: false,
          },
          topBox: {
            previous: 0.5,
            current: 0.75,
            difference: 0.25,
            ci95: [-0.1, 0.55],
            withinNoise: true,
          },
          movers: [],
        },
      }),
      headlineText: 'Quanto è soddisfatto?',
      reportUrl: 'http://x/r',
    });
    expect(text).toContain('Media: 4,25 (n = 12)');
    expect(text).toContain('Variazione rispetto alla rilevazione precedente (2026-Q1):');
    expect(text).toContain(
      'Media: 3,50 → 4,25, variazione +0,75 (intervallo al 95% da +0,10 a +1,40)',
    );
    expect(text).toContain('Top box: 50');
    expect(text).toContain('+25,0 punti');
    expect(text).toContain('Entro il margine di errore');
  });
});
