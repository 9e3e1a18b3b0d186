import { readFileSync } from 'node:fs';
import { mulberry32 } from './bootstrap.js';
import { kendall } from './kendall.js';
import {
  expectClose,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;

/** The textbook O(n²) count of pairs, to check the O(n log n) one against. */
function bruteForce(x: number[], y: number[]) {
  let concordant = 0;
  let discordant = 0;
  let tiedX = 0;
  let tiedY = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const s = Math.sign(x[i] - x[j]) * Math.sign(y[i] - y[j]);
      if (s > 0) concordant++;
      if (s < 0) discordant++;
      if (x[i] === x[j]) tiedX++;
      if (y[i] === y[j]) tiedY++;
    }
  }
  const n0 = (x.length * (x.length - 1)) / 2;
  const tau = (concordant - discordant) / Math.sqrt((n0 - tiedX) * (n0 - tiedY));
  return { concordant, discordant, tau };
}

describe('kendall — reference values', () => {
  it.each(['I', 'II', 'III', 'IV'] as const)('matches scipy on Anscombe set %s', (set) => {
    const d = ref.anscombe[set];
    const result = kendall(d.x, d.y);
    expectClose(result?.tauB, d.kendall_tau_b);
    expectClose(result?.p, d.kendall_p_asymptotic);
    expect(result?.method).toBe('asymptotic');
  });

  it('matches the scipy docstring example with ties in x and in both', () => {
    const d = ref.kendall_ties_scipy_docs;
    const result = kendall(d.x, d.y);
    expect(result).toMatchObject({ concordant: 2, discordant: 6, s: d.S });
    expectClose(result?.tauB, d.tau_b);
    expectClose(result?.varS, d.varS);
    expectClose(result?.z, d.z);
    expectClose(result?.p, d.p_asymptotic);
  });

  it('matches R cor.test on the tuna data, one-sided asymptotic', () => {
    const d = ref.hollander_wolfe_tuna;
    const result = kendall(d.x, d.y, { alternative: 'greater' });
    expectClose(result?.tauB, d.kendall_tau);
    expect(result?.s).toBe(d.kendall_S);
    expect(result?.concordant).toBe(d.kendall_T_concordant);
    expect(result?.varS).toBe(92);
    expectClose(result?.p, d.kendall_p_greater_asymptotic);
  });

  it('matches R cor.test on the tuna data, one-sided exact', () => {
    const d = ref.hollander_wolfe_tuna;
    const result = kendall(d.x, d.y, { alternative: 'greater', method: 'exact' });
    expect(result?.method).toBe('exact');
    expectClose(result?.p, d.kendall_p_greater_exact);
  });

  it('gives an exact two-sided p of twice the smaller tail (scipy: 0.005707170916 on Anscombe I)', () => {
    const d = ref.anscombe.I;
    expectClose(kendall(d.x, d.y, { method: 'exact' })?.p, 0.005707170916, 1e-9);
  });

  it('gives the exact lower tail by symmetry', () => {
    const d = ref.hollander_wolfe_tuna;
    const negated = d.y.map((v) => -v);
    expectClose(
      kendall(d.x, negated, { alternative: 'less', method: 'exact' })?.p,
      d.kendall_p_greater_exact,
    );
  });

  it('reports a Fisher interval with the Fieller standard error √(0.437/(n − 4))', () => {
    const d = ref.anscombe.I;
    const se = Math.sqrt(0.437 / (d.n - 4));
    const result = kendall(d.x, d.y);
    expectClose(result?.ci?.lower, Math.tanh(Math.atanh(d.kendall_tau_b) - 1.959963984540054 * se));
    expectClose(result?.ci?.upper, Math.tanh(Math.atanh(d.kendall_tau_b) + 1.959963984540054 * se));
  });
});

describe('kendall — O(n log n) counting', () => {
  it('agrees with the O(n²) count on 20 random 1–5 scale samples (many ties)', () => {
    const random = mulberry32(42);
    for (let trial = 0; trial < 20; trial++) {
      const n = 3 + Math.floor(random() * 60);
      const x = Array.from({ length: n }, () => 1 + Math.floor(random() * 5));
      const y = x.map((v) => Math.min(5, Math.max(1, v + Math.floor(random() * 3) - 1)));
      const result = kendall(x, y);
      const expected = bruteForce(x, y);
      if (result === null) {
        expect(new Set(x).size === 1 || new Set(y).size === 1).toBe(true);
        continue;
      }
      expect(result.concordant).toBe(expected.concordant);
      expect(result.discordant).toBe(expected.discordant);
      expectClose(result.tauB, expected.tau, 1e-12);
    }
  });

  it('handles 20,000 individual-level answers quickly', () => {
    const random = mulberry32(7);
    const x = Array.from({ length: 20_000 }, () => Math.floor(random() * 11));
    const y = x.map((v) => v + Math.floor(random() * 5));
    const started = Date.now();
    const result = kendall(x, y);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result!.tauB).toBeGreaterThan(0.5);
    expect(result!.p).toBe(Number.MIN_VALUE); // underflows: reported as the smallest double
  });
});

describe('kendall — edge cases', () => {
  it('returns null for mismatched lengths', () => {
    expect(kendall([1, 2, 3], [1, 2])).toBeNull();
  });

  it('returns null for n < 3', () => {
    expect(kendall([1, 2], [2, 1])).toBeNull();
  });

  it('returns null when x is all ties', () => {
    expect(kendall([2, 2, 2, 2], [1, 2, 3, 4])).toBeNull();
  });

  it('returns null when y is all ties', () => {
    expect(kendall([1, 2, 3, 4], [5, 5, 5, 5])).toBeNull();
  });

  it('returns null for a NaN or infinite input', () => {
    expect(kendall([1, NaN, 3], [1, 2, 3])).toBeNull();
    expect(kendall([1, 2, 3], [1, Infinity, 3])).toBeNull();
  });

  it('gives τ = 1 for a perfect monotone relation, with a point interval', () => {
    const result = kendall([1, 2, 3, 4, 5, 6], [2, 4, 8, 16, 32, 64]);
    expect(result).toMatchObject({ tauB: 1, discordant: 0, ci: { lower: 1, upper: 1 } });
  });

  it('has no interval below n = 5', () => {
    expect(kendall([1, 2, 3, 4], [1, 3, 2, 4])?.ci).toBeNull();
  });

  it('gives p = null for the exact method with ties', () => {
    const d = ref.kendall_ties_scipy_docs;
    const result = kendall(d.x, d.y, { method: 'exact' });
    expect(result?.p).toBeNull();
    expectClose(result?.tauB, d.tau_b);
  });

  it('returns null for a confidence level outside (0, 1)', () => {
    expect(kendall([1, 2, 3, 4, 5], [1, 3, 2, 5, 4], { level: -0.1 })).toBeNull();
  });
});
