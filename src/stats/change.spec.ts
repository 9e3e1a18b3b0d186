import { readFileSync } from 'node:fs';
import {
  includesZero,
  momentsFromCounts,
  newcombeDifference,
  npsDifference,
  welchDifference,
  type SampleMoments,
} from './change.js';
import { tQuantile } from './distributions.js';
import { variance } from './descriptive.js';
import { CHANGE_REFERENCE_URL, expectClose } from '../../test/helpers/stats-support.js';

interface WelchRow {
  a?: number[];
  b?: number[];
  counts?: [number[], number[]];
  difference: number;
  se: number;
  df: number;
  t: number;
  p: number;
  ci95: [number, number];
}
interface ChangeReference {
  welch: WelchRow[];
  t_quantile: Array<{ p: number; df: number; t: number }>;
  nps_difference: Array<{
    a: [number, number, number];
    b: [number, number, number];
    difference: number;
    se: number;
    wald95: [number, number];
  }>;
  newcombe10: Array<{
    x1: number;
    n1: number;
    x2: number;
    n2: number;
    difference: number;
    ci95: [number, number];
  }>;
}

const ref = JSON.parse(readFileSync(CHANGE_REFERENCE_URL, 'utf8')) as ChangeReference;

const fromValues = (values: number[]): SampleMoments => ({
  n: values.length,
  mean: values.reduce((s, v) => s + v, 0) / values.length,
  variance: variance(values),
});
const fromScale = (counts: number[]) =>
  momentsFromCounts(new Map(counts.map((c, i) => [i + 1, c])))!;

describe('tQuantile', () => {
  it.each(ref.t_quantile.map((r) => [r.p, r.df, r] as const))(
    'p = %s, df = %s matches scipy',
    (_p, _df, r) => expectClose(tQuantile(r.p, r.df), r.t, 1e-9),
  );
  it('refuses p outside (0, 1) and df ≤ 0', () => {
    expect(tQuantile(0, 5)).toBeNull();
    expect(tQuantile(1, 5)).toBeNull();
    expect(tQuantile(0.5, 0)).toBeNull();
    expect(tQuantile(0.5, 3)).toBe(0);
  });
});

describe('welchDifference — reference values', () => {
  it.each(ref.welch.map((r, i) => [i, r] as const))('case %s', (_, r) => {
    const [a, b] = r.a && r.b ? [fromValues(r.a), fromValues(r.b)] : r.counts!.map(fromScale);
    const d = welchDifference(a, b)!;
    expectClose(d.difference, r.difference);
    expectClose(d.se, r.se);
    expectClose(d.df, r.df);
    expectClose(d.t, r.t);
    expectClose(d.p, r.p, 1e-8);
    expectClose(d.ci.lower, r.ci95[0]);
    expectClose(d.ci.upper, r.ci95[1]);
  });

  it("reproduces R's published sleep example to its printed digits", () => {
    const d = welchDifference(fromValues(ref.welch[0].a!), fromValues(ref.welch[0].b!))!;
    expect(d.t.toFixed(4)).toBe('-1.8608');
    expect(d.df.toFixed(3)).toBe('17.776');
    expect(d.ci.lower.toFixed(7)).toBe('-3.3654832');
    expect(d.ci.upper.toFixed(7)).toBe('0.2054832');
  });

  it('is null for n < 2 on a side or no variation on both sides', () => {
    expect(welchDifference(fromScale([1]), fromScale([1, 2, 3]))).toBeNull();
    expect(welchDifference(fromScale([0, 0, 5]), fromScale([0, 4]))).toBeNull();
    // One constant side is fine: the other carries the variance.
    expect(welchDifference(fromScale([0, 0, 5]), fromScale([1, 2, 3]))).not.toBeNull();
  });
});

describe('momentsFromCounts', () => {
  it('equals the two-pass variance of the expanded answers', () => {
    const m = fromScale([2, 3, 10, 20, 15]);
    const values = [2, 3, 10, 20, 15].flatMap((c, i) => Array<number>(c).fill(i + 1));
    expect(m.n).toBe(50);
    expectClose(m.mean, 3.86);
    expectClose(m.variance!, variance(values)!);
  });
  it('is null without answers or with a bad count', () => {
    expect(momentsFromCounts(new Map())).toBeNull();
    expect(momentsFromCounts(new Map([[1, -1]]))).toBeNull();
    expect(momentsFromCounts(new Map([[3, 1]]))).toEqual({ n: 1, mean: 3, variance: null });
  });
});

describe('npsDifference — formula 2.13, SEs combined', () => {
  it.each(ref.nps_difference.map((r) => [`${r.a.join('/')} − ${r.b.join('/')}`, r] as const))(
    '%s',
    (_, r) => {
      const count = ([promoters, passives, detractors]: number[]) => ({
        promoters,
        passives,
        detractors,
      });
      const d = npsDifference(count(r.a), count(r.b))!;
      expectClose(d.difference, r.difference, 1e-9, 1e-9);
      expectClose(d.se, r.se);
      expectClose(d.ci.lower, r.wald95[0], 1e-9, 1e-9);
      expectClose(d.ci.upper, r.wald95[1], 1e-9, 1e-9);
    },
  );
  it('is null without answers or with both sides degenerate', () => {
    const all = { promoters: 5, passives: 0, detractors: 0 };
    expect(npsDifference(all, all)).toBeNull();
    expect(npsDifference(all, { promoters: 0, passives: 0, detractors: 0 })).toBeNull();
  });
});

describe('newcombeDifference — Newcombe (1998) method 10', () => {
  it.each(ref.newcombe10.map((r) => [`${r.x1}/${r.n1} − ${r.x2}/${r.n2}`, r] as const))(
    '%s',
    (_, r) => {
      const d = newcombeDifference(r.x1, r.n1, r.x2, r.n2)!;
      expectClose(d.difference, r.difference, 1e-9, 1e-9);
      expectClose(d.ci.lower, r.ci95[0], 1e-9, 1e-9);
      expectClose(d.ci.upper, r.ci95[1], 1e-9, 1e-9);
    },
  );
  it('matches the published 4-dp interval of example (a), 56/70 − 48/80', () => {
    const d = newcombeDifference(56, 70, 48, 80)!;
    expect([d.ci.lower.toFixed(4), d.ci.upper.toFixed(4)]).toEqual(['0.0524', '0.3339']);
  });
  it('is null when a side has no answers', () => {
    expect(newcombeDifference(1, 2, 0, 0)).toBeNull();
  });
});

describe('includesZero', () => {
  it('says whether a change is within noise', () => {
    expect(includesZero({ lower: -0.1, upper: 0.2 })).toBe(true);
    expect(includesZero({ lower: 0, upper: 0.2 })).toBe(true);
    expect(includesZero({ lower: 0.01, upper: 0.2 })).toBe(false);
  });
});
