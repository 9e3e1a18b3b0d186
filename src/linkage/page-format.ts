/** Text shared by the linkage, waves and drivers pages: metric names, scores, intervals, campaigns. */
import { formatNumber } from '../charts/common.js';
import type { ReportStrings } from '../reports/report-pages.i18n.js';
import { pct } from '../reports/report-page.js';
import type { Metric } from './linkage.dto.js';

/** Below this many units a linkage is labelled exploratory. */
export const EXPLORATORY_BELOW = 10;

/** "Name (wave)", without repeating a wave the name already carries. */
export const campaignLabel = (c: { name: string; wave: string }) =>
  c.name.includes(c.wave) ? c.name : `${c.name} (${c.wave})`;

export function metricLabel(metric: Metric, t: ReportStrings): string {
  return metric === 'nps' ? t.metricNps : metric === 'topbox' ? t.metricTopbox : t.metricMean;
}

/** Score formatting per metric: shares as percentages, NPS whole points, means 2 decimals. */
export function formatScore(
  value: number | null | undefined,
  metric: Metric,
  lang: string,
): string {
  if (value === null || value === undefined) return '–';
  if (metric === 'topbox') return pct(value, lang);
  if (metric === 'nps') return formatNumber(value, lang, 1);
  return formatNumber(value, lang, 2, 2);
}

/** A correlation's 95 % interval, "0.12 … 0.56", or "–". */
export const ciText = (c: [number, number] | null | undefined, lang: string) =>
  c ? `${formatNumber(c[0], lang, 2, 2)} … ${formatNumber(c[1], lang, 2, 2)}` : '–';
