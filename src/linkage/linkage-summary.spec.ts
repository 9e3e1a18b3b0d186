import {
  directionOf,
  formatNumber,
  formatP,
  intervalInWords,
  linkageSummary,
  pValueText,
  panelSummary,
  strengthOf,
  type LinkageSummaryInput,
} from './linkage-summary.js';

const base: LinkageSummaryInput = {
  n: 38,
  pearson: { r: 0.54, ci95: [0.27, 0.74], p: 0.0005 },
  internal: { metric: 'mean' },
  external: { metric: 'nps' },
};

describe('number formatting', () => {
  it('uses two decimals, a decimal comma in Italian and a true minus sign', () => {
    expect(formatNumber(0.536, 'en')).toBe('0.54');
    expect(formatNumber(0.536, 'it')).toBe('0,54');
    expect(formatNumber(-0.3, 'en')).toBe('−0.30');
    expect(formatNumber(-0.001, 'en')).toBe('0.00');
  });

  it('writes p as "< 0.001", else with two significant digits', () => {
    expect(formatP(0.0005, 'en')).toBe('p < 0.001');
    expect(formatP(0.0042, 'en')).toBe('p = 0.0042');
    expect(formatP(0.031, 'en')).toBe('p = 0.031');
    expect(formatP(0.031, 'it')).toBe('p = 0,031');
    expect(formatP(0.47, 'en')).toBe('p = 0.47');
    expect(formatP(1, 'en')).toBe('p = 1.0');
  });

  it.each([
    [0.045, 'p = 0.045', 'p = 0,045'],
    [0.0496, 'p = 0.0496', 'p = 0,0496'],
    [0.04999, 'p = 0.04999', 'p = 0,04999'],
    [0.049999, 'p < 0.05', 'p < 0,05'],
    [0.05, 'p = 0.050', 'p = 0,050'],
    [0.0501, 'p = 0.050', 'p = 0,050'],
    [0.001, 'p = 0.0010', 'p = 0,0010'],
    [0.00099, 'p < 0.001', 'p < 0,001'],
  ])('never rounds a p below 0.05 up to 0.05: %d → %s', (p, en, it) => {
    expect(formatP(p, 'en')).toBe(en);
    expect(formatP(p, 'it')).toBe(it);
    if (p < 0.05) expect(Number(pValueText(p, 'en').replace('< ', ''))).toBeLessThanOrEqual(0.05);
  });
});

describe('words', () => {
  it('grades |r| as weak < 0.3 ≤ moderate < 0.5 ≤ strong', () => {
    expect(strengthOf(0.29)).toBe('weak');
    expect(strengthOf(-0.3)).toBe('moderate');
    expect(strengthOf(0.5)).toBe('strong');
  });

  it('takes the direction from the interval, from p when there is none', () => {
    expect(directionOf({ r: 0.4, ci95: [0.1, 0.6], p: 0.01 })).toBe('positive');
    expect(directionOf({ r: -0.4, ci95: [-0.6, -0.1], p: 0.01 })).toBe('negative');
    expect(directionOf({ r: 0.4, ci95: [-0.1, 0.7], p: 0.1 })).toBe('none');
    expect(directionOf({ r: 0.99, ci95: null, p: 0.04 })).toBe('positive');
    expect(directionOf({ r: 0.9, ci95: null, p: 0.3 })).toBe('none');
  });
});

describe('linkageSummary', () => {
  it('states n, r, the interval and p in English, with one causation caution', () => {
    expect(linkageSummary(base, 'en')).toBe(
      'Across 38 units, internal satisfaction and external NPS move together (strong positive relationship): r = 0.54 (95 % CI 0.27 to 0.74), p < 0.001. The 95 % interval is fairly wide (0.47 wide): the data fit anything from a weak positive relationship to a strong positive relationship. This is an association between units, not proof that one causes the other.',
    );
  });

  it('says the same in Italian', () => {
    expect(linkageSummary(base, 'it')).toBe(
      "Su 38 unità, la soddisfazione interna e l'NPS esterno vanno nella stessa direzione (relazione positiva forte): r = 0,54 (IC 95 % da 0,27 a 0,74), p < 0,001. L'intervallo al 95 % è piuttosto ampio (ampiezza 0,47): i dati sono compatibili con qualunque situazione tra una relazione positiva debole e una relazione positiva forte. È un'associazione tra unità, non la prova che una causi l'altra.",
    );
  });

  it('reports no clear relationship when the interval spans 0, and negative ones', () => {
    const none = linkageSummary(
      { ...base, pearson: { r: 0.12, ci95: [-0.2, 0.41], p: 0.47 } },
      'en',
    );
    expect(none).toContain(
      'show no clear relationship: r = 0.12 (95 % CI −0.20 to 0.41), p = 0.47.',
    );
    const neg = linkageSummary(
      { ...base, pearson: { r: -0.35, ci95: [-0.6, -0.03], p: 0.03 } },
      'it',
    );
    expect(neg).toContain('vanno in direzioni opposte (relazione negativa moderata)');
  });

  it('warns that fewer than 10 units are exploratory', () => {
    const few = linkageSummary(
      { ...base, n: 6, pearson: { r: 0.8, ci95: [0.02, 0.98], p: 0.04 } },
      'en',
    );
    expect(few).toContain('Exploratory: fewer than 10 units, too few to conclude.');
    const it = linkageSummary(
      { ...base, n: 6, pearson: { r: 0.8, ci95: [0.02, 0.98], p: 0.04 } },
      'it',
    );
    expect(it).toContain(
      'Analisi esplorativa: meno di 10 unità, troppo poche per trarre conclusioni.',
    );
    expect(linkageSummary(base, 'en')).not.toContain('Exploratory');
  });

  it('calls 10–29 units exploratory too (STATISTICS.md §1.7), 30 and more not', () => {
    const mid = { ...base, pearson: { r: 0.3, ci95: [-0.07, 0.6] as [number, number], p: 0.1 } };
    const en = linkageSummary({ ...mid, n: 29 }, 'en');
    expect(en).toContain(
      'Exploratory: fewer than 30 units, so the estimate is imprecise; treat it as a lead to check, not a finding.',
    );
    expect(en).not.toContain('too few to conclude');
    expect(linkageSummary({ ...mid, n: 10 }, 'it')).toContain(
      "Analisi esplorativa: meno di 30 unità, la stima è imprecisa; è un'indicazione da verificare, non un risultato.",
    );
    expect(linkageSummary({ ...mid, n: 30 }, 'en')).not.toContain('Exploratory');
  });

  it("puts the interval's width in words, and says when there is none", () => {
    // §1.7: r = 0.30 on 30 units has the 95 % interval −0.07 to 0.60.
    const c = { r: 0.3, ci95: [-0.07, 0.6] as [number, number], p: 0.1 };
    expect(intervalInWords(c, 30, 'en')).toBe(
      'The 95 % interval is wide (0.67 wide): the data fit anything from no relationship to a strong positive relationship.',
    );
    expect(intervalInWords(c, 30, 'it')).toBe(
      "L'intervallo al 95 % è ampio (ampiezza 0,67): i dati sono compatibili con qualunque situazione tra nessuna relazione e una relazione positiva forte.",
    );
    const narrow = { r: 0.8, ci95: [0.72, 0.86] as [number, number], p: 1e-9 };
    expect(intervalInWords(narrow, 200, 'en')).toBe(
      'The 95 % interval is narrow (0.14 wide): it points to a strong positive relationship.',
    );
    const wideNeg = { r: -0.3, ci95: [-0.78, 0.41] as [number, number], p: 0.4 };
    expect(intervalInWords(wideNeg, 10, 'en')).toContain(
      'from a strong negative relationship to a moderate positive relationship',
    );
    expect(intervalInWords({ r: 0.99, ci95: null, p: 0.09 }, 3, 'en')).toBe(
      'With 3 units there is no 95 % interval (it needs at least 4 units): the estimate is very uncertain.',
    );
    expect(intervalInWords({ r: 0.99, ci95: null, p: 0.09 }, 3, 'it')).toContain(
      "Con 3 unità non c'è un intervallo di confidenza al 95 %",
    );
  });

  it('explains plainly when the statistics are undefined', () => {
    expect(linkageSummary({ ...base, n: 2, pearson: null }, 'en')).toBe(
      'Only 2 units have enough responses on both sides; at least 3 are needed to compute a correlation between internal satisfaction and external NPS.',
    );
    expect(linkageSummary({ ...base, n: 0, pearson: null }, 'it')).toContain('Nessuna unità');
    expect(linkageSummary({ ...base, n: 1, pearson: null }, 'en')).toContain('Only 1 unit has');
    const flat = linkageSummary({ ...base, n: 5, pearson: null, constantSide: 'external' }, 'en');
    expect(flat).toBe(
      'Across 5 units the correlation cannot be computed: external NPS does not vary between units. Exploratory: fewer than 10 units, too few to conclude.',
    );
  });

  it('names the provider perspective and the top-box metric', () => {
    const s = linkageSummary(
      {
        ...base,
        internal: { metric: 'topbox', perspective: 'provider' },
        external: { metric: 'mean' },
      },
      'en',
    );
    expect(s).toContain('the top-box share of internal service ratings and external satisfaction');
  });
});

describe('panelSummary', () => {
  const panel = {
    n: 30,
    wave1: '2026-Q1',
    wave2: '2026-Q2',
    internalLeads: { r: 0.5, ci95: [0.17, 0.73] as [number, number], p: 0.005 },
    externalLeads: { r: 0.1, ci95: [-0.27, 0.44] as [number, number], p: 0.6 },
    internal: { metric: 'mean' as const },
    external: { metric: 'mean' as const },
  };

  it('says "consistent with leading" only when Steiger Z is significant', () => {
    const lead = panelSummary({ ...panel, difference: { z: 2.4, p: 0.016 } }, 'en');
    expect(lead).toContain(
      'consistent with internal satisfaction leading external satisfaction, but does not prove it',
    );
    const follow = panelSummary({ ...panel, difference: { z: -2.4, p: 0.016 } }, 'en');
    expect(follow).toContain(
      'consistent with internal satisfaction following external satisfaction',
    );
    const neither = panelSummary({ ...panel, difference: { z: 1.2, p: 0.23 } }, 'en');
    expect(neither).toContain('do not differ clearly');
    expect(neither).toContain("Steiger's Z = 1.20, p = 0.23");
    const it = panelSummary({ ...panel, difference: { z: 2.4, p: 0.016 } }, 'it');
    expect(it).toMatch(/^Tra 2026-Q1 e 2026-Q2, su 30 unità, la correlazione tra/);
    expect(it).toContain('ma non lo dimostra');
    expect(panelSummary({ ...panel, n: 5, difference: null }, 'en')).toContain('Exploratory');
  });
});
