/**
 * The linkage's methods appendix: every statistic recomputed from the released per-unit table
 * alone (so an analyst holding that table reproduces the linkage with any statistics package),
 * the thresholds applied and why units were left out. Pure: no Nest, no database.
 *
 * The statistics are the same src/stats calls as `association` in linkage-stats.ts, on the same
 * table, with the test statistics and degrees of freedom the linkage response leaves out.
 */
import type { Language } from '../domain/language.js';
import {
  kendall,
  linearRegression,
  partialCorrelation,
  pearson,
  spearman,
  SPEARMAN_EXACT_MAX_N,
  weightedPearson,
} from '../stats/index.js';
import { MIN_UNITS } from './linkage-readiness.js';
import { EXPLORATORY_BELOW, exclusionReasons, TOO_FEW_BELOW } from './linkage-summary.js';
import type { LinkageResult, LinkageSide, Perspective } from './linkage.dto.js';

/** The confidence level of every interval of the linkage. */
export const CONFIDENCE_LEVEL = 0.95;

/** One row of the released per-unit table, exactly as the linkage computes on it. */
export interface MethodsUnitRow {
  unitCode: string;
  unitName: string;
  /** x: the internal score (metric of the internal side). */
  internalScore: number;
  /** Internal respondents behind the score; released by the campaign's release decision (≥ k). */
  internalN: number;
  /** y: the external score. */
  externalScore: number;
  externalN: number;
}

export interface MethodsPearson {
  r: number;
  /** t = r·√(df/(1 − r²)); null when |r| = 1. */
  t: number | null;
  df: number;
  p: number;
  ci95: [number, number] | null;
}

export interface MethodsSpearman {
  rho: number;
  /** Σd² over the mid-ranks. */
  sumSquaredRankDifferences: number;
  t: number | null;
  df: number;
  p: number;
  method: 'exact' | 'asymptotic';
}

export interface MethodsKendall {
  tauB: number;
  /** S = concordant − discordant pairs. */
  s: number;
  /** Tie-corrected variance of S. */
  varS: number;
  /** z = S/√var(S) (no continuity correction). */
  z: number;
  p: number;
}

export interface MethodsRegression {
  slope: number;
  intercept: number;
  r2: number | null;
}

export interface MethodsWeighted {
  r: number;
  effectiveN: number;
  t: number | null;
  /** effectiveN − 2; null with p when effectiveN ≤ 3. */
  df: number | null;
  p: number | null;
}

export interface MethodsPartial {
  r: number;
  t: number | null;
  df: number;
  p: number;
  ci95: [number, number] | null;
}

/** Every statistic of the linkage, with its test statistic and degrees of freedom. */
export interface MethodsStatistics {
  /** Units paired. */
  n: number;
  pearson: MethodsPearson | null;
  spearman: MethodsSpearman | null;
  kendall: MethodsKendall | null;
  regression: MethodsRegression | null;
  weighted: MethodsWeighted | null;
  partial: MethodsPartial | null;
}

const interval = (ci: { lower: number; upper: number } | null): [number, number] | null =>
  ci ? [ci.lower, ci.upper] : null;

/** The unit weight of the weighted r: the harmonic mean of the two respondent counts. */
export const unitWeight = (u: Pick<MethodsUnitRow, 'internalN' | 'externalN'>) =>
  (2 * u.internalN * u.externalN) / (u.internalN + u.externalN);

/** The size covariate of the partial r: ln of the geometric mean of the two respondent counts. */
export const unitSize = (u: Pick<MethodsUnitRow, 'internalN' | 'externalN'>) =>
  (Math.log(u.internalN) + Math.log(u.externalN)) / 2;

/**
 * Every statistic of the linkage from the per-unit table (x = internal, y = external), by the same
 * src/stats calls and null rules as `association`: a statistic that is undefined is null.
 */
export function methodsStatistics(rows: readonly MethodsUnitRow[]): MethodsStatistics {
  const x = rows.map((u) => u.internalScore);
  const y = rows.map((u) => u.externalScore);
  const r = pearson(x, y);
  const rho = spearman(x, y, { method: 'auto' });
  const tau = kendall(x, y);
  const line = linearRegression(x, y);
  const w = weightedPearson(x, y, rows.map(unitWeight));
  const part = partialCorrelation(x, y, rows.map(unitSize));
  return {
    n: rows.length,
    pearson: r ? { r: r.r, t: r.t, df: r.df, p: r.p, ci95: interval(r.ci) } : null,
    spearman:
      rho && rho.p !== null
        ? {
            rho: rho.rho,
            sumSquaredRankDifferences: rho.sumSquaredRankDifferences,
            t: rho.t,
            df: rho.df,
            p: rho.p,
            method: rho.method,
          }
        : null,
    kendall:
      tau && tau.p !== null
        ? { tauB: tau.tauB, s: tau.s, varS: tau.varS, z: tau.z, p: tau.p }
        : null,
    // As the linkage: no line when one side does not vary (r undefined).
    regression:
      line && r ? { slope: line.slope, intercept: line.intercept, r2: line.rSquared } : null,
    weighted: w ? { r: w.r, effectiveN: w.effectiveN, t: w.t, df: w.df, p: w.p } : null,
    partial: part
      ? { r: part.r, t: part.t, df: part.df, p: part.p, ci95: interval(part.ci) }
      : null,
  };
}

/** The released per-unit table of a linkage result: its kept units, nothing else. */
export function methodsTable(result: Pick<LinkageResult, 'units'>): MethodsUnitRow[] {
  return result.units.map((u) => ({
    unitCode: u.unitCode,
    unitName: u.unitName,
    internalScore: u.internal.score,
    internalN: u.internal.n,
    externalScore: u.external.score,
    externalN: u.external.n,
  }));
}

export type ExclusionCode =
  | 'notReleased'
  | 'noInternal'
  | 'hidden'
  | 'fewInternal'
  | 'noExternal'
  | 'fewExternal'
  | 'noScore';

export const EXCLUSION_CODES: readonly ExclusionCode[] = [
  'notReleased',
  'noInternal',
  'hidden',
  'fewInternal',
  'noExternal',
  'fewExternal',
  'noScore',
];

/** The codes of one excluded unit's reason text (the pairing joins its reasons with "; "). */
export function exclusionCodes(reason: string, lang: Language): ExclusionCode[] {
  const say = exclusionReasons(lang);
  const fewInternal = say.fewInternal(0, 0).split('=')[0];
  const fewExternal = say.fewExternal(0, 0).split('=')[0];
  return reason.split('; ').map((part): ExclusionCode => {
    if (part === say.notReleased) return 'notReleased';
    if (part === say.noInternal) return 'noInternal';
    if (part === say.hidden) return 'hidden';
    if (part === say.noExternal) return 'noExternal';
    if (part.startsWith(`${fewInternal}=`)) return 'fewInternal';
    if (part.startsWith(`${fewExternal}=`)) return 'fewExternal';
    return 'noScore';
  });
}

/** How many units each reason left out (a unit may have two reasons); only reasons that occur. */
export function exclusionCounts(
  excluded: LinkageResult['excluded'],
  lang: Language,
): Array<{ code: ExclusionCode; units: number }> {
  const counts = new Map<ExclusionCode, number>();
  for (const e of excluded) {
    for (const code of new Set(exclusionCodes(e.reason, lang))) {
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  return EXCLUSION_CODES.filter((c) => counts.has(c)).map((code) => ({
    code,
    units: counts.get(code) ?? 0,
  }));
}

/** Every threshold the linkage applied. */
export interface MethodsThresholds {
  /** MIN_GROUP_SIZE: the anonymity threshold of the release decision. */
  minGroupSize: number;
  /** Least internal respondents per unit: max(k, minResponses). */
  internalMinResponses: number;
  /** Least external respondents per unit: minResponses (default k). */
  externalMinResponses: number;
  confidenceLevel: number;
  /** Units needed for a correlation (r, ρ, τ, the line, the weighted r). */
  minUnitsForStatistics: number;
  /** Units needed for the Fisher-z interval of r. */
  minUnitsForInterval: number;
  /** Units needed for the partial r, and for its interval. */
  minUnitsForPartial: number;
  minUnitsForPartialInterval: number;
  /** Spearman's p is exact up to this many units without ties. */
  spearmanExactMaxN: number;
  /** Fewer kept units: the result is labelled exploratory. */
  exploratoryBelow: number;
  /** Fewer kept units: the summary says they are too few to conclude. */
  tooFewToConcludeBelow: number;
  /** Fewer kept units: the page shows no chart and no statistics, only what to do. */
  chartFromUnits: number;
}

export function methodsThresholds(result: LinkageResult, k: number): MethodsThresholds {
  return {
    minGroupSize: k,
    internalMinResponses: result.internal.minResponses,
    externalMinResponses: result.external.minResponses,
    confidenceLevel: CONFIDENCE_LEVEL,
    minUnitsForStatistics: 3,
    minUnitsForInterval: 4,
    minUnitsForPartial: 4,
    minUnitsForPartialInterval: 5,
    spearmanExactMaxN: SPEARMAN_EXACT_MAX_N,
    exploratoryBelow: EXPLORATORY_BELOW,
    tooFewToConcludeBelow: TOO_FEW_BELOW,
    chartFromUnits: MIN_UNITS,
  };
}

/** GET /api/linkage/methods: definitions, thresholds, the per-unit table and the results. */
export interface MethodsResult {
  internal: LinkageSide;
  external: LinkageSide;
  perspective: Perspective;
  /** Roll-up depth, null for none. */
  level: number | null;
  thresholds: MethodsThresholds;
  /** Units kept (rows of `units`). */
  n: number;
  /** Units with answers on either side (kept + excluded). */
  unitsWithData: number;
  /** The released per-unit table the statistics are computed on, ordered by unit code. */
  units: MethodsUnitRow[];
  excluded: {
    /** Units left out. */
    units: number;
    /** Units left out per reason (a unit can have two reasons). */
    byReason: Array<{ code: ExclusionCode; reason: string; units: number }>;
    /** Each unit left out, with its reasons as the linkage states them (never an internal count below k). */
    list: LinkageResult['excluded'];
  };
  statistics: MethodsStatistics;
  /** Why a statistic is null, as in GET /api/linkage. */
  nullReasons: LinkageResult['nullReasons'];
  exploratory: boolean;
  summary: string;
  notes: string[];
  /** What every number means, in English: id, term, definition. */
  definitions: Array<{ id: string; term: string; definition: string }>;
  /** The same computation in R, on the CSV download (`/reports/linkage/methods.csv`). */
  reproduceInR: string;
}
