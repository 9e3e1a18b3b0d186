/**
 * The methods appendix as data (GET /api/linkage/methods), as a CSV of the per-unit table and as a
 * Markdown text: built from one linkage result. Pure: no Nest, no database. Texts come from
 * locales/<lang>/methods.json; the API's are English.
 */
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import {
  exclusionCounts,
  methodsStatistics,
  methodsTable,
  methodsThresholds,
  type MethodsResult,
  type MethodsStatistics,
  type MethodsUnitRow,
} from './linkage-methods.js';
import type { LinkageInput, LinkageResult, LinkageSide, Metric } from './linkage.dto.js';

const say = (lang: Language, key: string, vars?: Record<string, unknown>) =>
  translate(lang, `methods.${key}`, vars);

/** The file names of the downloads. */
export const METHODS_CSV = 'linkage-methods.csv';
export const METHODS_MD = 'linkage-methods.md';
export const METHODS_JSON = 'linkage-methods.json';

/** The CSV's columns, in order (the R snippet and the Markdown table use the same names). */
export const CSV_COLUMNS = [
  'unit_code',
  'unit_name',
  'internal_score',
  'internal_n',
  'external_score',
  'external_n',
] as const;

/** Every statistic of the linkage recomputed in R from the CSV download. Code, not prose. */
export const R_SNIPPET = `d <- read.csv("${METHODS_CSV}")
x <- d$internal_score; y <- d$external_score; n <- nrow(d)
cor.test(x, y)                                  # Pearson r, t, df, p, 95 % Fisher-z interval
cor.test(x, y, method = "spearman", exact = n <= 10)  # rho, p (R's exact p is an Edgeworth series at n = 10)
cor.test(x, y, method = "kendall", exact = FALSE)     # tau-b, z, p
summary(lm(y ~ x))                              # slope, intercept, R^2
w <- 2 * d$internal_n * d$external_n / (d$internal_n + d$external_n)
rw <- cov.wt(cbind(x, y), wt = w / sum(w), cor = TRUE)$cor[1, 2]
neff <- sum(w)^2 / sum(w^2)
c(r = rw, effectiveN = neff, p = 2 * pt(-abs(rw * sqrt((neff - 2) / (1 - rw^2))), neff - 2))
z <- (log(d$internal_n) + log(d$external_n)) / 2
rp <- cor(resid(lm(x ~ z)), resid(lm(y ~ z)))
c(r = rp, p = 2 * pt(-abs(rp * sqrt((n - 3) / (1 - rp^2))), n - 3),
  ci = tanh(atanh(rp) + c(-1, 1) * qnorm(0.975) / sqrt(n - 4)))
`;

/** The definitions of every number, for the result's sides, in one language. */
export function methodsDefinitions(
  result: Pick<LinkageResult, 'internal' | 'external'>,
  lang: Language,
  thresholds: ReturnType<typeof methodsThresholds>,
): Array<{ id: string; term: string; definition: string }> {
  const def = (id: string, vars?: Record<string, unknown>, termVars?: Record<string, unknown>) => ({
    id,
    term: say(lang, `def.${id}.term`, termVars),
    definition: say(lang, `def.${id}.text`, vars),
  });
  const metrics = new Map<Metric, LinkageSide>();
  for (const side of [result.internal, result.external]) {
    if (!metrics.has(side.metric)) metrics.set(side.metric, side);
  }
  const score = (side: 'internal' | 'external') => {
    const s = result[side];
    return {
      id: `${side}Score`,
      term: say(lang, 'def.score.term', { side: say(lang, `sideName.${side}`) }),
      definition: say(lang, 'def.score.text', {
        metric: say(lang, `def.${s.metric}.term`),
        questions: s.questionKeys.map((k) => `“${k}”`).join(', '),
      }),
    };
  };
  return [
    def('unit'),
    def('respondents'),
    def('pairing', {
      internalMin: thresholds.internalMinResponses,
      externalMin: thresholds.externalMinResponses,
    }),
    score('internal'),
    score('external'),
    ...[...metrics].map(([metric, side]) =>
      def(metric, metric === 'mean' ? { min: side.scale.min, max: side.scale.max } : undefined),
    ),
    def('pearson'),
    def('pearsonTest'),
    def('fisher'),
    def('spearman', { exactMax: thresholds.spearmanExactMaxN }),
    def('kendall'),
    def('regression'),
    def('weighted'),
    def('partial'),
    def('pValue'),
    def('exploratory', {
      exploratory: thresholds.exploratoryBelow,
      tooFew: thresholds.tooFewToConcludeBelow,
    }),
    def('undefined'),
  ];
}

/**
 * The methods appendix of one linkage result. The statistics are recomputed from the per-unit
 * table alone (the same src/stats calls as the linkage): the appendix says what an analyst gets
 * from that table, and a test checks it equals the linkage's own figures.
 */
export function methodsResult(result: LinkageResult, k: number): MethodsResult {
  const units = methodsTable(result);
  const thresholds = methodsThresholds(result, k);
  const byReason = exclusionCounts(result.excluded, result.lang).map((r) => ({
    code: r.code,
    reason: say('en', `reason.${r.code}`),
    units: r.units,
  }));
  return {
    internal: result.internal,
    external: result.external,
    perspective: result.perspective,
    level: result.level,
    thresholds,
    n: result.n,
    unitsWithData: result.n + result.excluded.length,
    units,
    excluded: { units: result.excluded.length, byReason, list: result.excluded },
    statistics: methodsStatistics(units),
    nullReasons: result.nullReasons,
    exploratory: result.exploratory,
    summary: result.summary,
    notes: result.notes,
    definitions: methodsDefinitions(result, 'en', thresholds),
    reproduceInR: R_SNIPPET,
  };
}

/** A CSV text cell: quoted when needed; a leading formula character is neutralised with `'`. */
function csvText(value: string): string {
  const safe = /^[=+\-@\t\r\n\0]|^[\s\0]+[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Numbers at full precision (the shortest text that reads back as the same double). */
const csvNumber = (v: number) => String(v);

/** The per-unit table as CSV (RFC 4180, CRLF), one row per paired unit. */
export function methodsCsv(units: readonly MethodsUnitRow[]): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...units.map((u) =>
      [
        csvText(u.unitCode),
        csvText(u.unitName),
        csvNumber(u.internalScore),
        csvNumber(u.internalN),
        csvNumber(u.externalScore),
        csvNumber(u.externalN),
      ].join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** A Markdown table cell: no pipes or line breaks. */
const mdCell = (v: string) => v.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const mdNum = (v: number | null | undefined) => (v === null || v === undefined ? '–' : String(v));
const mdInterval = (ci: [number, number] | null | undefined) => (ci ? `[${ci[0]}, ${ci[1]}]` : '–');

/** Rows of the results table: label, estimate, test statistic, df, p, interval, method. */
export function resultRows(
  s: MethodsStatistics,
  lang: Language,
): Array<{
  id: string;
  label: string;
  estimate: number | null;
  test: { name: 't' | 'z'; value: number | null } | null;
  df: number | null;
  p: number | null;
  ci95: [number, number] | null;
  method: string;
}> {
  const r = (key: string) => say(lang, `results.${key}`);
  return [
    {
      id: 'pearson',
      label: r('pearson'),
      estimate: s.pearson?.r ?? null,
      test: s.pearson ? { name: 't', value: s.pearson.t } : null,
      df: s.pearson?.df ?? null,
      p: s.pearson?.p ?? null,
      ci95: s.pearson?.ci95 ?? null,
      method: s.pearson ? r('asymptotic') : '',
    },
    {
      id: 'spearman',
      label: r('spearman'),
      estimate: s.spearman?.rho ?? null,
      test: s.spearman ? { name: 't', value: s.spearman.t } : null,
      df: s.spearman?.df ?? null,
      p: s.spearman?.p ?? null,
      ci95: null,
      method: s.spearman ? r(s.spearman.method) : '',
    },
    {
      id: 'kendall',
      label: r('kendall'),
      estimate: s.kendall?.tauB ?? null,
      test: s.kendall ? { name: 'z', value: s.kendall.z } : null,
      df: null,
      p: s.kendall?.p ?? null,
      ci95: null,
      method: s.kendall ? r('normal') : '',
    },
    {
      id: 'weighted',
      label: r('weighted'),
      estimate: s.weighted?.r ?? null,
      test: s.weighted ? { name: 't', value: s.weighted.t } : null,
      df: s.weighted?.df ?? null,
      p: s.weighted?.p ?? null,
      ci95: null,
      method: s.weighted ? r('asymptotic') : '',
    },
    {
      id: 'effectiveN',
      label: r('effectiveN'),
      estimate: s.weighted?.effectiveN ?? null,
      test: null,
      df: null,
      p: null,
      ci95: null,
      method: '',
    },
    {
      id: 'partial',
      label: r('partial'),
      estimate: s.partial?.r ?? null,
      test: s.partial ? { name: 't', value: s.partial.t } : null,
      df: s.partial?.df ?? null,
      p: s.partial?.p ?? null,
      ci95: s.partial?.ci95 ?? null,
      method: s.partial ? r('asymptotic') : '',
    },
    ...(
      [
        ['slope', s.regression?.slope],
        ['intercept', s.regression?.intercept],
        ['r2', s.regression?.r2],
      ] as const
    ).map(([id, value]) => ({
      id,
      label: r(id),
      estimate: value ?? null,
      test: null,
      df: null,
      p: null,
      ci95: null,
      method: s.regression ? r('ols') : '',
    })),
  ];
}

/** The appendix as a Markdown text in the page's language, every number at full precision. */
export function methodsMarkdown(
  doc: MethodsResult,
  lang: Language,
  context: { generatedAt: string; lang: Language },
): string {
  const m = (key: string, vars?: Record<string, unknown>) => say(lang, key, vars);
  const t = doc.thresholds;
  const side = (s: LinkageSide, label: string) =>
    `| ${mdCell(label)} | ${mdCell(`${s.campaign.name} (${s.campaign.wave})`)} | ${mdCell(
      s.questionKeys.join(', '),
    )} | ${m(`def.${s.metric}.term`)} | ${s.scale.min}–${s.scale.max} | ${s.minResponses} |`;
  const out: string[] = [
    `# ${m('title')}`,
    '',
    m('lead'),
    '',
    `${m('md.generated')}: ${context.generatedAt}`,
    '',
    `## ${m('compared.heading')}`,
    '',
    `| ${m('compared.side')} | ${m('compared.campaign')} | ${m('compared.questions')} | ${m('compared.metric')} | ${m('compared.scale')} | ${m('compared.minimum')} |`,
    '|---|---|---|---|---|---|',
    side(doc.internal, m('compared.internal')),
    side(doc.external, m('compared.external')),
    '',
    m('compared.level', {
      level:
        doc.level === null ? m('compared.levelLeaf') : m('compared.levelN', { level: doc.level }),
    }),
    '',
    m(
      doc.perspective === 'provider'
        ? 'compared.perspectiveProvider'
        : 'compared.perspectiveMember',
    ),
    '',
    `## ${m('thresholds.heading')}`,
    '',
    `| ${m('thresholds.name')} | ${m('thresholds.value')} |`,
    '|---|---|',
    ...thresholdRows(t, lang).map(([label, value]) => `| ${mdCell(label)} | ${value} |`),
    '',
    m('thresholds.commentsNote'),
    '',
    `## ${m('units.heading')}`,
    '',
    m('units.summary', {
      withData: doc.unitsWithData,
      kept: doc.n,
      excluded: doc.excluded.units,
    }),
    '',
  ];
  if (doc.excluded.byReason.length) {
    out.push(
      `| ${m('units.reason')} | ${m('units.count')} |`,
      '|---|---|',
      ...doc.excluded.byReason.map((r) => `| ${m(`reason.${r.code}`)} | ${r.units} |`),
      '',
      m('units.reasonsNote'),
      '',
      `| ${m('units.unit')} | ${m('units.reason')} |`,
      '|---|---|',
      ...doc.excluded.list.map(
        (e) => `| ${mdCell(`${e.unitName} (${e.unitCode})`)} | ${mdCell(e.reason)} |`,
      ),
      '',
    );
  }
  out.push(
    `## ${m('results.heading')}`,
    '',
    `${m('results.n')}: ${doc.n}`,
    '',
    `| ${m('results.statistic')} | ${m('results.estimate')} | ${m('results.test')} | ${m('results.df')} | ${m('results.p')} | ${m('results.interval')} | ${m('results.method')} |`,
    '|---|---|---|---|---|---|---|',
    ...resultRows(doc.statistics, lang).map(
      (r) =>
        `| ${r.label} | ${mdNum(r.estimate)} | ${r.test ? `${r.test.name} = ${mdNum(r.test.value)}` : '–'} | ${mdNum(r.df)} | ${mdNum(r.p)} | ${mdInterval(r.ci95)} | ${r.method || '–'} |`,
    ),
    '',
    doc.summary,
    '',
  );
  for (const [path, reason] of Object.entries(doc.nullReasons)) {
    out.push(`- ${path}: ${reason[lang]}`);
  }
  if (Object.keys(doc.nullReasons).length) out.push('');
  out.push(
    `## ${m('table.heading')}`,
    '',
    m('table.intro'),
    '',
    `| ${CSV_COLUMNS.join(' | ')} |`,
    `|${CSV_COLUMNS.map(() => '---').join('|')}|`,
    ...doc.units.map(
      (u) =>
        `| ${mdCell(u.unitCode)} | ${mdCell(u.unitName)} | ${u.internalScore} | ${u.internalN} | ${u.externalScore} | ${u.externalN} |`,
    ),
    '',
    `## ${m('definitions.heading')}`,
    '',
    ...methodsDefinitions(doc, lang, t).map((d) => `- **${d.term}**: ${d.definition}`),
    '',
    `## ${m('reproduce.heading')}`,
    '',
    m('reproduce.intro'),
    '',
    '```r',
    doc.reproduceInR.trimEnd(),
    '```',
    '',
  );
  return out.join('\n');
}

/** The thresholds as (label, value) rows in one language. */
export function thresholdRows(
  t: ReturnType<typeof methodsThresholds>,
  lang: Language,
): Array<[string, string]> {
  const m = (key: string, vars?: Record<string, unknown>) => say(lang, `thresholds.${key}`, vars);
  const pct = `${Math.round(t.confidenceLevel * 100)} %`;
  return [
    [m('k'), String(t.minGroupSize)],
    [m('internalMin'), String(t.internalMinResponses)],
    [m('externalMin'), String(t.externalMinResponses)],
    [m('confidence'), pct],
    [m('minUnits'), String(t.minUnitsForStatistics)],
    [m('minUnitsInterval'), String(t.minUnitsForInterval)],
    [m('minUnitsPartial', { more: t.minUnitsForPartialInterval }), String(t.minUnitsForPartial)],
    [m('spearmanExact'), String(t.spearmanExactMaxN)],
    [m('exploratory'), String(t.exploratoryBelow)],
    [m('tooFew'), String(t.tooFewToConcludeBelow)],
    [m('chart'), String(t.chartFromUnits)],
  ];
}

/**
 * The methods page of a linkage selection (its options as the linkage page resolved them; the
 * caller appends the page language).
 */
export function methodsHref(query: LinkageInput): string {
  const params = new URLSearchParams();
  const options: Array<[string, string | number | null | undefined]> = [
    ['internal', query.internal],
    ['external', query.external],
    ['internalQuestion', query.internalQuestion],
    ['externalQuestion', query.externalQuestion],
    ['metric', query.metric],
    ['internalMetric', query.internalMetric],
    ['externalMetric', query.externalMetric],
    ['minResponses', query.minResponses],
    ['perspective', query.perspective],
    ['level', query.level],
  ];
  for (const [key, value] of options) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  return `/reports/linkage/methods?${params.toString()}`;
}
