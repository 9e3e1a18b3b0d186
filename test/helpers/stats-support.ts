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

// --- independent formulas ------------------------------------------------------------------------
// Plain textbook implementations, sharing no code with src/stats, for the tests that recompute a
// result from the released per-unit table (test/e2e/linkage-methods.e2e-spec.ts).

/** ln Γ(x), x > 0: Lanczos (g = 7, 9 terms), with the reflection formula below 0.5. */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 4e-16) return h;
  }
  throw new Error('incomplete beta: no convergence');
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (![x, a, b].every(Number.isFinite)) return Number.NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** Two-sided p of Student's t with `df` (real) degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function tTwoSidedP(t: number, df: number): number {
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The regularized upper incomplete gamma Q(a, x): series below a + 1, continued fraction above. */
export function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - front * sum;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 4e-16) break;
  }
  return front * h;
}

/** Two-sided p of a standard normal z: erfc(|z|/√2) = Q(1/2, z²/2). */
export function normalTwoSidedP(z: number): number {
  return upperGamma(0.5, (z * z) / 2);
}

/** The standard normal quantile of `prob` (> 0.5) by bisection on the two-sided p. */
export function normalQuantile(prob: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (1 - normalTwoSidedP(mid) / 2 < prob) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
const avg = (v: readonly number[]) => sum(v) / v.length;

/** Pearson's r by the definition. */
export function plainPearson(x: readonly number[], y: readonly number[]): number {
  const mx = avg(x);
  const my = avg(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Mid-ranks 1…n (ties share the mean of their ranks), by counting. */
export function plainRanks(v: readonly number[]): number[] {
  return v.map((a) => {
    const below = v.filter((b) => b < a).length;
    const equal = v.filter((b) => b === a).length;
    return below + (equal + 1) / 2;
  });
}

/**
 * Exact two-sided p of Spearman's S = Σd² for n untied pairs, by visiting all n! permutations
 * (Heap's algorithm): twice the tail on the observed side of the mean (n³ − n)/6, at most 1.
 */
export function spearmanExactTwoSided(s: number, n: number): number {
  const perm = Array.from({ length: n }, (_, i) => i + 1);
  const mean = (n * n * n - n) / 6;
  let total = 0;
  let tail = 0;
  const visit = () => {
    let d2 = 0;
    for (let i = 0; i < n; i++) d2 += (i + 1 - perm[i]) ** 2;
    total++;
    if (s <= mean ? d2 <= s + 1e-9 : d2 >= s - 1e-9) tail++;
  };
  const c = new Array<number>(n).fill(0);
  visit();
  for (let i = 1; i < n;) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      [perm[j], perm[i]] = [perm[i], perm[j]];
      visit();
      c[i]++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return Math.min(1, (2 * tail) / total);
}

/** Kendall's τ-b with S, the tie-corrected var(S), z and its two-sided normal p, by all pairs. */
export function plainKendall(x: readonly number[], y: readonly number[]) {
  const n = x.length;
  let s = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[j] - x[i]);
      const dy = Math.sign(y[j] - y[i]);
      s += dx * dy;
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const groups = (v: readonly number[]) => {
    const counts = new Map<number, number>();
    for (const a of v) counts.set(a, (counts.get(a) ?? 0) + 1);
    return [...counts.values()].filter((t) => t > 1);
  };
  const gx = groups(x);
  const gy = groups(y);
  const v0 = n * (n - 1) * (2 * n + 5);
  const vt = sum(gx.map((t) => t * (t - 1) * (2 * t + 5)));
  const vu = sum(gy.map((u) => u * (u - 1) * (2 * u + 5)));
  const v1 = sum(gx.map((t) => t * (t - 1))) * sum(gy.map((u) => u * (u - 1)));
  const v2 = sum(gx.map((t) => t * (t - 1) * (t - 2))) * sum(gy.map((u) => u * (u - 1) * (u - 2)));
  const varS = (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + v2 / (9 * n * (n - 1) * (n - 2));
  const z = s / Math.sqrt(varS);
  return {
    tauB: s / Math.sqrt((n0 - tiesX) * (n0 - tiesY)),
    s,
    varS,
    z,
    p: normalTwoSidedP(z),
  };
}

/** Residuals of the least-squares line v ~ z. */
function residuals(v: readonly number[], z: readonly number[]): number[] {
  const mz = avg(z);
  const mv = avg(v);
  let szv = 0;
  let szz = 0;
  for (let i = 0; i < v.length; i++) {
    szv += (z[i] - mz) * (v[i] - mv);
    szz += (z[i] - mz) ** 2;
  }
  const slope = szv / szz;
  return v.map((vi, i) => vi - mv - slope * (z[i] - mz));
}

/** The textbook linkage statistics of a per-unit table (x, y and the two respondent counts). */
export function plainLinkageStatistics(
  rows: ReadonlyArray<{ x: number; y: number; nx: number; ny: number }>,
) {
  const x = rows.map((r) => r.x);
  const y = rows.map((r) => r.y);
  const n = rows.length;
  const z975 = normalQuantile(0.975);
  const fisher = (r: number, se: number): [number, number] => [
    Math.tanh(Math.atanh(r) - z975 * se),
    Math.tanh(Math.atanh(r) + z975 * se),
  ];
  const tOf = (r: number, df: number) => r * Math.sqrt(df / (1 - r * r));

  const r = plainPearson(x, y);
  const t = tOf(r, n - 2);
  const rho = plainPearson(plainRanks(x), plainRanks(y));
  const untied = new Set(x).size === n && new Set(y).size === n;
  const exact = untied && n <= 10;
  const d2 = sum(plainRanks(x).map((rx, i) => (rx - plainRanks(y)[i]) ** 2));

  const mx = avg(x);
  const my = avg(y);
  const slope = sum(x.map((xi, i) => (xi - mx) * (y[i] - my))) / sum(x.map((xi) => (xi - mx) ** 2));

  const w = rows.map((u) => (2 * u.nx * u.ny) / (u.nx + u.ny));
  const sw = sum(w);
  const wmx = sum(w.map((wi, i) => wi * x[i])) / sw;
  const wmy = sum(w.map((wi, i) => wi * y[i])) / sw;
  const rw =
    sum(w.map((wi, i) => wi * (x[i] - wmx) * (y[i] - wmy))) /
    Math.sqrt(
      sum(w.map((wi, i) => wi * (x[i] - wmx) ** 2)) * sum(w.map((wi, i) => wi * (y[i] - wmy) ** 2)),
    );
  const effectiveN = (sw * sw) / sum(w.map((wi) => wi * wi));

  const size = rows.map((u) => Math.log(Math.sqrt(u.nx * u.ny)));
  const rp = plainPearson(residuals(x, size), residuals(y, size));

  return {
    n,
    pearson: { r, t, df: n - 2, p: tTwoSidedP(t, n - 2), ci95: fisher(r, 1 / Math.sqrt(n - 3)) },
    spearman: {
      rho,
      sumSquaredRankDifferences: d2,
      method: exact ? ('exact' as const) : ('asymptotic' as const),
      p: exact ? spearmanExactTwoSided(d2, n) : tTwoSidedP(tOf(rho, n - 2), n - 2),
    },
    kendall: plainKendall(x, y),
    regression: { slope, intercept: my - slope * mx, r2: r * r },
    weighted: {
      r: rw,
      effectiveN,
      p: tTwoSidedP(tOf(rw, effectiveN - 2), effectiveN - 2),
    },
    partial: {
      r: rp,
      df: n - 3,
      p: tTwoSidedP(tOf(rp, n - 3), n - 3),
      ci95: fisher(rp, 1 / Math.sqrt(n - 4)),
    },
  };
}
