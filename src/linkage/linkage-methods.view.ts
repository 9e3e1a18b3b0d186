/** The methods appendix page of the linkage: definitions, thresholds, results, per-unit table. */
import type { CampaignView } from '../campaigns/campaigns.dto.js';
import { formatNumber } from '../common/format.js';
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import { questionText } from '../reports/report-page.js';
import { reportStrings } from '../reports/report-pages.i18n.js';
import { methodsDefinitions, resultRows, R_SNIPPET, thresholdRows } from './linkage-methods-doc.js';
import type { MethodsPageData } from './linkage-methods.service.js';
import type { LinkageSide } from './linkage.dto.js';
import { campaignLabel } from './page-format.js';

/** Six significant digits in the page's number format; very small values in e-notation. */
export function precise(value: number | null | undefined, lang: Language): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (value !== 0 && Math.abs(value) < 1e-4) {
    const [mantissa, exponent] = value.toExponential(3).split('e');
    const m = lang === 'it' ? mantissa.replace('.', ',') : mantissa;
    return `${m.replace('-', '−')} × 10^${exponent.replace('+', '').replace('-', '−')}`;
  }
  return formatNumber(Number(value.toPrecision(6)), lang, 6).replace('-', '−');
}

/** The same address with another path (the page's options kept). */
function withPath(url: string, path: string): string {
  const u = new URL(url, 'http://x');
  return `${path}${u.search}`;
}

export function methodsView(data: MethodsPageData, lang: Language, url: string) {
  const { doc, internal, external } = data;
  const m = (key: string, vars?: Record<string, unknown>) =>
    translate(lang, `methods.${key}`, vars);
  const num = (v: number | null | undefined) => precise(v, lang);
  const side = (s: LinkageSide, campaign: CampaignView, label: string) => ({
    label,
    campaign: campaignLabel(campaign),
    questions: s.questionKeys
      .map((key) => {
        const text = questionText(
          campaign.questions.find((q) => q.key === key),
          lang,
        );
        return text && text !== key ? `${text} (${key})` : key;
      })
      .join('; '),
    metric: m(`def.${s.metric}.term`),
    scale: `${num(s.scale.min)} … ${num(s.scale.max)}`,
    minimum: formatNumber(s.minResponses, lang),
  });
  const reasons = doc.nullReasons;
  const why = (...paths: string[]) =>
    paths
      .filter((p) => reasons[p])
      .map((p) => m('results.why', { reason: reasons[p][lang] }))
      .join(' ') || null;
  const whyOf: Record<string, string[]> = {
    pearson: ['pearson', 'pearson.ci95'],
    spearman: ['spearman'],
    kendall: ['kendall'],
    weighted: ['weighted', 'weighted.p'],
    partial: ['partial', 'partial.ci95'],
    slope: ['regression'],
  };
  const interval = (ci: [number, number] | null) => (ci ? `${num(ci[0])} … ${num(ci[1])}` : '–');
  return {
    /** The report pages' strings (the top bar reads them). */
    t: reportStrings(lang),
    title: m('title'),
    internal: { id: internal.id, label: campaignLabel(internal) },
    external: { id: external.id, label: campaignLabel(external) },
    backHref: withPath(url, '/reports/linkage'),
    downloads: {
      csv: withPath(url, '/reports/linkage/methods.csv'),
      markdown: withPath(url, '/reports/linkage/methods.md'),
      json: withPath(url, '/reports/linkage/methods.json'),
    },
    sides: [
      side(doc.internal, internal, m('compared.internal')),
      side(doc.external, external, m('compared.external')),
    ],
    level: m('compared.level', {
      level:
        doc.level === null ? m('compared.levelLeaf') : m('compared.levelN', { level: doc.level }),
    }),
    perspective: m(
      doc.perspective === 'provider'
        ? 'compared.perspectiveProvider'
        : 'compared.perspectiveMember',
    ),
    thresholds: thresholdRows(doc.thresholds, lang).map(([label, value]) => ({ label, value })),
    unitsSummary: m('units.summary', {
      withData: formatNumber(doc.unitsWithData, lang),
      kept: formatNumber(doc.n, lang),
      excluded: formatNumber(doc.excluded.units, lang),
    }),
    byReason: doc.excluded.byReason.map((r) => ({
      reason: m(`reason.${r.code}`),
      units: formatNumber(r.units, lang),
    })),
    excluded: doc.excluded.list.map((e) => ({
      name: e.unitName,
      code: e.unitCode,
      reason: e.reason,
    })),
    n: formatNumber(doc.n, lang),
    summary: doc.summary,
    notes: doc.notes,
    results: resultRows(doc.statistics, lang).map((r) => ({
      label: r.label,
      estimate: num(r.estimate),
      test: r.test ? `${r.test.name} = ${num(r.test.value)}` : '–',
      df: num(r.df),
      p: num(r.p),
      interval: interval(r.ci95),
      method: r.method || '–',
      why: why(...(whyOf[r.id] ?? [])),
    })),
    rows: doc.units.map((u) => ({
      name: u.unitName,
      code: u.unitCode,
      x: num(u.internalScore),
      nx: formatNumber(u.internalN, lang),
      y: num(u.externalScore),
      ny: formatNumber(u.externalN, lang),
    })),
    definitions: methodsDefinitions(doc, lang, doc.thresholds),
    rCode: R_SNIPPET,
  };
}
