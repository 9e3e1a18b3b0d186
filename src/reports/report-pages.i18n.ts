import { isLanguage, type Language } from '../domain/language.js';
import { areaMessages } from '../common/messages.js';

/**
 * Interface strings of the /reports pages as one typed object per language. The texts live in
 * `locales/<lang>/reports.json` (the one i18n mechanism); the key list below is the type's source
 * and a unit spec checks it is exactly the keys of the English file. `{x}` marks a placeholder.
 */
const REPORT_KEYS = [
  'reports',
  'signOut',
  'language',
  'indexTitle',
  'indexIntro',
  'wave',
  'internal',
  'external',
  'internalCampaign',
  'externalCampaign',
  'noCampaign',
  'noCampaigns',
  'results',
  'serviceMap',
  'responsesOf',
  'linkageFormTitle',
  'linkageFormHint',
  'showLinkage',
  'trendLink',
  'driversLink',
  'campaignTitle',
  'responses',
  'invited',
  'responseRate',
  'questions',
  'mean',
  'answers',
  'nps',
  'topBox',
  'interval',
  'promoters',
  'passives',
  'detractors',
  'distributionOf',
  'barTitle',
  'value',
  'count',
  'share',
  'byUnit',
  'unit',
  'headline',
  'hidden',
  'notReleased',
  'noData',
  'choiceOrText',
  'linkageTitle',
  'exploratory',
  'exploratoryBelow30',
  'whyNull',
  'spearmanExact',
  'weightedR',
  'partialR',
  'pNote',
  'panelUnits',
  'driverNoVariation',
  'pairsUnits',
  'scatterCaption',
  'scatterDesc',
  'dotTitle',
  'averageLine',
  'fittedLine',
  'statistics',
  'statistic',
  'estimate',
  'interval95',
  'pValue',
  'pearson',
  'spearman',
  'kendall',
  'slope',
  'intercept',
  'r2',
  'nUnits',
  'excluded',
  'reason',
  'noneExcluded',
  'controls',
  'metric',
  'internalMetric',
  'externalMetric',
  'metricMean',
  'metricTopbox',
  'metricNps',
  'level',
  'levelLeaf',
  'levelN',
  'perspective',
  'perspectiveMember',
  'perspectiveProvider',
  'apply',
  'dataTable',
  'internalScore',
  'externalScore',
  'internalN',
  'externalN',
  'axisInternal',
  'axisExternal',
  'backToReports',
  'wavesTitle',
  'trendCaption',
  'trendDesc',
  'lag',
  'lagHint',
  'pairs',
  'internalWave',
  'externalWave',
  'crossLagged',
  'noPanel',
  'driversTitle',
  'driversCaption',
  'driversDesc',
  'driversAxis',
  'question',
  'pAdjusted',
  'significant',
  'notSignificant',
  'driverTitle',
  'serviceMapTitle',
  'serviceMapCaption',
  'serviceMapDesc',
  'raterUnit',
  'providerUnit',
  'cellTitle',
  'cellHidden',
  'cellEmpty',
  'legendLow',
  'legendHigh',
  'legendHidden',
  'noProviders',
  'notComputable',
  'yes',
  'no',
  'rowSync',
  'rowStabilityInternal',
  'rowStabilityExternal',
  'rowInternalLeads',
  'rowExternalLeads',
  'steiger',
  'regExternal',
  'regInternal',
  'autoregressive',
  'crossLaggedBeta',
  'openLinkage',
  'correlation',
  'skippedQuestions',
  'notAvailable',
] as const;

export type ReportStrings = Readonly<Record<(typeof REPORT_KEYS)[number], string>>;

function build(lang: Language): ReportStrings {
  const area = areaMessages(lang, 'reports');
  const out: Record<string, string> = {};
  for (const key of REPORT_KEYS) {
    if (area[key] === undefined) throw new Error(`no message "reports.${key}" in "${lang}"`);
    out[key] = area[key];
  }
  return Object.freeze(out) as ReportStrings;
}

const cache = new Map<Language, ReportStrings>();

export function reportStrings(lang: Language): ReportStrings {
  const known: Language = isLanguage(lang) ? lang : 'en';
  let value = cache.get(known);
  if (!value) cache.set(known, (value = build(known)));
  return value;
}

/** The keys of the type, for the spec that compares them with `reports.json`. */
export const REPORT_MESSAGE_KEYS: readonly string[] = REPORT_KEYS;

/** Fills `{name}` placeholders; values are plain text (the template escapes the result). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
