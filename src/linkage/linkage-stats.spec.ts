import { kendall, linearRegression, pearson, spearman } from '../stats/index.js';
import { association, constantSide } from './linkage-stats.js';

const units = [
  { x: 3.2, y: 7.1, nx: 12, ny: 30 },
  { x: 3.8, y: 7.9, nx: 30, ny: 20 },
  { x: 4.1, y: 8.4, nx: 8, ny: 9 },
  { x: 2.9, y: 6.8, nx: 5, ny: 40 },
  { x: 3.5, y: 7.0, nx: 20, ny: 11 },
  { x: 4.4, y: 8.8, nx: 15, ny: 15 },
];

describe('association', () => {
  it('reports every statistic from src/stats', () => {
    const x = units.map((u) => u.x);
    const y = units.map((u) => u.y);
    const a = association(units);
    const r = pearson(x, y);
    expect(a.pearson).toEqual({ r: r?.r, ci95: [r?.ci?.lower, r?.ci?.upper], p: r?.p });
    expect(a.spearman).toEqual({ rho: spearman(x, y)?.rho, p: spearman(x, y)?.p });
    expect(a.kendall).toEqual({ tau: kendall(x, y)?.tauB, p: kendall(x, y)?.p });
    const line = linearRegression(x, y);
    expect(a.regression).toEqual({
      slope: line?.slope,
      intercept: line?.intercept,
      r2: line?.rSquared,
    });
    expect(a.weighted?.r).toBeGreaterThan(0.9);
    expect(a.partial?.r).toBeGreaterThan(0.9);
  });

  it('is null everywhere below three units, with no NaN', () => {
    const a = association(units.slice(0, 2));
    expect(Object.values(a).every((v) => v === null)).toBe(true);
    expect(JSON.stringify(a)).not.toContain('NaN');
  });

  it('has no interval at n = 3 and nulls a side without variation', () => {
    expect(association(units.slice(0, 3)).pearson?.ci95).toBeNull();
    const flat = units.map((u) => ({ ...u, y: 5 }));
    const a = association(flat);
    expect(a.pearson).toBeNull();
    expect(a.regression).toBeNull();
    expect(constantSide(flat)).toBe('external');
  });
});
