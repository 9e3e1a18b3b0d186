/** The linkage page: one dot per unit, internal score against external score, and the statistics. */
import type { CampaignView } from '../campaigns/campaigns.dto.js';
import { formatNumber } from '../charts/common.js';
import { buildScatter, type ScatterInput } from '../charts/scatter.js';
import type { Language } from '../domain/language.js';
import { fill, type ReportStrings, reportStrings } from '../reports/report-pages.i18n.js';
import { type PageContext, questionText, unitName } from '../reports/report-page.js';
import { isNumericType } from '../domain/questions.js';
import { translate } from '../common/messages.js';
import { MIN_UNITS, nextSteps, type ReadinessRow } from './linkage-readiness.js';
import { methodsHref } from './linkage-methods-doc.js';
import type { LinkageInput, LinkageResult, Metric } from './linkage.dto.js';
import {
  campaignLabel,
  ciText,
  exploratoryText,
  formatScore,
  metricLabel,
  pText,
  reasonText,
} from './page-format.js';

export interface LinkageViewInput {
  result: LinkageResult;
  query: LinkageInput;
  internal: CampaignView;
  external: CampaignView;
  maxDepth: number;
}

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
  const titles = new Map(
    points.map((p) => [
      p,
      fill(t.dotTitle, {
        name: p.name,
        x: formatScore(p.x, intMetric, lang),
        nx: p.nx,
        y: formatScore(p.y, extMetric, lang),
        ny: p.ny,
      }),
    ]),
  );
  const scatterInput: ScatterInput = {
    points,
    fit: reg ? { slope: reg.slope, intercept: reg.intercept } : null,
    xTitle,
    yTitle,
    lang,
    // Each dot's hover text, made once for both drawings.
    describe: (p) => titles.get(p) ?? '',
  };
  const scatter = buildScatter(scatterInput);
  // Phones: the same chart drawn 400 units wide, so that its text stays legible (CSS picks one).
  const scatterNarrow = buildScatter({ ...scatterInput, width: 400, height: 440 });
  const p = result.pearson;
  // Every null statistic (or null interval / p inside one) shows its reason under its row.
  const why = (...paths: string[]) =>
    paths
      .map((path) => reasonText(result.nullReasons?.[path], lang, t))
      .filter(Boolean)
      .join(' ') || null;
  const row = (
    label: string,
    estimate: string,
    interval = '',
    pv = '',
    reason: string | null = null,
  ) => ({
    label,
    estimate,
    interval,
    p: pv,
    why: reason,
  });
  const w = result.weighted;
  const part = result.partial;
  const stats = [
    row(
      t.pearson,
      formatNumber(p?.r, lang, 2, 2),
      ciText(p?.ci95, lang),
      pText(p?.p, lang),
      why('pearson', 'pearson.ci95'),
    ),
    row(
      result.spearman?.method === 'exact' ? t.spearmanExact : t.spearman,
      formatNumber(result.spearman?.rho, lang, 2, 2),
      '',
      pText(result.spearman?.p, lang),
      why('spearman'),
    ),
    row(
      t.kendall,
      formatNumber(result.kendall?.tau, lang, 2, 2),
      '',
      pText(result.kendall?.p, lang),
      why('kendall'),
    ),
    row(
      t.weightedR,
      formatNumber(w?.r, lang, 2, 2),
      '',
      pText(w?.p, lang),
      why('weighted', 'weighted.p'),
    ),
    row(
      t.partialR,
      formatNumber(part?.r, lang, 2, 2),
      ciText(part?.ci95, lang),
      pText(part?.p, lang),
      why('partial', 'partial.ci95'),
    ),
    row(t.slope, formatNumber(reg?.slope, lang, 3), '', '', why('regression')),
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
  const canCompare = result.n >= MIN_UNITS;
  const asked = query.minResponses;
  return {
    t,
    canCompare,
    readiness: readinessView(result.readiness ?? [], result, lang),
    nextSteps: canCompare ? null : nextStepsText(result, internal, lang),
    minResponses: result.external.minResponses,
    minResponsesHint: translate(lang, 'linkage.options.minResponsesHint', { k: ctx.k }),
    minBelowK:
      asked !== undefined && asked < ctx.k
        ? translate(lang, 'linkage.options.minBelowK', { k: ctx.k, asked })
        : null,
    internal: { id: internal.id, label: campaignLabel(internal) },
    external: { id: external.id, label: campaignLabel(external) },
    summary: result.summary,
    notes: result.notes,
    n: result.n,
    exploratory: exploratoryText(result.n, t),
    scatter,
    scatterNarrow,
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
    methodsHref: methodsHref(query),
  };
}

/** The readiness table: the internal side as a status only, the external side as exact counts. */
function readinessView(rows: readonly ReadinessRow[], result: LinkageResult, lang: Language) {
  const say = (key: string, vars?: Record<string, unknown>) =>
    translate(lang, `linkage.readiness.${key}`, vars);
  const num = (v: number) => formatNumber(v, lang, 0);
  return {
    // `units` are the rows shown: all `n` units kept, or a unit manager's own (issue 9), whose
    // statistics still use every unit kept (said after the intro).
    summary: say('summary', { ready: num(result.units.length), total: num(rows.length) }),
    intro: [
      say('intro', {
        internalMin: num(result.internal.minResponses),
        externalMin: num(result.external.minResponses),
        target: MIN_UNITS,
      }),
      ...(result.units.length < result.n
        ? [
            translate(lang, 'managers.linkageNote', {
              n: num(result.n),
              mine: num(result.units.length),
            }),
          ]
        : []),
    ].join(' '),
    // Open when it is what the page is about (nothing to compare) or short enough to read.
    open: result.n < MIN_UNITS || rows.length <= 12,
    rows: rows.map((r) => {
      const e = r.external;
      const vars = { responses: num(e.responses), needed: num(e.needed), missing: num(e.missing) };
      return {
        code: r.unitCode,
        name: r.unitName,
        internalReady: r.internal.status === 'enough',
        internal: say(r.internal.status),
        externalReady: e.missing === 0,
        external: say(
          e.missing === 0
            ? 'externalEnough'
            : e.missing === 1
              ? 'externalMissingOne'
              : 'externalMissingMany',
          vars,
        ),
      };
    }),
  };
}

/** What to do so that enough units can be compared, in plain sentences. */
function nextStepsText(result: LinkageResult, internal: CampaignView, lang: Language) {
  const say = (key: string, vars?: Record<string, unknown>) =>
    translate(lang, `linkage.next.${key}`, vars);
  const steps = nextSteps(result.readiness ?? [], result.n);
  const lines: string[] = [];
  if (steps.tooFewUnits)
    lines.push(say('tooFewUnits', { n: (result.readiness ?? []).length, target: steps.target }));
  if (steps.closeInternal) lines.push(say('close', { name: internal.name }));
  if (steps.collect.length) {
    const items = steps.collect.map((c) =>
      c.missing === 1
        ? say('collectItemOne', { unit: c.unitName })
        : say('collectItemMany', { n: formatNumber(c.missing, lang, 0), unit: c.unitName }),
    );
    const list =
      items.length > 1
        ? `${items.slice(0, -1).join(', ')} ${say('and')} ${items.at(-1)}`
        : items[0];
    lines.push(say('collect', { list, target: steps.target }));
  }
  if (steps.internalShort === 1) lines.push(say('internalShortOne'));
  else if (steps.internalShort > 1)
    lines.push(say('internalShortMany', { n: steps.internalShort }));
  if (steps.collect.length && result.external.minResponses > 1) lines.push(say('lowerMinimum'));
  return {
    heading: say('heading'),
    noChart: say('noChart', { target: steps.target, kept: result.n }),
    lines,
  };
}
