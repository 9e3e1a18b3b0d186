/**
 * Support for the statistics specs (src/stats/*.spec.ts): a relative-error assertion and the shape
 * of the reference fixtures (test/fixtures/stats-reference*.json, copies of ../shared/). It lives
 * under test/ so that it never compiles into dist/; it throws a plain Error instead of using
 * jest's `expect`, so it needs no test globals.
 */

/**
 * Asserts |actual − expected| ≤ tolerance·max(|expected|, floor): a relative error, with an
 * absolute floor so that values at or near 0 are compared sensibly.
 */
export function expectClose(
  actual: number | null | undefined,
  expected: number,
  tolerance = 1e-9,
  floor = 1e-12,
): void {
  if (typeof actual !== 'number' || !Number.isFinite(actual)) {
    throw new Error(`expected a finite number close to ${expected}, received ${actual}`);
  }
  const scale = Math.max(Math.abs(expected), floor);
  const error = Math.abs(actual - expected) / scale;
  if (!(error <= tolerance)) {
    throw new Error(
      `expected ${expected} (relative tolerance ${tolerance}), received ${actual}: relative error ${error}`,
    );
  }
}

/** expectClose over two arrays of the same length. */
export function expectAllClose(
  actual: readonly (number | null | undefined)[] | null | undefined,
  expected: readonly number[],
  tolerance = 1e-9,
): void {
  if (!actual || actual.length !== expected.length) {
    throw new Error(`expected ${expected.length} values, received ${actual?.length ?? actual}`);
  }
  actual.forEach((a, i) => expectClose(a, expected[i], tolerance));
}

export const REFERENCE_URL = new URL('../fixtures/stats-reference.json', import.meta.url);
export const BCA_REFERENCE_URL = new URL('../fixtures/stats-reference-bca.json', import.meta.url);
export const CHANGE_REFERENCE_URL = new URL(
  '../fixtures/stats-reference-change.json',
  import.meta.url,
);

type Pair = [number, number];

export interface AnscombeSet {
  n: number;
  r: number;
  t: number;
  df: number;
  p_two_sided: number;
  fisher95: Pair;
  x: number[];
  y: number[];
  spearman_rho: number;
  spearman_p_tapprox: number;
  kendall_tau_b: number;
  kendall_p_asymptotic: number;
}

export interface PearsonReference {
  n: number;
  r: number;
  t: number;
  df: number;
  p_two_sided: number;
  fisher95: Pair;
}

export interface NpsReference {
  promoters: number;
  passives: number;
  detractors: number;
  nps: number;
  se: number;
  wald95: Pair;
}

export interface StatsReference {
  anscombe: Record<'I' | 'II' | 'III' | 'IV', AnscombeSet>;
  spearman_ties_scipy_docs: {
    x: number[];
    y: number[];
    rho: number;
    p_tapprox: number;
    ranks_y: number[];
    wrong_no_ties_formula: number;
  };
  kendall_ties_scipy_docs: {
    x: number[];
    y: number[];
    tau_b: number;
    p_asymptotic: number;
    S: number;
    varS: number;
    z: number;
  };
  hollander_wolfe_tuna: {
    x: number[];
    y: number[];
    pearson: PearsonReference;
    kendall_tau: number;
    kendall_S: number;
    kendall_T_concordant: number;
    kendall_p_greater_exact: number;
    kendall_p_greater_asymptotic: number;
    spearman_rho: number;
    spearman_S_sum_d2: number;
    spearman_p_greater_exact: number;
    spearman_p_greater_tapprox: number;
  };
  stdlib_pcorrtest_docs: {
    x: number[];
    y: number[];
    r: number;
    t: number;
    p: number;
    fisher95: Pair;
  };
  law_school: PearsonReference & { x: number[]; y: number[]; jackknife_acceleration: number };
  shrout_fleiss_1979: {
    ratings_targets_by_judges: number[][];
    BMS: number;
    WMS: number;
    JMS: number;
    EMS: number;
    ICC_1_1: number;
    ICC_2_1: number;
    ICC_3_1: number;
    ICC_1_k: number;
    ICC_2_k: number;
    ICC_3_k: number;
    cronbach_alpha_judges_as_items: number;
    published_2dp: Record<string, number>;
  };
  icc_unequal_groups: {
    groups: Record<'A' | 'B' | 'C' | 'D' | 'E', number[]>;
    MSB: number;
    MSW: number;
    F: number;
    df: Pair;
    p: number;
    ICC1_mean_group_size: number;
    ICC1_k0: number;
    k0: number;
    ICC2: number;
    rwg_5pt: Record<'A' | 'B' | 'C' | 'D' | 'E', number>;
  };
  wilson95: Record<string, Pair | string>;
  benjamini_hochberg_1995: {
    p: number[];
    bh_adjusted: number[];
    by_adjusted: number[];
    rejections_q05: number;
    bonferroni_rejections: number;
  };
  nps: NpsReference[];
  weighted_and_partial: {
    x: number[];
    y: number[];
    w: number[];
    weighted_r: number;
    unweighted_r: number;
    kish_neff: number;
    partial_r_controlling_w: number;
    partial_t: number;
    partial_df: number;
    partial_p: number;
  };
  dependent_nonoverlap_cocor_example: {
    r_jk: number;
    r_hm: number;
    r_jh: number;
    r_jm: number;
    r_kh: number;
    r_km: number;
    n: number;
    pearson1898_z: number;
    dunn1969_z: number;
    steiger1980_z: number;
    raghunathan1996_z: number;
  };
  cronbach_small: { items: number[][]; alpha: number; rwgJ_5pt: number };
}

export interface BcaReference {
  x: number[];
  y: number[];
  theta_hat: number;
  jackknife: number[];
  boot_replicates: number[];
  expected: {
    z0: number;
    a: number;
    alpha1: number;
    alpha2: number;
    bca_low: number;
    bca_high: number;
    percentile_low: number;
    percentile_high: number;
  };
}
