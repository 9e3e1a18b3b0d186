/**
 * Pure mappers from the API-shaped report data to the view models of the /reports pages.
 * Every string here is plain text: the templates escape it.
 */
import type {
  CampaignSummaryView,
  CampaignView,
  QuestionView,
} from '../campaigns/campaigns.dto.js';
import { buildDistribution, buildDrivers } from '../charts/bars.js';
import { formatNumber, formatP, PALETTE } from '../charts/common.js';
import { buildHeatmap } from '../charts/heatmap.js';
import { buildTrend } from '../charts/lines.js';
import { buildScatter } from '../charts/scatter.js';
import { fill, type ReportStrings, reportStrings } from './report-pages.i18n.js';
import type { Language } from '../domain/language.js';
import type {
  CampaignReport,
  DriversResult,
  LinkageInput,
  LinkageResult,
  Metric,
  ServiceMapResult,
  WavesResult,
} from './report-sources.js';
import { QUESTION_SCALES, isNumericType } from '../domain/questions.js';

export const EXPLORATORY_BELOW = 10;

export interface PageContext {
  lang: Language;
  /** The anonymity threshold (MIN_GROUP_SIZE), for the "hidden" label. */
  k: number;
  /** Unit code → display name. */
  unitNames: ReadonlyMap<string, string>;
}

const pct = (v: number | null | undefined, lang: string) =>
  v === null || v === undefined ? '–' : `${formatNumber(v * 100, lang, 1)} %`;

export const questionText = (q: QuestionView | undefined, lang: Language): string =>
  q ? (q.text[lang] ?? Object.values(q.text)[0] ?? q.key) : '';

/** "Name (wave)", without repeating a wave the name already carries. */
export const campaignLabel = (c: { name: string; wave: string }) =>
  c.name.includes(c.wave) ? c.name : `${c.name} (${c.wave})`;

const unitName = (ctx: PageContext, code: string) => ctx.unitNames.get(code) ?? code;

export function metricLabel(metric: Metric, t: ReportStrings): string {
  return metric === 'nps' ? t.metricNps : metric === 'topbox' ? t.metricTopbox : t.metricMean;
}

function intervalText(
  ci: [number, number] | null | undefined,
  lang: string,
  t: ReportStrings,
  scale = 1,
  digits = 1,
) {
  if (!ci) return '';
  return fill(t.interval, {
    lo: formatNumber(ci[0] * scale, lang, digits, digits),
    hi: formatNumber(ci[1] * scale, lang, digits, digits),
  });
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

// ---------------------------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------------------------

export function indexView(campaigns: CampaignSummaryView[], ctx: PageContext) {
  const t = reportStrings(ctx.lang);
  const waves = [...new Set(campaigns.map((c) => c.wave))].sort().reverse();
  const card = (c: CampaignSummaryView) => ({
    id: c.id,
    name: c.name,
    status: c.status,
    audience: c.audience,
    responsesLine: fill(t.responsesOf, {
      responses: c.responses,
      invited: c.invited,
      rate: c.invited ? pct(c.responses / c.invited, ctx.lang) : '–',
    }),
  });
  const rows = waves.map((wave) => {
    const here = campaigns.filter((c) => c.wave === wave);
    return {
      wave,
      internal: here.filter((c) => c.audience === 'internal').map(card),
      external: here.filter((c) => c.audience === 'external').map(card),
    };
  });
  const latestBoth = rows.find((r) => r.internal.length && r.external.length);
  const option = (c: CampaignSummaryView, selected?: string) => ({
    id: c.id,
    label: `${c.wave} · ${c.name}`,
    selected: c.id === selected,
  });
  const defInt = latestBoth?.internal[0]?.id;
  const defExt = latestBoth?.external[0]?.id;
  const sorted = [...campaigns].sort(
    (a, b) => b.wave.localeCompare(a.wave) || a.name.localeCompare(b.name),
  );
  return {
    t,
    waves: rows,
    empty: campaigns.length === 0,
    internalOptions: sorted.filter((c) => c.audience === 'internal').map((c) => option(c, defInt)),
    externalOptions: sorted.filter((c) => c.audience === 'external').map((c) => option(c, defExt)),
    canLink:
      campaigns.some((c) => c.audience === 'internal') &&
      campaigns.some((c) => c.audience === 'external'),
  };
}

// ---------------------------------------------------------------------------------------------
// Campaign results
// ---------------------------------------------------------------------------------------------

export function campaignView(report: CampaignReport, campaign: CampaignView, ctx: PageContext) {
  const t = reportStrings(ctx.lang);
  const lang = ctx.lang;
  const color = report.campaign.audience === 'internal' ? PALETTE.internal : PALETTE.external;
  const hiddenLabel = fill(t.hidden, { k: ctx.k });
  const byKey = new Map(campaign.questions.map((q) => [q.key, q]));
  const questions = report.questions
    .filter((q) => isNumericType(q.type))
    .map((q, i) => {
      const def = byKey.get(q.key);
      const text = questionText(def, lang) || q.key;
      const scale = QUESTION_SCALES[q.type as keyof typeof QUESTION_SCALES];
      const values = Array.from({ length: scale.max - scale.min + 1 }, (_, j) => scale.min + j);
      const hidden = q.suppressed === true;
      const hasData = !hidden && (q.n ?? 0) > 0;
      const chart =
        hasData && q.distribution
          ? buildDistribution(
              values,
              q.distribution ?? {},
              lang,
              (value, count, share) => fill(t.barTitle, { value, count, share: pct(share, lang) }),
              color,
            )
          : null;
      return {
        id: `q-${i}`,
        key: q.key,
        text,
        headline: q.key === campaign.headline,
        hidden,
        noData: !hidden && !hasData,
        n: formatNumber(q.n ?? 0, lang, 0),
        mean: q.mean !== undefined && q.mean !== null ? formatNumber(q.mean, lang, 2, 2) : null,
        nps:
          q.nps && q.nps.score !== null
            ? {
                score: formatNumber(q.nps.score, lang, 1),
                interval: intervalText(q.nps.ci95, lang, t, 1, 1),
                split: `${formatNumber(q.nps.promoters, lang, 0)} ${t.promoters} · ${formatNumber(q.nps.passives, lang, 0)} ${t.passives} · ${formatNumber(q.nps.detractors, lang, 0)} ${t.detractors}`,
              }
            : null,
        topBox:
          q.topBox && q.topBox.share !== null
            ? {
                share: pct(q.topBox.share, lang),
                interval: intervalText(q.topBox.ci95, lang, t, 100, 1),
              }
            : null,
        chart,
        chartTitle: fill(t.distributionOf, { question: text }),
        table: chart?.bars.map((b) => ({
          value: b.label,
          count: formatNumber(Number(q.distribution?.[b.label] ?? 0), lang, 0),
          share: pct(b.share, lang),
        })),
      };
    });
  const nameOf = (u: { unitCode: string; unitName?: string }) =>
    u.unitName || unitName(ctx, u.unitCode);
  const units = [...report.units]
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)))
    .map((u) => ({
      code: u.unitCode,
      name: nameOf(u),
      hidden: u.suppressed === true,
      noData: u.suppressed !== true && (u.n ?? 0) === 0,
      n: u.suppressed ? '' : formatNumber(u.n ?? 0, lang, 0),
      headline:
        u.suppressed || u.headline === undefined || u.headline === null
          ? null
          : formatNumber(u.headline, lang, 2, 2),
    }));
  const headlineQ = byKey.get(campaign.headline);
  return {
    t,
    campaign: report.campaign,
    isInternal: report.campaign.audience === 'internal',
    audienceLabel: report.campaign.audience === 'internal' ? t.internal : t.external,
    responses: formatNumber(report.responses, lang, 0),
    invited: formatNumber(report.invited, lang, 0),
    responseRate: pct(report.responseRate, lang),
    questions,
    units,
    hiddenLabel,
    headlineText: questionText(headlineQ, lang),
    hasOther: report.questions.some((q) => !isNumericType(q.type)),
  };
}

// ---------------------------------------------------------------------------------------------
// Linkage
// ---------------------------------------------------------------------------------------------

export interface LinkageViewInput {
  result: LinkageResult;
  query: LinkageInput;
  internal: CampaignView;
  external: CampaignView;
  maxDepth: number;
}

const ciText = (c: [number, number] | null | undefined, lang: string) =>
  c ? `${formatNumber(c[0], lang, 2, 2)} … ${formatNumber(c[1], lang, 2, 2)}` : '–';

/** "Mean of “How satisfied …”", for an axis title; several provider questions are joined. */
function sideTitle(
  template: string,
  metric: Metric,
  keys: string[],
  campaign: CampaignView,
  t: ReportStrings,
  lang: Language,
) {
  const texts = keys.map(
    (k) =>
      questionText(
        campaign.questions.find((q) => q.key === k),
        lang,
      ) || k,
  );
  return fill(template, {
    metric: metricLabel(metric, t),
    question: texts.length > 1 ? `${texts[0]} (+${texts.length - 1})` : (texts[0] ?? ''),
  });
}

export function linkageView(input: LinkageViewInput, ctx: PageContext) {
  const { result, query, internal, external } = input;
  const lang = ctx.lang;
  const t = reportStrings(lang);
  const intMetric = result.internal.metric;
  const extMetric = result.external.metric;
  const xTitle = sideTitle(
    t.axisInternal,
    intMetric,
    result.internal.questionKeys,
    internal,
    t,
    lang,
  );
  const yTitle = sideTitle(
    t.axisExternal,
    extMetric,
    result.external.questionKeys,
    external,
    t,
    lang,
  );
  const points = result.units.map((u) => ({
    code: u.unitCode,
    name: u.unitName || unitName(ctx, u.unitCode),
    x: u.internal.score,
    y: u.external.score,
    nx: u.internal.n,
    ny: u.external.n,
  }));
  const reg = result.regression;
  const scatter = buildScatter({
    points,
    fit: reg ? { slope: reg.slope, intercept: reg.intercept } : null,
    xTitle,
    yTitle,
    lang,
    describe: (p) =>
      fill(t.dotTitle, {
        name: p.name,
        x: formatScore(p.x, intMetric, lang),
        nx: p.nx,
        y: formatScore(p.y, extMetric, lang),
        ny: p.ny,
      }),
  });
  const p = result.pearson;
  const row = (label: string, estimate: string, interval = '', pv = '') => ({
    label,
    estimate,
    interval,
    p: pv,
  });
  const stats = [
    row(t.pearson, formatNumber(p?.r, lang, 2, 2), ciText(p?.ci95, lang), formatP(p?.p, lang)),
    row(
      t.spearman,
      formatNumber(result.spearman?.rho, lang, 2, 2),
      '',
      formatP(result.spearman?.p, lang),
    ),
    row(
      t.kendall,
      formatNumber(result.kendall?.tau, lang, 2, 2),
      '',
      formatP(result.kendall?.p, lang),
    ),
    row(t.slope, formatNumber(reg?.slope, lang, 3)),
    row(t.intercept, formatNumber(reg?.intercept, lang, 3)),
    row(t.r2, formatNumber(reg?.r2, lang, 2, 2)),
    row(t.nUnits, formatNumber(result.n, lang, 0)),
  ];
  const intKey = query.internalQuestion ?? internal.headline;
  const extKey = query.externalQuestion ?? external.headline;
  const numeric = (c: CampaignView, selected: string) =>
    c.questions
      .filter((q) => isNumericType(q.type))
      .map((q) => ({ key: q.key, label: questionText(q, lang), selected: q.key === selected }));
  const metricOptions = (selected: Metric) =>
    (['mean', 'topbox', 'nps'] as const).map((m) => ({
      value: m,
      label: metricLabel(m, t),
      selected: m === selected,
    }));
  return {
    t,
    internal: { id: internal.id, label: campaignLabel(internal) },
    external: { id: external.id, label: campaignLabel(external) },
    summary: result.summary,
    notes: result.notes,
    n: result.n,
    exploratory: result.n < EXPLORATORY_BELOW ? fill(t.exploratory, { n: result.n }) : null,
    scatter,
    scatterDesc: fill(t.scatterDesc, { n: result.n }),
    hasFit: scatter.fit !== null,
    stats,
    excluded: result.excluded.map((e) => ({
      code: e.unitCode,
      name: e.unitName || unitName(ctx, e.unitCode),
      reason: e.reason,
    })),
    rows: [...points]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((pt) => ({
        code: pt.code,
        name: pt.name,
        x: formatScore(pt.x, intMetric, lang),
        y: formatScore(pt.y, extMetric, lang),
        nx: pt.nx,
        ny: pt.ny,
      })),
    controls: {
      internalQuestions: numeric(internal, intKey),
      externalQuestions: numeric(external, extKey),
      internalMetrics: metricOptions(intMetric),
      externalMetrics: metricOptions(extMetric),
      levels: [
        { value: '', label: t.levelLeaf, selected: result.level === null },
        ...Array.from({ length: input.maxDepth + 1 }, (_, d) => ({
          value: String(d),
          label: fill(t.levelN, { n: d }),
          selected: result.level === d,
        })),
      ],
      perspectives: [
        {
          value: 'member',
          label: t.perspectiveMember,
          selected: result.perspective !== 'provider',
        },
        {
          value: 'provider',
          label: t.perspectiveProvider,
          selected: result.perspective === 'provider',
        },
      ],
    },
    xTitle,
    yTitle,
  };
}

// ---------------------------------------------------------------------------------------------
// Waves / trend
// ---------------------------------------------------------------------------------------------

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
  const trend = points.length
    ? buildTrend(
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
      )
    : null;
  const pc = (c: { r: number; ci95: [number, number] | null; p: number } | null | undefined) => ({
    r: formatNumber(c?.r, lang, 2, 2),
    ci: ciText(c?.ci95, lang),
    p: formatP(c?.p, lang),
  });
  return {
    t,
    lag: result.lag,
    trend,
    trendDesc: fill(t.trendDesc, { n: points.length }),
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
      href: `/reports/linkage?internal=${encodeURIComponent(p.internalCampaignId)}&external=${encodeURIComponent(p.externalCampaignId)}&lang=${lang}`,
    })),
    panels: result.panels.map((panel) => ({
      title: `${panel.wave1} → ${panel.wave2}`,
      summary: panel.summary,
      exploratory: panel.exploratory,
      exploratoryText: fill(t.exploratory, { n: panel.n }),
      n: panel.n,
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
        { label: t.regExternal, reg: panel.regression.external },
        { label: t.regInternal, reg: panel.regression.internal },
      ].map(({ label, reg }) => ({
        label,
        auto: reg
          ? `β = ${formatNumber(reg.autoregressive.beta, lang, 2, 2)} (${pClause(reg.autoregressive.p, lang)})`
          : '–',
        cross: reg
          ? `β = ${formatNumber(reg.crossLagged.beta, lang, 2, 2)} (${pClause(reg.crossLagged.p, lang)})`
          : '–',
        r2: reg ? formatNumber(reg.r2, lang, 2, 2) : '–',
      })),
    })),
    notes: result.notes,
    lagOptions: Array.from({ length: 4 }, (_, i) => ({ value: i, selected: i === result.lag })),
  };
}

// ---------------------------------------------------------------------------------------------
// Drivers
// ---------------------------------------------------------------------------------------------

export function driversView(result: DriversResult, ctx: PageContext) {
  const lang = ctx.lang;
  const t = reportStrings(lang);
  const inputs = result.drivers.map((d) => ({
    key: d.questionKey,
    text: d.text[lang] || d.text.en || d.text.it || d.questionKey,
    r: d.r,
    ci95: d.ci95,
    p: d.p,
    pAdjusted: d.pAdjusted,
    n: d.n,
  }));
  const chart = buildDrivers(
    inputs,
    lang,
    t.driversAxis,
    (d) =>
      fill(t.driverTitle, {
        question: d.text,
        r: formatNumber(d.r, lang, 2, 2),
        ci: ciText(d.ci95, lang),
        p: formatP(d.pAdjusted, lang),
      }),
    (c) => ciText(c, lang),
  );
  const n = Math.max(0, ...result.drivers.map((d) => d.n));
  return {
    t,
    n,
    internal: { label: campaignLabel(result.internal) },
    external: { label: campaignLabel(result.external.campaign) },
    exploratory: n < EXPLORATORY_BELOW ? fill(t.exploratory, { n }) : null,
    chart: inputs.length ? chart : null,
    driversDesc: fill(t.driversDesc, { n: inputs.length }),
    skipped: result.skipped,
    notes: result.notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Service map
// ---------------------------------------------------------------------------------------------

export function serviceMapView(result: ServiceMapResult, ctx: PageContext) {
  const lang = ctx.lang;
  const t = reportStrings(lang);
  const rows = result.raters.map((r) => ({ key: r.unitCode, label: r.unitName || r.unitCode }));
  const cols = result.providers.map((p) => ({ key: p.unitCode, label: p.unitName || p.unitCode }));
  const cells = result.cells.map((c) => ({
    row: c.raterUnitCode,
    col: c.providerUnitCode,
    value: c.suppressed ? null : (c.mean ?? null),
    n: c.suppressed ? null : (c.n ?? null),
    suppressed: c.suppressed === true,
  }));
  const known = new Set(cells.map((c) => `${c.row}\u0000${c.col}`));
  for (const r of rows)
    for (const c of cols)
      if (!known.has(`${r.key}\u0000${c.key}`))
        cells.push({ row: r.key, col: c.key, value: null, n: null, suppressed: false });
  const chart =
    rows.length && cols.length
      ? buildHeatmap(rows, cols, cells, lang, (c, row, col) =>
          c.suppressed
            ? fill(t.cellHidden, { row, col })
            : c.value === null
              ? fill(t.cellEmpty, { row, col })
              : fill(t.cellTitle, {
                  row,
                  col,
                  value: formatNumber(c.value, lang, 2, 2),
                  n: c.n ?? 0,
                }),
        )
      : null;
  const cellOf = new Map(cells.map((c) => [`${c.row}\u0000${c.col}`, c]));
  const hiddenLabel = fill(t.hidden, { k: result.minGroupSize });
  return {
    t,
    campaign: result.campaign,
    chart,
    hiddenLabel,
    hiddenLegend: fill(t.legendHidden, { k: result.minGroupSize }),
    desc: fill(t.serviceMapDesc, { rows: rows.length, cols: cols.length }),
    providers: result.providers.map((p) => ({
      name: p.unitName || p.unitCode,
      hidden: p.suppressed === true,
      text: p.suppressed
        ? hiddenLabel
        : p.mean === undefined
          ? t.noData
          : `${formatNumber(p.mean, lang, 2, 2)} (n=${p.n ?? 0})`,
    })),
    table: {
      cols,
      rows: rows.map((r) => ({
        label: r.label,
        cells: cols.map((c) => {
          const cell = cellOf.get(`${r.key}\u0000${c.key}`);
          if (!cell || (!cell.suppressed && cell.value === null))
            return { text: t.noData, muted: true };
          if (cell.suppressed) return { text: hiddenLabel, muted: true };
          return {
            text: `${formatNumber(cell.value, lang, 2, 2)} (n=${cell.n ?? 0})`,
            muted: false,
          };
        }),
      })),
    },
  };
}

/** "p = 0.03" or "p < 0.001" (never "p = < 0.001"). */
function pClause(p: number | null | undefined, lang: string): string {
  const text = formatP(p, lang);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}
