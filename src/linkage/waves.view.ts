/** The waves page: both scores over the waves, wave pairs and the cross-lagged panels. */
import { formatNumber, PALETTE } from '../charts/common.js';
import { buildTrend, TREND_NARROW_WIDTH } from '../charts/lines.js';
import { translate } from '../common/messages.js';
import { fill, reportStrings } from '../reports/report-pages.i18n.js';
import type { PageContext } from '../reports/report-page.js';
import type { Metric, NullReasons, WavesResult } from './linkage.dto.js';
import { ciText, exploratoryText, formatScore, pText, reasonText } from './page-format.js';

/** Least y-axis span of the trend per metric: a 0.2-point wobble must not look like a collapse. */
const MIN_SPAN: Record<Metric, number> = { mean: 1, topbox: 0.2, nps: 20 };

export function wavesView(
  result: WavesResult,
  ctx: PageContext,
  titles: { internal: string; external: string },
) {
  const lang = ctx.lang;
  const t = reportStrings(lang);
  const points = result.trend;
  const intScores = points.map((p) => p.internal?.score ?? null);
  const extScores = points.map((p) => p.external?.score ?? null);
  const trendArgs = points.length
    ? ([
        points.map((p) => p.wave),
        [
          {
            name: t.internal,
            color: PALETTE.internal,
            yTitle: titles.internal,
            values: intScores,
            titles: points.map(
              (p, i) =>
                `${t.internal} ${p.wave}: ${p.internal?.suppressed ? fill(t.hidden, { k: ctx.k }) : formatScore(intScores[i], result.metric.internal, lang)}`,
            ),
          },
          {
            name: t.external,
            color: PALETTE.external,
            yTitle: titles.external,
            values: extScores,
            titles: points.map(
              (p, i) =>
                `${t.external} ${p.wave}: ${formatScore(extScores[i], result.metric.external, lang)}`,
            ),
          },
        ],
        lang,
        [MIN_SPAN[result.metric.internal], MIN_SPAN[result.metric.external]],
      ] as const)
    : null;
  const trend = trendArgs ? buildTrend(...trendArgs) : null;
  // Phones: the same panels 360 units wide (CSS shows one of the two drawings).
  const trendNarrow = trendArgs ? buildTrend(...trendArgs, TREND_NARROW_WIDTH) : null;
  const pc = (c: { r: number; ci95: [number, number] | null; p: number } | null | undefined) => ({
    r: formatNumber(c?.r, lang, 2, 2),
    ci: ciText(c?.ci95, lang),
    p: pText(c?.p, lang),
  });
  const why = (reasons: NullReasons | undefined, ...paths: string[]) =>
    paths
      .map((path) => reasonText(reasons?.[path], lang, t))
      .filter(Boolean)
      .join(' ') || null;
  return {
    t,
    lag: result.lag,
    trend,
    trendNarrow,
    trendDesc: fill(t.trendDesc, { n: points.length }),
    // The panel titles in full: the chart wraps them into two lines and may shorten the second.
    titleCaption: translate(lang, 'reportlooks.waves.titles', titles),
    trendRows: points.map((p, i) => ({
      wave: p.wave,
      internal: p.internal?.suppressed
        ? fill(t.hidden, { k: ctx.k })
        : formatScore(intScores[i], result.metric.internal, lang),
      external: formatScore(extScores[i], result.metric.external, lang),
    })),
    pairs: result.pairs.map((p) => ({
      internalWave: p.internalWave,
      externalWave: p.externalWave,
      n: p.n,
      ...pc(p.pearson),
      summary: p.summary,
      exploratory: p.exploratory,
      why: why(p.nullReasons, 'pearson', 'pearson.ci95'),
      href: `/reports/linkage?internal=${encodeURIComponent(p.internalCampaignId)}&external=${encodeURIComponent(p.externalCampaignId)}&lang=${lang}`,
    })),
    panels: result.panels.map((panel) => ({
      title: `${panel.wave1} → ${panel.wave2}`,
      summary: panel.summary,
      exploratory: panel.exploratory,
      exploratoryText: exploratoryText(panel.n, t),
      n: panel.n,
      // The panel's unit set (kept in both waves) and why its figures can differ from the pairs.
      unitSetNote: panel.unitSetNote,
      unitCodes: panel.unitCodes.join(', '),
      steigerWhy: why(panel.nullReasons, 'crossLagged.steiger'),
      rows: [
        { label: fill(t.rowSync, { wave: panel.wave1 }), ...pc(panel.synchronous.wave1) },
        { label: fill(t.rowSync, { wave: panel.wave2 }), ...pc(panel.synchronous.wave2) },
        { label: t.rowStabilityInternal, ...pc(panel.stability.internal) },
        { label: t.rowStabilityExternal, ...pc(panel.stability.external) },
        {
          label: fill(t.rowInternalLeads, { w1: panel.wave1, w2: panel.wave2 }),
          ...pc(panel.crossLagged.internalLeads),
        },
        {
          label: fill(t.rowExternalLeads, { w1: panel.wave1, w2: panel.wave2 }),
          ...pc(panel.crossLagged.externalLeads),
        },
      ],
      steiger: panel.crossLagged.steiger
        ? `Z = ${formatNumber(panel.crossLagged.steiger.z, lang, 2, 2)}, ${pClause(panel.crossLagged.steiger.p, lang)}`
        : t.notComputable,
      regression: [
        { label: t.regExternal, reg: panel.regression.external, path: 'regression.external' },
        { label: t.regInternal, reg: panel.regression.internal, path: 'regression.internal' },
      ].map(({ label, reg, path }) => ({
        label,
        auto: reg
          ? `β = ${formatNumber(reg.autoregressive.beta, lang, 2, 2)} (${pClause(reg.autoregressive.p, lang)})`
          : '–',
        cross: reg
          ? `β = ${formatNumber(reg.crossLagged.beta, lang, 2, 2)} (${pClause(reg.crossLagged.p, lang)})`
          : '–',
        r2: reg ? formatNumber(reg.r2, lang, 2, 2) : '–',
        why: reg ? null : why(panel.nullReasons, path),
      })),
    })),
    notes: result.notes,
    lagOptions: Array.from({ length: 4 }, (_, i) => ({ value: i, selected: i === result.lag })),
  };
}

/** "p = 0.031" or "p < 0.001" (never "p = < 0.001"). */
function pClause(p: number | null | undefined, lang: string): string {
  const text = pText(p, lang);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}
