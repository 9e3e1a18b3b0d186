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
    // Six untied units: the exact permutation p, as R's cor.test.
    const rho = spearman(x, y, { method: 'exact' });
    expect(a.spearman).toEqual({ rho: rho?.rho, p: rho?.p, method: 'exact' });
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
    const { nullReasons, ...stats } = a;
    expect(Object.values(stats).every((v) => v === null)).toBe(true);
    expect(JSON.stringify(a)).not.toContain('NaN');
    expect(Object.keys(nullReasons).sort()).toEqual(
      ['kendall', 'partial', 'pearson', 'regression', 'spearman', 'weighted'].sort(),
    );
    expect(nullReasons.pearson).toEqual({
      code: 'tooFewUnits',
      en: 'only 2 units kept; this statistic needs at least 3',
      it: 'solo 2 unità considerate; questa statistica ne richiede almeno 3',
    });
    expect(nullReasons.partial.en).toContain('at least 4');
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

describe('association — why a statistic is null', () => {
  it('has no reason when nothing is null', () => {
    expect(association(units).nullReasons).toEqual({});
  });

  it('partial r: every unit with the same respondent counts leaves no size to control for', () => {
    const equal = units.map((u) => ({ ...u, nx: 10, ny: 20 }));
    const a = association(equal);
    expect(a.partial).toBeNull();
    expect(a.pearson).not.toBeNull();
    expect(a.nullReasons).toEqual({
      partial: {
        code: 'equalSizes',
        en: 'every unit has the same number of respondents, so there is no unit size to control for',
        it: "tutte le unità hanno lo stesso numero di rispondenti: non c'è una dimensione delle unità da tenere sotto controllo",
      },
    });
  });

  it('partial r: unit size exactly in line with a score', () => {
    // ln of the geometric mean of the counts rises exactly like x.
    const inLine = units.map((u, i) => ({ ...u, x: i + 1, nx: Math.exp(i + 1), ny: 1 }));
    const a = association(inLine);
    expect(a.partial).toBeNull();
    expect(a.nullReasons.partial.code).toBe('sizeInLine');
  });

  it('a side without variation: every correlation null, each saying which side', () => {
    const flat = units.map((u) => ({ ...u, x: 4 }));
    const a = association(flat);
    for (const key of ['pearson', 'spearman', 'kendall', 'regression', 'weighted', 'partial']) {
      expect(a.nullReasons[key]?.code).toBe('noVariation');
    }
    expect(a.nullReasons.pearson.en).toBe(
      'the internal score is the same in every unit, so there is no variation to correlate',
    );
    expect(a.nullReasons.pearson.it).toContain('il punteggio interno è uguale in tutte le unità');
  });

  it('n = 3: no interval (needs 4), no partial r (needs 4); n = 4: no partial interval', () => {
    const three = association(units.slice(0, 3));
    expect(three.nullReasons['pearson.ci95']).toMatchObject({ code: 'noInterval' });
    expect(three.nullReasons['pearson.ci95'].en).toBe(
      'no 95 % interval with 3 units: it needs at least 4',
    );
    expect(three.nullReasons.partial.code).toBe('tooFewUnits');
    const four = association(units.slice(0, 4));
    expect(four.partial?.ci95 ?? null).toBeNull();
    expect(four.nullReasons['partial.ci95']?.code).toBe('noInterval');
  });
});
