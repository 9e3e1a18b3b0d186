import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import {
  expectClose,
  plainLinkageStatistics,
  REFERENCE_URL,
  type StatsReference,
} from '../../test/helpers/stats-support.js';
import { methodsCsv, methodsHref, methodsMarkdown, methodsResult } from './linkage-methods-doc.js';
import { precise } from './linkage-methods.view.js';
import {
  exclusionCodes,
  exclusionCounts,
  methodsStatistics,
  type MethodsUnitRow,
} from './linkage-methods.js';
import { association } from './linkage-stats.js';
import { exclusionReasons } from './linkage-summary.js';
import type { LinkageResult } from './linkage.dto.js';

const ref = JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as StatsReference;

/** A per-unit table from two columns; both respondent counts `n` (or one per unit). */
function table(x: number[], y: number[], n: number | number[] = 10): MethodsUnitRow[] {
  return x.map((xi, i) => ({
    unitCode: `U${String(i + 1).padStart(2, '0')}`,
    unitName: `Unit ${i + 1}`,
    internalScore: xi,
    internalN: Array.isArray(n) ? n[i] : n,
    externalScore: y[i],
    externalN: Array.isArray(n) ? n[i] : n,
  }));
}

describe('methodsStatistics reproduces the reference values from a per-unit table', () => {
  it.each(['I', 'II', 'III', 'IV'] as const)('Anscombe %s: Pearson, Spearman, Kendall', (set) => {
    const d = ref.anscombe[set];
    const s = methodsStatistics(table(d.x, d.y));
    expect(s.n).toBe(d.n);
    expect(s.pearson?.df).toBe(d.df);
    expectClose(s.pearson?.r, d.r);
    expectClose(s.pearson?.t, d.t);
    expectClose(s.pearson?.p, d.p_two_sided);
    expectClose(s.pearson?.ci95?.[0], d.fisher95[0]);
    expectClose(s.pearson?.ci95?.[1], d.fisher95[1]);
    // 11 units: more than the exact limit, so the t approximation.
    expect(s.spearman?.method).toBe('asymptotic');
    expectClose(s.spearman?.rho, d.spearman_rho);
    expectClose(s.spearman?.p, d.spearman_p_tapprox);
    expectClose(s.kendall?.tauB, d.kendall_tau_b);
    expectClose(s.kendall?.p, d.kendall_p_asymptotic);
    // The line: slope = r·sd(y)/sd(x), R² = r².
    expectClose(s.regression?.r2, d.r * d.r);
  });

  it('law school (Efron & Tibshirani): r, t, p and the Fisher-z interval', () => {
    const d = ref.law_school;
    const s = methodsStatistics(table(d.x, d.y));
    expect(s.pearson?.df).toBe(d.df);
    expectClose(s.pearson?.r, d.r);
    expectClose(s.pearson?.t, d.t);
    expectClose(s.pearson?.p, d.p_two_sided);
    expectClose(s.pearson?.ci95?.[0], d.fisher95[0]);
    expectClose(s.pearson?.ci95?.[1], d.fisher95[1]);
  });

  it('stdlib pcorrtest example: r, t, p, interval', () => {
    const d = ref.stdlib_pcorrtest_docs;
    const s = methodsStatistics(table(d.x, d.y));
    expectClose(s.pearson?.r, d.r);
    expectClose(s.pearson?.t, d.t);
    expectClose(s.pearson?.p, d.p);
    expectClose(s.pearson?.ci95?.[0], d.fisher95[0]);
    expectClose(s.pearson?.ci95?.[1], d.fisher95[1]);
  });

  it("Hollander & Wolfe (R's cor.test example): exact Spearman and asymptotic Kendall, two-sided", () => {
    const d = ref.hollander_wolfe_tuna;
    const s = methodsStatistics(table(d.x, d.y));
    expectClose(s.pearson?.r, d.pearson.r);
    expectClose(s.pearson?.p, d.pearson.p_two_sided);
    expectClose(s.pearson?.ci95?.[0], d.pearson.fisher95[0]);
    // 9 units without ties: the exact permutation p; ρ > 0, so two-sided = 2 · P(S ≤ s).
    expect(s.spearman?.method).toBe('exact');
    expectClose(s.spearman?.rho, d.spearman_rho);
    expect(s.spearman?.sumSquaredRankDifferences).toBe(d.spearman_S_sum_d2);
    expectClose(s.spearman?.p, 2 * d.spearman_p_greater_exact);
    expectClose(s.kendall?.tauB, d.kendall_tau);
    expect(s.kendall?.s).toBe(d.kendall_S);
    expectClose(s.kendall?.p, 2 * d.kendall_p_greater_asymptotic);
  });

  it('ties (scipy examples): Spearman by mid-ranks with the t approximation; Kendall τ-b, S, var(S), z', () => {
    const sp = ref.spearman_ties_scipy_docs;
    const a = methodsStatistics(table(sp.x, sp.y));
    expect(a.spearman?.method).toBe('asymptotic');
    expectClose(a.spearman?.rho, sp.rho);
    expectClose(a.spearman?.p, sp.p_tapprox);
    const kt = ref.kendall_ties_scipy_docs;
    const b = methodsStatistics(table(kt.x, kt.y));
    expectClose(b.kendall?.tauB, kt.tau_b);
    expect(b.kendall?.s).toBe(kt.S);
    expectClose(b.kendall?.varS, kt.varS);
    expectClose(b.kendall?.z, kt.z);
    expectClose(b.kendall?.p, kt.p_asymptotic);
  });

  it('weighted r: respondent counts w on both sides give unit weights w and Kish n', () => {
    const d = ref.weighted_and_partial;
    const s = methodsStatistics(table(d.x, d.y, d.w));
    expectClose(s.weighted?.r, d.weighted_r);
    expectClose(s.weighted?.effectiveN, d.kish_neff);
    expectClose(s.pearson?.r, d.unweighted_r);
  });

  it('partial r: counts e^w on both sides make the size covariate w', () => {
    const d = ref.weighted_and_partial;
    const s = methodsStatistics(table(d.x, d.y, d.w.map(Math.exp)));
    expect(s.partial?.df).toBe(d.partial_df);
    expectClose(s.partial?.r, d.partial_r_controlling_w);
    expectClose(s.partial?.t, d.partial_t);
    expectClose(s.partial?.p, d.partial_p);
  });

  it('gives exactly the linkage’s own statistics (association) on the same table', () => {
    const rows = table(
      [4.1, 3.2, 3.9, 4.6, 2.8, 3.3, 4.0, 3.7],
      [31, 12, 25, 48, -5, 20, 33, 15],
      [12, 7, 30, 9, 5, 22, 14, 6],
    );
    const s = methodsStatistics(rows);
    const a = association(
      rows.map((u) => ({
        x: u.internalScore,
        y: u.externalScore,
        nx: u.internalN,
        ny: u.externalN,
      })),
    );
    expect(a.pearson).toEqual({ r: s.pearson?.r, ci95: s.pearson?.ci95, p: s.pearson?.p });
    expect(a.spearman).toEqual({
      rho: s.spearman?.rho,
      p: s.spearman?.p,
      method: s.spearman?.method,
    });
    expect(a.kendall).toEqual({ tau: s.kendall?.tauB, p: s.kendall?.p });
    expect(a.regression).toEqual(s.regression);
    expect(a.weighted).toEqual({
      r: s.weighted?.r,
      effectiveN: s.weighted?.effectiveN,
      p: s.weighted?.p,
    });
    expect(a.partial).toEqual({ r: s.partial?.r, ci95: s.partial?.ci95, p: s.partial?.p });
  });

  it('is null, never NaN, where the linkage is: fewer than 3 units, a side without variation', () => {
    expect(methodsStatistics(table([1, 2], [3, 4]))).toEqual({
      n: 2,
      pearson: null,
      spearman: null,
      kendall: null,
      regression: null,
      weighted: null,
      partial: null,
    });
    const flat = methodsStatistics(table([1, 1, 1, 1], [3, 4, 5, 7]));
    expect(flat.pearson).toBeNull();
    expect(flat.regression).toBeNull();
    // 3 units: r and its t test, no interval.
    expect(methodsStatistics(table([1, 2, 4], [3, 4, 4.5])).pearson?.ci95).toBeNull();
  });
});

describe('exclusion reasons', () => {
  it.each(['en', 'it'] as const)('reads back every reason code of the pairing (%s)', (lang) => {
    const say = exclusionReasons(lang);
    expect(exclusionCodes(say.hidden, lang)).toEqual(['hidden']);
    expect(exclusionCodes(`${say.fewInternal(6, 8)}; ${say.fewExternal(2, 5)}`, lang)).toEqual([
      'fewInternal',
      'fewExternal',
    ]);
    expect(exclusionCodes(`${say.notReleased}; ${say.noExternal}`, lang)).toEqual([
      'notReleased',
      'noExternal',
    ]);
    expect(exclusionCodes(say.noInternal, lang)).toEqual(['noInternal']);
    expect(exclusionCodes(say.noScore, lang)).toEqual(['noScore']);
    const counts = exclusionCounts(
      [
        { unitCode: 'A', unitName: 'A', reason: say.hidden },
        { unitCode: 'B', unitName: 'B', reason: `${say.hidden}; ${say.fewExternal(1, 5)}` },
        { unitCode: 'C', unitName: 'C', reason: say.fewExternal(3, 5) },
      ],
      lang,
    );
    expect(counts).toEqual([
      { code: 'hidden', units: 2 },
      { code: 'fewExternal', units: 2 },
    ]);
  });
});

/** A linkage result around a per-unit table. */
function linkageResult(rows: MethodsUnitRow[]): LinkageResult {
  const stats = association(
    rows.map((u) => ({ x: u.internalScore, y: u.externalScore, nx: u.internalN, ny: u.externalN })),
  );
  const side = (audience: string, metric: 'mean' | 'nps') => ({
    campaign: { id: audience, name: `${audience} survey`, wave: '2026' },
    questionKeys: ['sat'],
    metric,
    scale: metric === 'nps' ? { min: -100, max: 100 } : { min: 1, max: 5 },
    minResponses: 5,
  });
  return {
    n: rows.length,
    units: rows.map((u) => ({
      unitCode: u.unitCode,
      unitName: u.unitName,
      internal: { n: u.internalN, score: u.internalScore },
      external: { n: u.externalN, score: u.externalScore },
    })),
    excluded: [{ unitCode: 'Z', unitName: 'Zed', reason: 'hidden to protect confidentiality' }],
    ...stats,
    summary: 'Across 4 units …',
    lang: 'en',
    perspective: 'member',
    level: null,
    internal: side('internal', 'mean'),
    external: side('external', 'nps'),
    exploratory: true,
    notes: [],
    readiness: [],
  };
}

describe('the downloads', () => {
  const rows = table([4.125, 3.2, 3.9, 4.6], [31.25, -12.5, 25, 48], [12, 7, 30, 9]);
  rows[1].unitName = '=HYPERLINK("x"), "quoted"';
  const doc = methodsResult(linkageResult(rows), 5);

  it('CSV: every number reads back exactly, text cells are neutralised and quoted', () => {
    const csv = methodsCsv(doc.units);
    const [header, ...body] = parse(csv) as string[][];
    expect(header).toEqual([
      'unit_code',
      'unit_name',
      'internal_score',
      'internal_n',
      'external_score',
      'external_n',
    ]);
    expect(body.map((r) => [r[0], Number(r[2]), Number(r[3]), Number(r[4]), Number(r[5])])).toEqual(
      rows.map((u) => [u.unitCode, u.internalScore, u.internalN, u.externalScore, u.externalN]),
    );
    expect(body[1][1]).toBe(`'=HYPERLINK("x"), "quoted"`);
  });

  it('JSON: thresholds, exclusions by reason, definitions for the metrics used', () => {
    expect(doc.thresholds).toMatchObject({
      minGroupSize: 5,
      internalMinResponses: 5,
      externalMinResponses: 5,
      confidenceLevel: 0.95,
      spearmanExactMaxN: 10,
    });
    expect(doc.unitsWithData).toBe(5);
    expect(doc.excluded.byReason).toEqual([
      { code: 'hidden', reason: 'hidden to protect confidentiality', units: 1 },
    ]);
    const ids = doc.definitions.map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining(['mean', 'nps', 'pearson', 'fisher', 'weighted']));
    expect(ids).not.toContain('topbox');
    expect(doc.definitions.find((d) => d.id === 'mean')?.definition).toContain('(1 to 5)');
  });

  it.each(['en', 'it'] as const)(
    'Markdown (%s): the table at full precision and the R code',
    (lang) => {
      const md = methodsMarkdown(doc, lang, { generatedAt: '2026-12-01T00:00:00Z', lang });
      expect(md).toContain('| U01 | Unit 1 | 4.125 | 12 | 31.25 | 12 |');
      expect(md).toContain(String(doc.statistics.pearson?.r));
      expect(md).toContain('cor.test(x, y)');
      expect(md).toContain(lang === 'it' ? '# Appendice metodologica' : '# Methods appendix');
    },
  );

  it('links the methods page with the linkage page’s options', () => {
    expect(
      methodsHref({ internal: 'a', external: 'b', internalMetric: 'nps', level: 0, lang: 'it' }),
    ).toBe('/reports/linkage/methods?internal=a&external=b&internalMetric=nps&level=0');
  });
});

describe('the independent formulas of the e2e test (test/helpers/stats-support.ts)', () => {
  it('match the references too, so the e2e comparison can fail', () => {
    const hw = ref.hollander_wolfe_tuna;
    const rows = hw.x.map((x, i) => ({ x, y: hw.y[i], nx: 10, ny: 10 }));
    const plain = plainLinkageStatistics(rows);
    expectClose(plain.pearson.r, hw.pearson.r);
    expectClose(plain.pearson.p, hw.pearson.p_two_sided);
    expectClose(plain.pearson.ci95[0], hw.pearson.fisher95[0]);
    expectClose(plain.pearson.ci95[1], hw.pearson.fisher95[1]);
    expect(plain.spearman.method).toBe('exact');
    expectClose(plain.spearman.p, 2 * hw.spearman_p_greater_exact);
    expectClose(plain.kendall.p, 2 * hw.kendall_p_greater_asymptotic);
    const kt = ref.kendall_ties_scipy_docs;
    const k = plainLinkageStatistics(kt.x.map((x, i) => ({ x, y: kt.y[i], nx: 5, ny: 5 }))).kendall;
    expectClose(k.tauB, kt.tau_b);
    expectClose(k.varS, kt.varS);
    expectClose(k.p, kt.p_asymptotic);
    const ls = ref.law_school;
    const law = plainLinkageStatistics(ls.x.map((x, i) => ({ x, y: ls.y[i], nx: 5, ny: 5 })));
    expectClose(law.pearson.p, ls.p_two_sided);
    expectClose(law.pearson.ci95[0], ls.fisher95[0]);
    const wp = ref.weighted_and_partial;
    const w = plainLinkageStatistics(
      wp.x.map((x, i) => ({ x, y: wp.y[i], nx: wp.w[i], ny: wp.w[i] })),
    );
    expectClose(w.weighted.r, wp.weighted_r);
    expectClose(w.weighted.effectiveN, wp.kish_neff);
    const e = wp.w.map(Math.exp);
    const p = plainLinkageStatistics(wp.x.map((x, i) => ({ x, y: wp.y[i], nx: e[i], ny: e[i] })));
    expectClose(p.partial.r, wp.partial_r_controlling_w);
    expectClose(p.partial.p, wp.partial_p);
    const a = ref.anscombe.I;
    const an = plainLinkageStatistics(a.x.map((x, i) => ({ x, y: a.y[i], nx: 5, ny: 5 })));
    expect(an.spearman.method).toBe('asymptotic');
    expectClose(an.spearman.p, a.spearman_p_tapprox);
    expectClose(an.kendall.p, a.kendall_p_asymptotic);
  });
});

describe('precise (the page’s six significant digits)', () => {
  it('formats per language, with a true minus and e-notation for tiny values', () => {
    expect(precise(0.7263021234, 'en')).toBe('0.726302');
    expect(precise(-337.10512, 'it')).toBe('−337,105');
    expect(precise(0.0000123456, 'en')).toBe('1.235 × 10^−5');
    expect(precise(null, 'en')).toBe('–');
    expect(precise(0, 'en')).toBe('0');
  });
});
