import type { CampaignView } from '../campaigns/campaigns.dto.js';
import { campaignReportView } from './campaign-report.view.js';
import { fill, reportStrings } from './report-pages.i18n.js';
import type { CampaignReportJson } from './reports.dto.js';

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

const report: CampaignReportJson = {
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

describe('campaign results page view model', () => {
  it('tells a hidden group from a group without data, and shows no count for it', () => {
    const vm = campaignReportView(report, campaign, { lang: 'en', k: 5, unitNames: new Map() });
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
    expect(vm.hiddenLabel).toBe('hidden to protect confidentiality');
    expect(vm.responseRate).toBe('60%');
    expect(vm.questions[0].chart?.bars).toHaveLength(5);
    expect(vm.questions[0].text).toBe('Satisfied?');
  });

  it('speaks Italian', () => {
    const vm = campaignReportView(report, campaign, { lang: 'it', k: 5, unitNames: new Map() });
    expect(vm.questions[0].text).toBe('Soddisfatto?');
    expect(fill(reportStrings('it').hidden, { k: 5 })).toBe(
      'nascosto per tutelare la riservatezza',
    );
  });
});
