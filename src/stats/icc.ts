/**
 * Intraclass correlations. One-way ANOVA with units as groups gives the org-psych ICC(1)
 * (how much of an answer is due to the unit) and ICC(2) (reliability of the unit means), as in
 * Bliese (2000). The two-way Shrout & Fleiss (1979) family serves rating designs.
 */
import { completeRows, mean } from './descriptive.js';
import { fUpperTail } from './distributions.js';

export interface OneWayIcc {
  /** Units (groups) with at least one answer; empty groups are ignored. */
  groups: number;
  /** Answers over all units. */
  n: number;
  meanGroupSize: number;
  /** k0 = (N − Σn_j²/N)/(J − 1), the unbiased group size for unequal groups. */
  k0: number;
  msb: number;
  msw: number;
  /** F = MSB/MSW on (J − 1, N − J) df; null when MSW = 0 (infinite). */
  f: number | null;
  df1: number;
  df2: number;
  /** Upper-tail p of F, in (0, 1] (`Number.MIN_VALUE` when MSW = 0). */
  p: number;
  /** ICC(1) = (MSB − MSW)/(MSB + (k0 − 1)MSW): the k0 adjustment for unequal group sizes. */
  icc1: number;
  /** ICC(1) with the mean group size N/J instead of k0, as R's multilevel::ICC1. */
  icc1MeanGroupSize: number;
  /** ICC(2) = (MSB − MSW)/MSB = 1 − 1/F; null when MSB = 0. May be negative, as may ICC(1). */
  icc2: number | null;
}

/**
 * ICC(1) and ICC(2) from a one-way ANOVA of answers grouped by unit. Null when fewer than 2
 * non-empty groups, no group has 2 answers (N ≤ J), a value is not finite, or every answer is the
 * same (MSB = MSW = 0).
 */
export function iccOneWay(groups: readonly (readonly number[])[]): OneWayIcc | null {
  const used = groups.filter((g) => g.length > 0);
  const J = used.length;
  const all = used.flat();
  const N = all.length;
  if (J < 2 || N <= J) return null;
  const grand = mean(all);
  if (grand === null) return null;
  let ssb = 0;
  let ssw = 0;
  let sumSquaredSizes = 0;
  for (const g of used) {
    const m = mean(g);
    if (m === null) return null;
    ssb += g.length * (m - grand) ** 2;
    for (const v of g) ssw += (v - m) ** 2;
    sumSquaredSizes += g.length * g.length;
  }
  const df1 = J - 1;
  const df2 = N - J;
  const msb = ssb / df1;
  const msw = ssw / df2;
  if (!Number.isFinite(msb) || !Number.isFinite(msw) || (msb === 0 && msw === 0)) return null;
  const meanGroupSize = N / J;
  const k0 = (N - sumSquaredSizes / N) / df1;
  const f = msw === 0 ? null : msb / msw;
  const p = f === null ? Number.MIN_VALUE : fUpperTail(f, df1, df2);
  if (p === null) return null;
  return {
    groups: J,
    n: N,
    meanGroupSize,
    k0,
    msb,
    msw,
    f,
    df1,
    df2,
    p,
    icc1: (msb - msw) / (msb + (k0 - 1) * msw),
    icc1MeanGroupSize: (msb - msw) / (msb + (meanGroupSize - 1) * msw),
    icc2: msb === 0 ? null : (msb - msw) / msb,
  };
}

/** Shrout & Fleiss (1979) mean squares and ICCs; an ICC is null when its denominator is 0. */
export interface TwoWayIcc {
  /** Targets (rows) with every rating present. */
  n: number;
  /** Judges (columns). */
  k: number;
  /** Targets dropped for a missing rating. */
  dropped: number;
  /** Between-targets, within-target, between-judges and residual mean squares. */
  bms: number;
  wms: number;
  jms: number;
  ems: number;
  /** One-way random, single rater: (BMS − WMS)/(BMS + (k − 1)WMS). */
  icc11: number | null;
  /** Two-way random, absolute agreement, single rater. */
  icc21: number | null;
  /** Two-way mixed, consistency, single rater. */
  icc31: number | null;
  /** One-way random, mean of k raters: (BMS − WMS)/BMS. */
  icc1k: number | null;
  /** Two-way random, absolute agreement, mean of k raters. */
  icc2k: number | null;
  /** Two-way mixed, consistency, mean of k raters (= Cronbach's α). */
  icc3k: number | null;
}

function ratio(numerator: number, denominator: number): number | null {
  const r = numerator / denominator;
  return denominator !== 0 && Number.isFinite(r) ? r : null;
}

/**
 * The six Shrout–Fleiss ICCs of a targets × judges matrix (`ratings[target][judge]`), over the
 * targets rated by every judge. Null when rows differ in length, k < 2, fewer than 2 complete
 * targets remain, or every rating is identical.
 */
export function iccTwoWay(
  ratings: readonly (readonly (number | null | undefined)[])[],
): TwoWayIcc | null {
  const complete = completeRows(ratings);
  if (complete === null) return null;
  const { rows, width: k, dropped } = complete;
  const n = rows.length;
  if (k < 2 || n < 2) return null;
  const grand = mean(rows.flat());
  const rowMeans = rows.map(mean);
  const colMeans = Array.from({ length: k }, (_, j) => mean(rows.map((r) => r[j])));
  if (grand === null || rowMeans.includes(null) || colMeans.includes(null)) return null;
  const rm = rowMeans as number[];
  const cm = colMeans as number[];
  let ssRows = 0;
  let ssCols = 0;
  let ssWithin = 0;
  let ssError = 0;
  for (let i = 0; i < n; i++) ssRows += k * (rm[i] - grand) ** 2;
  for (let j = 0; j < k; j++) ssCols += n * (cm[j] - grand) ** 2;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      ssWithin += (rows[i][j] - rm[i]) ** 2;
      ssError += (rows[i][j] - rm[i] - cm[j] + grand) ** 2;
    }
  }
  const bms = ssRows / (n - 1);
  const wms = ssWithin / (n * (k - 1));
  const jms = ssCols / (k - 1);
  const ems = ssError / ((n - 1) * (k - 1));
  if (bms === 0 && wms === 0) return null;
  return {
    n,
    k,
    dropped,
    bms,
    wms,
    jms,
    ems,
    icc11: ratio(bms - wms, bms + (k - 1) * wms),
    icc21: ratio(bms - ems, bms + (k - 1) * ems + (k * (jms - ems)) / n),
    icc31: ratio(bms - ems, bms + (k - 1) * ems),
    icc1k: ratio(bms - wms, bms),
    icc2k: ratio(bms - ems, bms + (jms - ems) / n),
    icc3k: ratio(bms - ems, bms),
  };
}
