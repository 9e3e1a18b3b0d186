/** Text shared by the linkage, waves and drivers pages: metric names, scores, intervals, campaigns. */
import { formatNumber } from '../charts/common.js';
import { fill, type ReportStrings } from '../reports/report-pages.i18n.js';
import { pct } from '../reports/report-page.js';
import type { Language } from '../domain/language.js';
import {
  EXPLORATORY_BELOW,
  pValueText,
  TOO_FEW_BELOW,
  type NullReason,
} from './linkage-summary.js';
import type { Metric } from './linkage.dto.js';

/** Below 30 units a linkage is labelled exploratory, below 10 too few to conclude (§1.7). */
export { EXPLORATORY_BELOW, TOO_FEW_BELOW };

/** The page's exploratory warning for n units, or null from 30 units on. */
export function exploratoryText(n: number, t: ReportStrings): string | null {
  if (n >= EXPLORATORY_BELOW) return null;
  return fill(n < TOO_FEW_BELOW ? t.exploratory : t.exploratoryBelow30, { n });
}

/**
 * A p-value cell: "< 0.001", two significant digits, never rounded across 0.05 (the rule of
 * `pValueText`, shared with the summary sentences), "–" when there is none.
 */
export function pText(p: number | null | undefined, lang: string): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  return pValueText(p, lang === 'it' ? 'it' : 'en');
}

/** "Why: …", the reason (in the page's language) next to a null statistic, or null. */
export function reasonText(
  reason: NullReason | undefined,
  lang: Language,
  t: ReportStrings,
): string | null {
  return reason ? fill(t.whyNull, { reason: reason[lang] }) : null;
}

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
