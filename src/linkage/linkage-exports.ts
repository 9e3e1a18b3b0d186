/**
 * The tables of the linkage, waves, drivers and service-map pages' CSV and XLSX downloads, built
 * from the same service results the pages map (`LinkagePagesService.*Data`), with the pages' rows,
 * order and rounding; conventions in `src/reports/page-exports.ts`. Pure.
 */
import type { Cell, ExportTable } from '../reports/export-files.js';
import { fixed, percent } from '../reports/page-exports.js';
import { fill, reportStrings } from '../reports/report-pages.i18n.js';
import type { Language } from '../domain/language.js';
import { nullReason, pValueText } from './linkage-summary.js';
import type {
  DriversResult,
  Metric,
  NullReasons,
  PearsonJson,
  ServiceMapResult,
  WavesResult,
} from './linkage.dto.js';
import type { LinkageViewInput } from './linkage.view.js';
import { campaignLabel } from './page-format.js';

/** A score as the page rounds it: top box in percent (1 decimal), NPS 1 decimal, means 2. */
export function scoreCell(value: number | null | undefined, metric: Metric): number | null {
  if (metric === 'topbox') return percent(value);
  return fixed(value, metric === 'nps' ? 1 : 2);
}

/** A p-value as the page writes it (two significant digits, never rounded across 0.05). */
export function pCell(p: number | null | undefined): Cell {
  if (p === null || p === undefined || !Number.isFinite(p)) return null;
  const text = pValueText(p, 'en');
  return text.startsWith('<') ? text : Number(text);
}

const r2 = (v: number | null | undefined) => fixed(v, 2);
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function reasons(r: NullReasons | undefined, lang: Language, ...paths: string[]): string | null {
  const text = paths
    .map((path) => r?.[path]?.[lang])
    .filter(Boolean)
    .join(' ');
  return text || null;
}

/** `/reports/linkage`: options, readiness, the units of the scatter, the statistics, exclusions. */
export function linkageTables(data: LinkageViewInput, lang: Language): ExportTable[] {
  const { result, internal, external } = data;
  const t = reportStrings(lang);
  const intMetric = result.internal.metric;
  const extMetric = result.external.metric;
  const options: ExportTable = {
    name: 'options',
    columns: ['field', 'value'],
    rows: [
      ['internal_campaign', campaignLabel(internal)],
      ['external_campaign', campaignLabel(external)],
      ['internal_questions', result.internal.questionKeys.join(' ')],
      ['external_questions', result.external.questionKeys.join(' ')],
      ['internal_metric', intMetric],
      ['external_metric', extMetric],
      ['internal_min_responses', result.internal.minResponses],
      ['external_min_responses', result.external.minResponses],
      ['perspective', result.perspective],
      ['level', result.level],
      ['units_kept', result.n],
      ['exploratory', yesNo(result.exploratory)],
      ['summary', result.summary],
      ...result.notes.map((note): Cell[] => ['note', note]),
    ],
  };
  const readiness: ExportTable = {
    name: 'readiness',
    columns: [
      'unit_code',
      'unit',
      'internal_status',
      'external_responses',
      'external_needed',
      'external_missing',
    ],
    rows: (result.readiness ?? []).map((r): Cell[] => [
      r.unitCode,
      r.unitName,
      r.internal.status,
      r.external.responses,
      r.external.needed,
      r.external.missing,
    ]),
  };
  const units: ExportTable = {
    name: 'units',
    columns: ['unit_code', 'unit', 'internal_score', 'internal_n', 'external_score', 'external_n'],
    rows: [...result.units]
      .map((u) => ({ ...u, name: u.unitName || u.unitCode }))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((u): Cell[] => [
        u.unitCode,
        u.name,
        scoreCell(u.internal.score, intMetric),
        u.internal.n,
        scoreCell(u.external.score, extMetric),
        u.external.n,
      ]),
  };
  const p = result.pearson;
  const w = result.weighted;
  const part = result.partial;
  const reg = result.regression;
  const why = (...paths: string[]) => reasons(result.nullReasons, lang, ...paths);
  const stat = (
    key: string,
    label: string,
    estimate: number | null,
    ci: [number, number] | null | undefined = null,
    pv: number | null | undefined = null,
    reason: string | null = null,
  ): Cell[] => [key, label, estimate, r2(ci?.[0]), r2(ci?.[1]), pCell(pv), reason];
  const statistics: ExportTable = {
    name: 'statistics',
    columns: ['statistic', 'label', 'estimate', 'ci_low', 'ci_high', 'p', 'why'],
    rows: [
      stat('pearson_r', t.pearson, r2(p?.r), p?.ci95, p?.p, why('pearson', 'pearson.ci95')),
      stat(
        'spearman_rho',
        result.spearman?.method === 'exact' ? t.spearmanExact : t.spearman,
        r2(result.spearman?.rho),
        null,
        result.spearman?.p,
        why('spearman'),
      ),
      stat(
        'kendall_tau',
        t.kendall,
        r2(result.kendall?.tau),
        null,
        result.kendall?.p,
        why('kendall'),
      ),
      stat('weighted_r', t.weightedR, r2(w?.r), null, w?.p, why('weighted', 'weighted.p')),
      stat(
        'partial_r',
        t.partialR,
        r2(part?.r),
        part?.ci95,
        part?.p,
        why('partial', 'partial.ci95'),
      ),
      stat('slope', t.slope, fixed(reg?.slope, 3), null, null, why('regression')),
      stat('intercept', t.intercept, fixed(reg?.intercept, 3)),
      stat('r2', t.r2, r2(reg?.r2)),
      stat('n_units', t.nUnits, result.n),
    ],
  };
  const excluded: ExportTable = {
    name: 'excluded',
    columns: ['unit_code', 'unit', 'reason'],
    rows: result.excluded.map((e): Cell[] => [e.unitCode, e.unitName || e.unitCode, e.reason]),
  };
  return [options, readiness, units, statistics, excluded];
}

/** `/reports/linkage/waves`: the trend table, the wave pairs and the cross-lagged panels. */
export function wavesTables(
  result: WavesResult,
  titles: { internal: string; external: string },
  lang: Language,
): ExportTable[] {
  const t = reportStrings(lang);
  const options: ExportTable = {
    name: 'options',
    columns: ['field', 'value'],
    rows: [
      ['lag', result.lag],
      ['internal_metric', result.metric.internal],
      ['external_metric', result.metric.external],
      ['internal_axis', titles.internal],
      ['external_axis', titles.external],
      ...result.notes.map((note): Cell[] => ['note', note]),
    ],
  };
  const trend: ExportTable = {
    name: 'trend',
    columns: ['wave', 'internal_status', 'internal_score', 'external_score'],
    rows: result.trend.map((pt): Cell[] => {
      const hidden = pt.internal?.suppressed === true;
      const intScore = hidden ? null : scoreCell(pt.internal?.score, result.metric.internal);
      return [
        pt.wave,
        hidden ? 'hidden' : intScore === null ? 'no_data' : 'shown',
        intScore,
        scoreCell(pt.external?.score, result.metric.external),
      ];
    }),
  };
  const pc = (c: PearsonJson | null | undefined): Cell[] => [
    r2(c?.r),
    r2(c?.ci95?.[0]),
    r2(c?.ci95?.[1]),
    pCell(c?.p),
  ];
  const pairs: ExportTable = {
    name: 'pairs',
    columns: [
      'internal_wave',
      'external_wave',
      'n',
      'r',
      'ci_low',
      'ci_high',
      'p',
      'exploratory',
      'summary',
      'why',
    ],
    rows: result.pairs.map((p): Cell[] => [
      p.internalWave,
      p.externalWave,
      p.n,
      ...pc(p.pearson),
      yesNo(p.exploratory),
      p.summary,
      reasons(p.nullReasons, lang, 'pearson', 'pearson.ci95'),
    ]),
  };
  const panels: ExportTable = {
    name: 'panels',
    columns: ['panel', 'n', 'units', 'steiger_z', 'steiger_p', 'exploratory', 'summary', 'note'],
    rows: result.panels.map((panel): Cell[] => [
      `${panel.wave1} → ${panel.wave2}`,
      panel.n,
      panel.unitCodes.join(' '),
      r2(panel.crossLagged.steiger?.z),
      pCell(panel.crossLagged.steiger?.p),
      yesNo(panel.exploratory),
      panel.summary,
      panel.unitSetNote,
    ]),
  };
  const correlations: ExportTable = {
    name: 'panel correlations',
    columns: ['panel', 'correlation', 'r', 'ci_low', 'ci_high', 'p'],
    rows: result.panels.flatMap((panel): Cell[][] => {
      const name = `${panel.wave1} → ${panel.wave2}`;
      return [
        [fill(t.rowSync, { wave: panel.wave1 }), panel.synchronous.wave1],
        [fill(t.rowSync, { wave: panel.wave2 }), panel.synchronous.wave2],
        [t.rowStabilityInternal, panel.stability.internal],
        [t.rowStabilityExternal, panel.stability.external],
        [
          fill(t.rowInternalLeads, { w1: panel.wave1, w2: panel.wave2 }),
          panel.crossLagged.internalLeads,
        ],
        [
          fill(t.rowExternalLeads, { w1: panel.wave1, w2: panel.wave2 }),
          panel.crossLagged.externalLeads,
        ],
      ].map(([label, c]) => [name, label as string, ...pc(c as PearsonJson)]);
    }),
  };
  const regressions: ExportTable = {
    name: 'panel regressions',
    columns: ['panel', 'outcome', 'auto_beta', 'auto_p', 'cross_beta', 'cross_p', 'r2', 'why'],
    rows: result.panels.flatMap((panel): Cell[][] =>
      [
        { label: t.regExternal, reg: panel.regression.external, path: 'regression.external' },
        { label: t.regInternal, reg: panel.regression.internal, path: 'regression.internal' },
      ].map(({ label, reg, path }): Cell[] => [
        `${panel.wave1} → ${panel.wave2}`,
        label,
        r2(reg?.autoregressive.beta),
        pCell(reg?.autoregressive.p),
        r2(reg?.crossLagged.beta),
        pCell(reg?.crossLagged.p),
        r2(reg?.r2),
        reg ? null : reasons(panel.nullReasons, lang, path),
      ]),
    ),
  };
  return [options, trend, pairs, panels, correlations, regressions];
}

/** `/reports/linkage/drivers`: each internal question's r with the external score. */
export function driversTables(result: DriversResult, lang: Language): ExportTable[] {
  const t = reportStrings(lang);
  const options: ExportTable = {
    name: 'options',
    columns: ['field', 'value'],
    rows: [
      ['internal_campaign', campaignLabel(result.internal)],
      ['external_campaign', campaignLabel(result.external.campaign)],
      ['external_questions', result.external.questionKeys.join(' ')],
      ['metric', result.external.metric],
      ['internal_min_responses', result.internalMinResponses],
      ['external_min_responses', result.external.minResponses],
      ...result.notes.map((note): Cell[] => ['note', note]),
    ],
  };
  const drivers: ExportTable = {
    name: 'drivers',
    columns: ['question_key', 'question', 'n', 'r', 'ci_low', 'ci_high', 'p', 'p_adjusted', 'why'],
    rows: result.drivers.map((d): Cell[] => {
      const why =
        d.r === null
          ? d.n < 3
            ? (nullReason('tooFewUnits', { n: d.n, needed: 3 })?.[lang] ?? null)
            : t.driverNoVariation
          : null;
      return [
        d.questionKey,
        d.text[lang] || d.text.en || d.text.it || d.questionKey,
        d.n,
        r2(d.r),
        r2(d.ci95?.[0]),
        r2(d.ci95?.[1]),
        pCell(d.p),
        pCell(d.pAdjusted),
        why,
      ];
    }),
  };
  const skipped: ExportTable = {
    name: 'skipped',
    columns: ['question_key', 'reason'],
    rows: result.skipped.map((s): Cell[] => [s.questionKey, s.reason]),
  };
  return [options, drivers, skipped];
}

/** `/reports/campaigns/:id/service-map`: every provider, and every rater × provider cell. */
export function serviceMapTables(result: ServiceMapResult): ExportTable[] {
  const status = (c: { suppressed?: true; mean?: number } | undefined) =>
    c?.suppressed ? 'hidden' : c?.mean === undefined ? 'no_data' : 'shown';
  const providers: ExportTable = {
    name: 'providers',
    columns: ['unit_code', 'unit', 'status', 'n', 'mean', 'scale_min', 'scale_max'],
    rows: result.providers.map((p): Cell[] => {
      const s = status(p);
      const shown = s === 'shown';
      return [
        p.unitCode,
        p.unitName || p.unitCode,
        s,
        shown ? (p.n ?? 0) : null,
        shown ? fixed(p.mean, 2) : null,
        p.scale.min,
        p.scale.max,
      ];
    }),
  };
  const cellOf = new Map(
    result.cells.map((c) => [`${c.raterUnitCode}\u0000${c.providerUnitCode}`, c]),
  );
  const cells: ExportTable = {
    name: 'cells',
    columns: [
      'rater_unit_code',
      'rater_unit',
      'provider_unit_code',
      'provider_unit',
      'status',
      'n',
      'mean',
    ],
    rows: result.raters.flatMap((r) =>
      result.providers.map((p): Cell[] => {
        const c = cellOf.get(`${r.unitCode}\u0000${p.unitCode}`);
        const s = status(c);
        const shown = s === 'shown';
        return [
          r.unitCode,
          r.unitName || r.unitCode,
          p.unitCode,
          p.unitName || p.unitCode,
          s,
          shown ? (c?.n ?? 0) : null,
          shown ? fixed(c?.mean, 2) : null,
        ];
      }),
    ),
  };
  return [providers, cells];
}
