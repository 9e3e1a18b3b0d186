/**
 * The plain-language sentences of the linkage report, in English and Italian. Pure: the numbers
 * come in, the sentence goes out.
 *
 * Wording rules (documented in linkage.dto.ts):
 * - direction comes from the 95 % interval: it spans 0 → "no clear relationship"; with n = 3 (no
 *   interval) from p < 0.05;
 * - strength from |r|: < 0.3 weak, < 0.5 moderate, otherwise strong;
 * - numbers with 2 decimals (Italian: decimal comma), p as "p < 0.001", "p = 0.004" (below 0.01) or
 *   "p = 0.03";
 * - fewer than 10 units: an explicit "exploratory" warning; one causation caution per text.
 */
import type { Language } from '../domain/language.js';
import type { Metric } from './linkage-scores.js';

/** Below this many units the result is labelled exploratory. */
export const EXPLORATORY_BELOW = 10;

export interface SummaryCorrelation {
  r: number;
  ci95: [number, number] | null;
  p: number;
}

export interface SideLabel {
  metric: Metric;
  /** `provider`: the internal score is how the unit is rated as an internal provider. */
  perspective?: 'member' | 'provider';
}

export interface LinkageSummaryInput {
  /** Units kept (with enough responses on both sides). */
  n: number;
  pearson: SummaryCorrelation | null;
  internal: SideLabel;
  external: SideLabel;
  /** Why r is undefined when n ≥ 3 (e.g. a side does not vary); optional. */
  constantSide?: 'internal' | 'external' | null;
}

// --- number formatting --------------------------------------------------------------------------

export function formatNumber(value: number, lang: Language, decimals = 2): string {
  const text = Math.abs(value).toFixed(decimals);
  // "-0.00" reads as noise: a value that rounds to zero is shown unsigned.
  const sign = value < 0 && Number(text) !== 0 ? '−' : '';
  return sign + (lang === 'it' ? text.replace('.', ',') : text);
}

export function formatP(p: number, lang: Language): string {
  if (p < 0.001) return `p < ${formatNumber(0.001, lang, 3)}`;
  return `p = ${formatNumber(p, lang, p < 0.01 ? 3 : 2)}`;
}

// --- words --------------------------------------------------------------------------------------

export type Strength = 'weak' | 'moderate' | 'strong';
export type Direction = 'positive' | 'negative' | 'none';

export function strengthOf(r: number): Strength {
  const a = Math.abs(r);
  return a < 0.3 ? 'weak' : a < 0.5 ? 'moderate' : 'strong';
}

export function directionOf(c: SummaryCorrelation): Direction {
  const clear = c.ci95 ? c.ci95[0] > 0 || c.ci95[1] < 0 : c.p < 0.05;
  if (!clear || c.r === 0) return 'none';
  return c.r > 0 ? 'positive' : 'negative';
}

const LABELS: Record<
  Language,
  Record<'internal' | 'external' | 'provider', Record<Metric, string>>
> = {
  en: {
    internal: {
      mean: 'internal satisfaction',
      topbox: 'the internal top-box share',
      nps: 'internal NPS',
    },
    provider: {
      mean: 'the internal service ratings',
      topbox: 'the top-box share of internal service ratings',
      nps: 'the internal service NPS',
    },
    external: {
      mean: 'external satisfaction',
      topbox: 'the external top-box share',
      nps: 'external NPS',
    },
  },
  it: {
    internal: {
      mean: 'la soddisfazione interna',
      topbox: 'la quota top-box interna',
      nps: "l'NPS interno",
    },
    provider: {
      mean: 'le valutazioni dei servizi interni',
      topbox: 'la quota top-box delle valutazioni dei servizi interni',
      nps: "l'NPS dei servizi interni",
    },
    external: {
      mean: 'la soddisfazione esterna',
      topbox: 'la quota top-box esterna',
      nps: "l'NPS esterno",
    },
  },
};

export function sideLabel(side: 'internal' | 'external', label: SideLabel, lang: Language): string {
  const group = side === 'internal' && label.perspective === 'provider' ? 'provider' : side;
  return LABELS[lang][group][label.metric];
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const STRENGTH_IT: Record<Strength, string> = {
  weak: 'debole',
  moderate: 'moderata',
  strong: 'forte',
};

/** "r = 0.54 (95 % CI 0.27 to 0.74), p < 0.001" — the interval is left out when there is none. */
export function formatCorrelation(c: SummaryCorrelation, lang: Language, symbol = 'r'): string {
  const r = `${symbol} = ${formatNumber(c.r, lang)}`;
  const ci = c.ci95
    ? lang === 'it'
      ? ` (IC 95 % da ${formatNumber(c.ci95[0], lang)} a ${formatNumber(c.ci95[1], lang)})`
      : ` (95 % CI ${formatNumber(c.ci95[0], lang)} to ${formatNumber(c.ci95[1], lang)})`
    : '';
  return `${r}${ci}, ${formatP(c.p, lang)}`;
}

export function exploratoryWarning(n: number, lang: Language): string | null {
  if (n >= EXPLORATORY_BELOW) return null;
  return lang === 'it'
    ? `Analisi esplorativa: meno di ${EXPLORATORY_BELOW} unità, troppo poche per trarre conclusioni.`
    : `Exploratory: fewer than ${EXPLORATORY_BELOW} units, too few to conclude.`;
}

export function causationCaution(lang: Language): string {
  return lang === 'it'
    ? "È un'associazione tra unità, non la prova che una causi l'altra."
    : 'This is an association between units, not proof that one causes the other.';
}

const unitsWord = (n: number, lang: Language) =>
  lang === 'it' ? 'unità' : n === 1 ? 'unit' : 'units';

/** The one-to-three sentence summary of a linkage result. */
export function linkageSummary(input: LinkageSummaryInput, lang: Language): string {
  const x = sideLabel('internal', input.internal, lang);
  const y = sideLabel('external', input.external, lang);
  const n = input.n;
  const c = input.pearson;
  if (n < 3 || c === null) {
    const why =
      n < 3
        ? lang === 'it'
          ? n === 0
            ? `Nessuna unità ha abbastanza risposte su entrambi i lati: la correlazione tra ${x} e ${y} non si può calcolare (servono almeno 3 unità).`
            : `Solo ${n} ${unitsWord(n, lang)} ${n === 1 ? 'ha' : 'hanno'} abbastanza risposte su entrambi i lati: per calcolare una correlazione tra ${x} e ${y} servono almeno 3 unità.`
          : n === 0
            ? `No unit has enough responses on both sides, so the correlation between ${x} and ${y} cannot be computed (at least 3 units are needed).`
            : `Only ${n} ${unitsWord(n, lang)} ${n === 1 ? 'has' : 'have'} enough responses on both sides; at least 3 are needed to compute a correlation between ${x} and ${y}.`
        : lang === 'it'
          ? `Su ${n} unità la correlazione non si può calcolare: ${input.constantSide === 'external' ? y : input.constantSide === 'internal' ? x : 'uno dei due punteggi'} non varia tra le unità.`
          : `Across ${n} units the correlation cannot be computed: ${input.constantSide === 'external' ? y : input.constantSide === 'internal' ? x : 'one of the two scores'} does not vary between units.`;
    const warn = exploratoryWarning(n, lang);
    return [why, n >= 3 ? warn : null].filter(Boolean).join(' ');
  }
  const direction = directionOf(c);
  const strength = strengthOf(c.r);
  const stats = formatCorrelation(c, lang);
  let first: string;
  if (lang === 'it') {
    const what =
      direction === 'none'
        ? 'non mostrano una relazione chiara'
        : direction === 'positive'
          ? `vanno nella stessa direzione (relazione positiva ${STRENGTH_IT[strength]})`
          : `vanno in direzioni opposte (relazione negativa ${STRENGTH_IT[strength]})`;
    first = `Su ${n} unità, ${x} e ${y} ${what}: ${stats}.`;
  } else {
    const what =
      direction === 'none'
        ? 'show no clear relationship'
        : direction === 'positive'
          ? `move together (${strength} positive relationship)`
          : `move in opposite directions (${strength} negative relationship)`;
    first = `Across ${n} units, ${x} and ${y} ${what}: ${stats}.`;
  }
  return [capitalise(first), exploratoryWarning(n, lang), causationCaution(lang)]
    .filter(Boolean)
    .join(' ');
}

// --- the cross-lagged panel ---------------------------------------------------------------------

export interface PanelSummaryInput {
  n: number;
  wave1: string;
  wave2: string;
  /** r(internal wave 1, external wave 2). */
  internalLeads: SummaryCorrelation;
  /** r(external wave 1, internal wave 2). */
  externalLeads: SummaryCorrelation;
  /** Steiger's Z comparing the two; null when undefined. */
  difference: { z: number; p: number } | null;
  internal: SideLabel;
  external: SideLabel;
}

/**
 * Whether internal satisfaction appears to lead or follow external satisfaction: only when the two
 * cross-lagged correlations differ at p < 0.05 (Steiger's Z), and always as a pattern "consistent
 * with", never as proof.
 */
export function panelSummary(input: PanelSummaryInput, lang: Language): string {
  const x = sideLabel('internal', input.internal, lang);
  const y = sideLabel('external', input.external, lang);
  const a = formatNumber(input.internalLeads.r, lang);
  const b = formatNumber(input.externalLeads.r, lang);
  const d = input.difference;
  const test = d
    ? lang === 'it'
      ? `Z di Steiger = ${formatNumber(d.z, lang)}, ${formatP(d.p, lang)}`
      : `Steiger's Z = ${formatNumber(d.z, lang)}, ${formatP(d.p, lang)}`
    : lang === 'it'
      ? 'il confronto non è calcolabile'
      : 'the comparison cannot be computed';
  const leads = d !== null && d.p < 0.05 ? (d.z > 0 ? 'internal' : 'external') : null;
  let text: string;
  if (lang === 'it') {
    const pair = `tra ${input.wave1} e ${input.wave2}, su ${input.n} unità`;
    text =
      leads === 'internal'
        ? `${capitalise(pair)}, la correlazione tra ${x} in ${input.wave1} e ${y} in ${input.wave2} (r = ${a}) è più forte di quella tra ${y} in ${input.wave1} e ${x} in ${input.wave2} (r = ${b}); ${test}. Il quadro è compatibile con ${x} che anticipa ${y}, ma non lo dimostra.`
        : leads === 'external'
          ? `${capitalise(pair)}, la correlazione tra ${y} in ${input.wave1} e ${x} in ${input.wave2} (r = ${b}) è più forte di quella tra ${x} in ${input.wave1} e ${y} in ${input.wave2} (r = ${a}); ${test}. Il quadro è compatibile con ${x} che segue ${y}, ma non lo dimostra.`
          : `${capitalise(pair)}, le due correlazioni incrociate (da interno a esterno r = ${a}, da esterno a interno r = ${b}) non differiscono in modo chiaro (${test}): i dati non indicano quale delle due anticipi l'altra.`;
  } else {
    const pair = `between ${input.wave1} and ${input.wave2}, across ${input.n} units`;
    text =
      leads === 'internal'
        ? `${capitalise(pair)}, ${x} in ${input.wave1} is more strongly related to ${y} in ${input.wave2} (r = ${a}) than ${y} in ${input.wave1} is to ${x} in ${input.wave2} (r = ${b}); ${test}. This pattern is consistent with ${x} leading ${y}, but does not prove it.`
        : leads === 'external'
          ? `${capitalise(pair)}, ${y} in ${input.wave1} is more strongly related to ${x} in ${input.wave2} (r = ${b}) than ${x} in ${input.wave1} is to ${y} in ${input.wave2} (r = ${a}); ${test}. This pattern is consistent with ${x} following ${y}, but does not prove it.`
          : `${capitalise(pair)}, the two cross-lagged correlations (internal to external r = ${a}, external to internal r = ${b}) do not differ clearly (${test}): the data do not show which one leads.`;
  }
  const warn = exploratoryWarning(input.n, lang);
  return [text, warn].filter(Boolean).join(' ');
}

/**
 * Why a unit is left out of the linkage, in the reader's language. An internal group below the
 * anonymity threshold never shows its count.
 */
export function exclusionReasons(lang: Language) {
  return lang === 'it'
    ? {
        noInternal: 'nessuna risposta interna',
        belowThreshold: (k: number) => `risposte interne sotto la soglia di anonimato (${k})`,
        complementary:
          'risultati interni non mostrati perché non si possa ricavare un gruppo più piccolo (soppressione complementare)',
        fewInternal: (n: number, min: number) => `interno n=${n} < ${min}`,
        noExternal: 'nessuna risposta esterna',
        fewExternal: (n: number, min: number) => `esterno n=${n} < ${min}`,
        noScore: 'nessun punteggio con questa metrica',
      }
    : {
        noInternal: 'no internal responses',
        belowThreshold: (k: number) => `internal responses below the anonymity threshold (${k})`,
        complementary:
          'internal results withheld so that a smaller group cannot be derived (complementary suppression)',
        fewInternal: (n: number, min: number) => `internal n=${n} < ${min}`,
        noExternal: 'no external responses',
        fewExternal: (n: number, min: number) => `external n=${n} < ${min}`,
        noScore: 'no score on this metric',
      };
}
