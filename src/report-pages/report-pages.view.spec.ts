import type { CampaignView } from '../campaigns/campaigns.dto.js';
import { languageLinks } from './report-pages.controller.js';
import { fill, reportStrings } from './report-pages.i18n.js';
import { campaignLabel, campaignView, formatScore, indexView } from './report-pages.view.js';
import type { CampaignReport } from './report-sources.js';

const campaign = {
  id: 'c1',
  name: 'Internal 2026-Q1',
  audience: 'internal',
  wave: '2026-Q1',
  headline: 'sat',
  languages: ['en', 'it'],
  questions: [
    {
      key: 'sat',
      type: 'csat',
      position: 0,
      required: true,
      multiple: false,
      options: null,
      text: { en: 'Satisfied?', it: 'Soddisfatto?' },
      providerUnitId: null,
      providerUnitCode: null,
    },
  ],
} as unknown as CampaignView;

const report: CampaignReport = {
  campaign: { id: 'c1', name: 'Internal 2026-Q1', audience: 'internal', wave: '2026-Q1' },
  invited: 20,
  responses: 12,
  responseRate: 0.6,
  minGroupSize: 5,
  headline: 'sat',
  questions: [{ key: 'sat', type: 'csat', n: 12, mean: 3.5, distribution: { '3': 6, '4': 6 } }],
  units: [
    { unitCode: 'A', unitName: 'Alpha', n: 10, headline: 3.6 },
    { unitCode: 'B', unitName: 'Beta', suppressed: true },
    { unitCode: 'C', unitName: 'Gamma', n: 0 },
  ],
  filterableUnits: [],
};

describe('report page view models', () => {
  it('tells a hidden group from a group without data, and shows no count for it', () => {
    const vm = campaignView(report, campaign, { lang: 'en', k: 5, unitNames: new Map() });
    const [a, b, c] = vm.units;
    expect(a).toMatchObject({
      name: 'Alpha',
      hidden: false,
      noData: false,
      n: '10',
      headline: '3.60',
    });
    expect(b).toMatchObject({ name: 'Beta', hidden: true, noData: false, n: '', headline: null });
    expect(c).toMatchObject({ name: 'Gamma', hidden: false, noData: true });
    expect(vm.hiddenLabel).toBe('hidden to protect anonymity (fewer than 5 answers)');
    expect(vm.responseRate).toBe('60 %');
    expect(vm.questions[0].chart?.bars).toHaveLength(5);
    expect(vm.questions[0].text).toBe('Satisfied?');
  });

  it('speaks Italian', () => {
    const vm = campaignView(report, campaign, { lang: 'it', k: 5, unitNames: new Map() });
    expect(vm.questions[0].text).toBe('Soddisfatto?');
    expect(formatScore(0.125, 'topbox', 'it')).toBe('12,5 %');
    expect(fill(reportStrings('it').hidden, { k: 5 })).toContain('meno di 5 risposte');
  });

  it('groups campaigns by wave, newest first, and preselects the latest wave with both sides', () => {
    const row = (id: string, audience: 'internal' | 'external', wave: string) => ({
      id,
      name: `${audience} ${wave}`,
      audience,
      wave,
      anonymous: false,
      status: 'open' as const,
      closesAt: null,
      createdAt: '',
      invited: 10,
      responses: 5,
    });
    const vm = indexView(
      [row('i1', 'internal', 'W1'), row('e1', 'external', 'W1'), row('i2', 'internal', 'W2')],
      { lang: 'en', k: 5, unitNames: new Map() },
    );
    expect(vm.waves.map((w) => w.wave)).toEqual(['W2', 'W1']);
    expect(vm.internalOptions.find((o) => o.selected)?.id).toBe('i1');
    expect(vm.externalOptions.find((o) => o.selected)?.id).toBe('e1');
  });

  it('formats scores per metric and labels campaigns without repeating the wave', () => {
    expect(formatScore(0.456, 'topbox', 'en')).toBe('45.6 %');
    expect(formatScore(31.25, 'nps', 'en')).toBe('31.3');
    expect(formatScore(4.1, 'mean', 'en')).toBe('4.10');
    expect(campaignLabel({ name: 'Survey 2026-Q1', wave: '2026-Q1' })).toBe('Survey 2026-Q1');
    expect(campaignLabel({ name: 'Survey', wave: '2026-Q1' })).toBe('Survey (2026-Q1)');
  });

  it('links the same page in the other language', () => {
    const links = languageLinks('/reports/linkage?internal=a&external=b&lang=en', 'en');
    expect(links[1]).toEqual({
      code: 'it',
      label: 'Italiano',
      current: false,
      href: '/reports/linkage?internal=a&external=b&lang=it',
    });
  });
});
