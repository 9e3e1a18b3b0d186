import {
  clampP,
  fUpperTail,
  normalCdf,
  normalQuantile,
  pFromT,
  pFromZ,
  zCritical,
} from './distributions.js';
import { expectClose } from '../../test/helpers/stats-support.js';

describe('pFromT', () => {
  it('keeps small tails accurate (CDF(−|t|), not 1 − CDF(|t|)): df = 30, t = 20', () => {
    // 2·P(T₃₀ > 20) ≈ 5.5e−19; the naive 1 − CDF form would give 0.
    const p = pFromT(20, 30)!;
    expect(p).toBeGreaterThan(1e-19);
    expect(p).toBeLessThan(1e-18);
  });

  it('gives one-sided tails that add up to 1', () => {
    expectClose(pFromT(1.3, 12, 'greater')! + pFromT(1.3, 12, 'less')!, 1, 1e-15);
  });

  it('gives p = 1 at t = 0, two-sided', () => {
    expect(pFromT(0, 5)).toBe(1);
  });

  it('gives the smallest double for an infinite t', () => {
    expect(pFromT(Infinity, 5)).toBe(Number.MIN_VALUE);
    expect(pFromT(-Infinity, 5, 'greater')).toBe(1);
  });

  it('returns null for NaN t or a non-positive df', () => {
    expect(pFromT(NaN, 5)).toBeNull();
    expect(pFromT(1, 0)).toBeNull();
    expect(pFromT(1, Infinity)).toBeNull();
  });

  it('accepts a fractional df', () => {
    expect(pFromT(2, 4.6)).toBeGreaterThan(pFromT(2, 5)!);
  });
});

describe('pFromZ and the normal helpers', () => {
  it('gives p = 0.05 at z = 1.959963984540054', () => {
    expectClose(pFromZ(1.959963984540054), 0.05, 1e-13);
  });

  it('clamps an underflowing tail to the smallest double', () => {
    expect(pFromZ(60)).toBe(Number.MIN_VALUE);
  });

  it('returns null for NaN', () => {
    expect(pFromZ(NaN)).toBeNull();
  });

  it('Φ and Φ⁻¹ are inverse', () => {
    expectClose(normalCdf(normalQuantile(0.3)), 0.3, 1e-14);
  });

  it('zCritical(0.95) is the exact 1.959963984540054', () => {
    expectClose(zCritical(0.95), 1.959963984540054, 1e-15);
  });

  it('zCritical returns null for a level outside (0, 1)', () => {
    expect(zCritical(0)).toBeNull();
    expect(zCritical(1)).toBeNull();
    expect(zCritical(NaN)).toBeNull();
  });
});

describe('fUpperTail', () => {
  it('matches the fixture ICC F test: F = 11.7030791789 on (4, 17) df', () => {
    expectClose(fUpperTail(11.703079178885627, 4, 17), 9.47542810717522e-5);
  });

  it('is 1 at F = 0 and the smallest double at F = ∞', () => {
    expect(fUpperTail(0, 3, 10)).toBe(1);
    expect(fUpperTail(Infinity, 3, 10)).toBe(Number.MIN_VALUE);
  });

  it('returns null for a negative F, NaN or a non-positive df', () => {
    expect(fUpperTail(-1, 3, 10)).toBeNull();
    expect(fUpperTail(NaN, 3, 10)).toBeNull();
    expect(fUpperTail(2, 0, 10)).toBeNull();
  });
});

describe('clampP', () => {
  it('keeps p inside (0, 1]', () => {
    expect(clampP(0)).toBe(Number.MIN_VALUE);
    expect(clampP(1.0000000000000002)).toBe(1);
    expect(clampP(0.2)).toBe(0.2);
  });

  it('turns NaN into null', () => {
    expect(clampP(NaN)).toBeNull();
  });
});
