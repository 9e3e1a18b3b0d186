/**
 * The statistics block of a linkage result, from the unit scores. Pure; every statistic comes from
 * src/stats. Convention: a statistic that is undefined (n < 3, a side without variation) is `null`
 * as a whole object; inside a defined object only `ci95` (n = 3: no Fisher interval) and
 * `weighted.p` may be null. Every null comes with its reason in `nullReasons`, keyed by its path.
 */
import {
  kendall,
  linearRegression,
  partialCorrelation,
  pearson,
  pearsonR,
  spearman,
  weightedPearson,
  type CorrelationTest,
} from '../stats/index.js';
import { nullReason, type NullReason } from './linkage-summary.js';

export interface PearsonJson {
  r: number;
  /** Fisher-z 95 % interval; null when n < 4. */
  ci95: [number, number] | null;
  /** Two-sided, t distribution with n − 2 df. */
  p: number;
}

export interface SpearmanJson {
  rho: number;
  /**
   * Two-sided. As R's cor.test: the exact permutation distribution of Σd² without ties up to 10
   * units (and for ρ = ±1 at any n), else the t approximation with n − 2 df.
   */
  p: number;
  /** Which of the two `p` comes from. */
  method: 'exact' | 'asymptotic';
}

export interface KendallJson {
  /** τ-b. */
  tau: number;
  /** Two-sided, normal approximation with the tie-corrected variance. */
  p: number;
}

export interface RegressionJson {
  /** external = intercept + slope · internal (OLS). */
  slope: number;
  intercept: number;
  r2: number | null;
}

export interface WeightedJson {
  /** Pearson r with unit weights = harmonic mean of the internal and external n. */
  r: number;
  /** Kish's effective number of units (Σw)²/Σw². */
  effectiveN: number;
  /** Approximate t test on effectiveN − 2 df; null when effectiveN ≤ 3. */
  p: number | null;
}

export interface PartialJson {
  /** r controlling for ln of the geometric mean of the two respondent counts. */
  r: number;
  ci95: [number, number] | null;
  p: number;
}

/**
 * Why a statistic is null, keyed by its path in the response (`partial`, `pearson.ci95`,
 * `weighted.p`, …): one entry for every null statistic, none for the others.
 */
export type NullReasons = Record<string, NullReason>;

export interface AssociationJson {
  pearson: PearsonJson | null;
  spearman: SpearmanJson | null;
  kendall: KendallJson | null;
  regression: RegressionJson | null;
  weighted: WeightedJson | null;
  partial: PartialJson | null;
  nullReasons: NullReasons;
}

export interface PairedUnit {
  /** Internal score (x). */
  x: number;
  /** External score (y). */
  y: number;
  /** Internal and external respondent counts. */
  nx: number;
  ny: number;
}

export function pearsonJson(test: CorrelationTest | null): PearsonJson | null {
  if (!test) return null;
  return { r: test.r, ci95: test.ci ? [test.ci.lower, test.ci.upper] : null, p: test.p };
}

/** Every statistic of the linkage over the kept units (x = internal, y = external). */
export function association(units: readonly PairedUnit[]): AssociationJson {
  const x = units.map((u) => u.x);
  const y = units.map((u) => u.y);
  const rho = spearman(x, y, { method: 'auto' });
  const tau = kendall(x, y);
  const line = linearRegression(x, y);
  const weights = units.map((u) => (2 * u.nx * u.ny) / (u.nx + u.ny));
  const w = weightedPearson(x, y, weights);
  const size = units.map((u) => (Math.log(u.nx) + Math.log(u.ny)) / 2);
  const part = partialCorrelation(x, y, size);
  const r = pearson(x, y);
  const stats: Omit<AssociationJson, 'nullReasons'> = {
    pearson: pearsonJson(r),
    spearman: rho && rho.p !== null ? { rho: rho.rho, p: rho.p, method: rho.method } : null,
    kendall: tau && tau.p !== null ? { tau: tau.tauB, p: tau.p } : null,
    // A line through points of which one side does not vary is not a relationship: null with r.
    regression:
      line && r ? { slope: line.slope, intercept: line.intercept, r2: line.rSquared } : null,
    weighted: w ? { r: w.r, effectiveN: w.effectiveN, p: w.p } : null,
    partial: part
      ? { r: part.r, ci95: part.ci ? [part.ci.lower, part.ci.upper] : null, p: part.p }
      : null,
  };
  return { ...stats, nullReasons: associationNullReasons(units, stats, size) };
}

/** One reason per null statistic of `association` (the size covariate is passed in). */
function associationNullReasons(
  units: readonly PairedUnit[],
  stats: Omit<AssociationJson, 'nullReasons'>,
  size: readonly number[],
): NullReasons {
  const n = units.length;
  const out: NullReasons = {};
  const flat = constantSide(units);
  const whole = ['pearson', 'spearman', 'kendall', 'regression', 'weighted'] as const;
  for (const key of whole) {
    if (stats[key] !== null) continue;
    out[key] =
      n < 3
        ? nullReason('tooFewUnits', { n, needed: 3 })
        : flat
          ? nullReason('noVariation', { side: flat })
          : nullReason('notComputable');
  }
  if (stats.partial === null) {
    const inLine = (values: number[]) => Math.abs(pearsonR(values, size) ?? 0) === 1;
    out.partial =
      n < 4
        ? nullReason('tooFewUnits', { n, needed: 4 })
        : flat
          ? nullReason('noVariation', { side: flat })
          : size.every((v) => v === size[0])
            ? nullReason('equalSizes')
            : inLine(units.map((u) => u.x)) || inLine(units.map((u) => u.y))
              ? nullReason('sizeInLine')
              : nullReason('notComputable');
  } else if (stats.partial.ci95 === null) {
    out['partial.ci95'] = nullReason('noInterval', { n, needed: 5 });
  }
  if (stats.pearson && stats.pearson.ci95 === null) {
    out['pearson.ci95'] = nullReason('noInterval', { n, needed: 4 });
  }
  if (stats.weighted && stats.weighted.p === null) {
    out['weighted.p'] = nullReason('tooFewEffectiveUnits', {
      effectiveN: stats.weighted.effectiveN,
    });
  }
  return out;
}

/**
 * Why a Pearson r over `units` (or its interval) is null: too few units, one side without
 * variation, or not computable. Empty when nothing is null. For the waves' pairs and the drivers.
 */
export function pearsonNullReasons(
  units: readonly PairedUnit[],
  json: { ci95: [number, number] | null } | null,
): NullReasons {
  const n = units.length;
  if (json) return json.ci95 ? {} : { 'pearson.ci95': nullReason('noInterval', { n, needed: 4 }) };
  const flat = constantSide(units);
  return {
    pearson:
      n < 3
        ? nullReason('tooFewUnits', { n, needed: 3 })
        : flat
          ? nullReason('noVariation', { side: flat })
          : nullReason('notComputable'),
  };
}

/** Which side has no variation across the units (for the summary), if any. */
export function constantSide(units: readonly PairedUnit[]): 'internal' | 'external' | null {
  if (units.length < 2) return null;
  if (units.every((u) => u.x === units[0].x)) return 'internal';
  if (units.every((u) => u.y === units[0].y)) return 'external';
  return null;
}
