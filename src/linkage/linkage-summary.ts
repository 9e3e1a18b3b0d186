/**
 * The plain-language sentences of the linkage report, in English and Italian. Pure: the numbers
 * come in, the sentence goes out.
 *
 * Wording rules (documented in linkage.dto.ts):
 * - direction comes from the 95 % interval: it spans 0 → "no clear relationship"; with n = 3 (no
 *   interval) from p < 0.05;
 * - strength from |r|: < 0.3 weak, < 0.5 moderate, otherwise strong;
 * - numbers with 2 decimals (Italian: decimal comma); p with two significant digits, never rounded
 *   across 0.05, "p < 0.001" below a thousandth (see `pValueText`);
 * - the 95 % interval's width in words (STATISTICS.md §1.7: always show the interval);
 * - fewer than 30 units: "exploratory" (§1.7); fewer than 10: too few to conclude; one causation
 *   caution per text.
 */
import type { Language } from '../domain/language.js';
import type { Metric } from './linkage-scores.js';

/** Below this many units the result is labelled exploratory (STATISTICS.md §1.7). */
export const EXPLORATORY_BELOW = 30;

/** Below this many units an exploratory result is too uncertain to conclude anything. */
export const TOO_FEW_BELOW = 10;

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

/**
 * A p-value as text, without "p": "< 0.001" below a thousandth, else two significant digits
 * (0.045 → "0.045", 0.12 → "0.12", 0.001 → "0.0010"). Rule: a p below 0.05 never prints as 0.05
 * or more — where two significant digits would round it up to 0.050 (0.0496, 0.04999), more
 * digits are shown until it reads below 0.05 (0.0496, 0.04999), and "< 0.05" past four
 * significant digits. A p of 0.05 or more may print as "0.050" (0.0501): that is on the same side.
 */
export function pValueText(p: number, lang: Language): string {
  const local = (text: string) => (lang === 'it' ? text.replace('.', ',') : text);
  if (p < 0.001) return `< ${local('0.001')}`;
  for (let digits = 2; digits <= 4; digits++) {
    const text = p.toPrecision(digits);
    if (p >= 0.05 || Number(text) < 0.05) return local(text);
  }
  return `< ${local('0.05')}`;
}

/** "p < 0.001", "p = 0.045" (see `pValueText`). */
export function formatP(p: number, lang: Language): string {
  const text = pValueText(p, lang);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
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

/**
 * The small-n caution (STATISTICS.md §1.7): below 10 units too few to conclude; below 30 an
 * exploratory result (an r of 0.30 on 30 units still has a 95 % interval from −0.07 to 0.60).
 */
export function exploratoryWarning(n: number, lang: Language): string | null {
  if (n >= EXPLORATORY_BELOW) return null;
  if (n < TOO_FEW_BELOW) {
    return lang === 'it'
      ? `Analisi esplorativa: meno di ${TOO_FEW_BELOW} unità, troppo poche per trarre conclusioni.`
      : `Exploratory: fewer than ${TOO_FEW_BELOW} units, too few to conclude.`;
  }
  return lang === 'it'
    ? `Analisi esplorativa: meno di ${EXPLORATORY_BELOW} unità, la stima è imprecisa; è un'indicazione da verificare, non un risultato.`
    : `Exploratory: fewer than ${EXPLORATORY_BELOW} units, so the estimate is imprecise; treat it as a lead to check, not a finding.`;
}

/** Widths of the 95 % interval of r read as narrow (< 0.3), fairly wide (< 0.6) or wide. */
export type IntervalWidth = 'narrow' | 'fairlyWide' | 'wide';

export function intervalWidthOf(ci: readonly [number, number]): IntervalWidth {
  const width = ci[1] - ci[0];
  return width < 0.3 ? 'narrow' : width < 0.6 ? 'fairlyWide' : 'wide';
}

const WIDTH_WORDS: Record<Language, Record<IntervalWidth, string>> = {
  en: { narrow: 'narrow', fairlyWide: 'fairly wide', wide: 'wide' },
  it: { narrow: 'stretto', fairlyWide: 'piuttosto ampio', wide: 'ampio' },
};

/** "a strong positive relationship", "no relationship" (|r| < 0.1) for one end of an interval. */
function relationshipWords(r: number, lang: Language): string {
  if (Math.abs(r) < 0.1) return lang === 'it' ? 'nessuna relazione' : 'no relationship';
  const strength = strengthOf(r);
  if (lang === 'it') {
    return `una relazione ${r > 0 ? 'positiva' : 'negativa'} ${STRENGTH_IT[strength]}`;
  }
  return `a ${strength} ${r > 0 ? 'positive' : 'negative'} relationship`;
}

/**
 * The 95 % interval's width in words (STATISTICS.md §1.7), e.g. "The 95 % interval is wide (0.67):
 * the data fit anything from no relationship to a strong positive relationship." With n = 3 there
 * is no interval, and the sentence says so.
 */
export function intervalInWords(c: SummaryCorrelation, n: number, lang: Language): string {
  if (!c.ci95) {
    return lang === 'it'
      ? `Con ${n} unità non c'è un intervallo di confidenza al 95 % (servono almeno 4 unità): la stima è molto incerta.`
      : `With ${n} units there is no 95 % interval (it needs at least 4 units): the estimate is very uncertain.`;
  }
  const [lower, upper] = c.ci95;
  const width = formatNumber(upper - lower, lang);
  const words = WIDTH_WORDS[lang][intervalWidthOf(c.ci95)];
  const from = relationshipWords(lower, lang);
  const to = relationshipWords(upper, lang);
  if (lang === 'it') {
    return from === to
      ? `L'intervallo al 95 % è ${words} (ampiezza ${width}): indica ${from}.`
      : `L'intervallo al 95 % è ${words} (ampiezza ${width}): i dati sono compatibili con qualunque situazione tra ${from} e ${to}.`;
  }
  return from === to
    ? `The 95 % interval is ${words} (${width} wide): it points to ${from}.`
    : `The 95 % interval is ${words} (${width} wide): the data fit anything from ${from} to ${to}.`;
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
  return [
    capitalise(first),
    intervalInWords(c, n, lang),
    exploratoryWarning(n, lang),
    causationCaution(lang),
  ]
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
        hidden: 'nascosto per tutelare la riservatezza',
        notReleased: 'i risultati interni sono pubblicati alla chiusura della campagna',
        fewInternal: (n: number, min: number) => `interno n=${n} < ${min}`,
        noExternal: 'nessuna risposta esterna',
        fewExternal: (n: number, min: number) => `esterno n=${n} < ${min}`,
        noScore: 'nessun punteggio con questa metrica',
      }
    : {
        noInternal: 'no internal responses',
        hidden: 'hidden to protect confidentiality',
        notReleased: 'internal results are released when the campaign closes',
        fewInternal: (n: number, min: number) => `internal n=${n} < ${min}`,
        noExternal: 'no external responses',
        fewExternal: (n: number, min: number) => `external n=${n} < ${min}`,
        noScore: 'no score on this metric',
      };
}

// --- why a statistic is null --------------------------------------------------------------------

/** Why a statistic of a response is null (a stable code for clients, and the words). */
export type NullReasonCode =
  | 'tooFewUnits'
  | 'noVariation'
  | 'equalSizes'
  | 'sizeInLine'
  | 'noInterval'
  | 'tooFewEffectiveUnits'
  | 'collinearWaves'
  | 'perfectCrossLag'
  | 'notComputable';

/** The reason next to a null statistic, in both report languages. */
export interface NullReason {
  code: NullReasonCode;
  en: string;
  it: string;
}

export interface NullReasonParams {
  /** Units kept. */
  n?: number;
  /** Units the statistic needs. */
  needed?: number;
  side?: 'internal' | 'external';
  effectiveN?: number;
  wave1?: string;
  wave2?: string;
}

export function nullReason(code: NullReasonCode, o: NullReasonParams = {}): NullReason {
  const num = (v: number | undefined, lang: Language) => formatNumber(v ?? 0, lang, 1);
  switch (code) {
    case 'tooFewUnits':
      return {
        code,
        en: `only ${o.n} ${unitsWord(o.n ?? 0, 'en')} kept; this statistic needs at least ${o.needed}`,
        it: `solo ${o.n} unità considerate; questa statistica ne richiede almeno ${o.needed}`,
      };
    case 'noVariation':
      return {
        code,
        en: `the ${o.side} score is the same in every unit, so there is no variation to correlate`,
        it: `il punteggio ${o.side === 'external' ? 'esterno' : 'interno'} è uguale in tutte le unità: non c'è variazione da correlare`,
      };
    case 'equalSizes':
      return {
        code,
        en: 'every unit has the same number of respondents, so there is no unit size to control for',
        it: "tutte le unità hanno lo stesso numero di rispondenti: non c'è una dimensione delle unità da tenere sotto controllo",
      };
    case 'sizeInLine':
      return {
        code,
        en: 'unit size is exactly in line with one of the two scores, so controlling for it leaves nothing to correlate',
        it: 'la dimensione delle unità è perfettamente allineata con uno dei due punteggi: tenendone conto non resta nulla da correlare',
      };
    case 'noInterval':
      return {
        code,
        en: `no 95 % interval with ${o.n} units: it needs at least ${o.needed}`,
        it: `nessun intervallo al 95 % con ${o.n} unità: ne servono almeno ${o.needed}`,
      };
    case 'tooFewEffectiveUnits':
      return {
        code,
        en: `the weights leave ${num(o.effectiveN, 'en')} effective units; the test needs more than 3`,
        it: `con i pesi restano ${num(o.effectiveN, 'it')} unità effettive; il test ne richiede più di 3`,
      };
    case 'collinearWaves':
      return {
        code,
        en: `the internal and external scores of ${o.wave1} are exactly in line across the units (collinear), so their separate effects on ${o.wave2} cannot be told apart`,
        it: `in ${o.wave1} i punteggi interni ed esterni sono perfettamente allineati tra le unità (collineari): i loro effetti separati su ${o.wave2} non si possono distinguere`,
      };
    case 'perfectCrossLag':
      return {
        code,
        en: 'a cross-lagged correlation is exactly ±1, where the comparison is not defined',
        it: 'una correlazione incrociata vale esattamente ±1 e il confronto non è definito',
      };
    default:
      return {
        code: 'notComputable',
        en: 'these scores do not allow it to be computed',
        it: 'questi punteggi non permettono di calcolarla',
      };
  }
}

/**
 * Why a panel's figures can differ from the pairs of its waves: it uses only the units kept in
 * both waves. Null when no unit is left out.
 */
export function panelUnitSetNote(
  input: { n: number; wave1: string; wave2: string; leftOut: { wave1: string[]; wave2: string[] } },
  lang: Language,
): string | null {
  const { n, wave1, wave2, leftOut } = input;
  if (leftOut.wave1.length === 0 && leftOut.wave2.length === 0) return null;
  const lists = [
    leftOut.wave1.length ? `${wave1}: ${leftOut.wave1.join(', ')}` : null,
    leftOut.wave2.length ? `${wave2}: ${leftOut.wave2.join(', ')}` : null,
  ]
    .filter(Boolean)
    .join('; ');
  return lang === 'it'
    ? `Questo pannello usa solo le ${n} unità considerate sia in ${wave1} sia in ${wave2} (escluse perché assenti nell'altra ondata: ${lists}); per questo la sua correlazione sincrona di un'ondata può differire da quella della coppia di ondate, che usa tutte le unità considerate in quell'ondata.`
    : `This panel uses only the ${n} units kept in both ${wave1} and ${wave2} (left out because the other wave lacks them: ${lists}); so its synchronous r for a wave can differ from that wave's pair, which uses every unit kept in that wave.`;
}
