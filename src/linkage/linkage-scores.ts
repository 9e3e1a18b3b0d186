/**
 * Scores from counts: value distributions (counts per answer value, as returned by the GROUP BY
 * queries) and the three metrics computed from them. Pure: no Nest, no database.
 */
import { npsFromCounts, proportion } from '../stats/index.js';
import { QUESTION_SCALES, isNumericType, type NumericQuestionType } from '../domain/questions.js';

export type Metric = 'mean' | 'topbox' | 'nps';
export const METRICS: readonly Metric[] = ['mean', 'topbox', 'nps'];

/** How many answers took each value, per scale type (a group may pool questions of several types). */
export type ValueCounts = Map<NumericQuestionType, Map<number, number>>;

export function emptyCounts(): ValueCounts {
  return new Map();
}

/** Adds `count` answers of `value` on a question of `type`; non-numeric types are ignored. */
export function addValue(target: ValueCounts, type: string, value: number, count: number): void {
  if (!isNumericType(type) || !(count > 0)) return;
  let byValue = target.get(type);
  if (!byValue) target.set(type, (byValue = new Map()));
  byValue.set(value, (byValue.get(value) ?? 0) + count);
}

/** target += source. */
export function addCounts(target: ValueCounts, source: ValueCounts): void {
  for (const [type, byValue] of source) {
    for (const [value, count] of byValue) addValue(target, type, value, count);
  }
}

/** Number of answers in a distribution. */
export function answerCount(counts: ValueCounts): number {
  let n = 0;
  for (const byValue of counts.values()) for (const c of byValue.values()) n += c;
  return n;
}

/** The scale a `mean` is expressed on: the question's own scale, or 0–100 when types are mixed. */
export interface Scale {
  min: number;
  max: number;
}

/**
 * The scale of a mean over questions of these types: their own scale when they share one
 * (csat and likert are both 1–5), else 0–100 "percent of maximum possible" (POMP).
 */
export function meanScale(types: Iterable<NumericQuestionType>): { scale: Scale; pomp: boolean } {
  const scales = [
    ...new Set([...types].map((t) => `${QUESTION_SCALES[t].min}-${QUESTION_SCALES[t].max}`)),
  ];
  if (scales.length === 1) {
    const [min, max] = scales[0].split('-').map(Number);
    return { scale: { min, max }, pomp: false };
  }
  return { scale: { min: 0, max: 100 }, pomp: true };
}

/**
 * The score of a distribution. `mean`: on the scale of `meanScale(types)` (pass `pomp` to force the
 * 0–100 rescaling); `topbox`: share (0–1) of answers on the top two points of their question's scale;
 * `nps`: −100…100, only over nps answers (null when other types are present). Null when empty.
 */
export function scoreOf(counts: ValueCounts, metric: Metric, pomp = false): number | null {
  const n = answerCount(counts);
  if (n === 0) return null;
  if (metric === 'nps') {
    if ([...counts.keys()].some((t) => t !== 'nps')) return null;
    const byValue = counts.get('nps') ?? new Map<number, number>();
    let promoters = 0;
    let passives = 0;
    let detractors = 0;
    for (const [v, c] of byValue) {
      if (v >= 9) promoters += c;
      else if (v >= 7) passives += c;
      else detractors += c;
    }
    return npsFromCounts({ promoters, passives, detractors })?.score ?? null;
  }
  if (metric === 'topbox') {
    let top = 0;
    for (const [type, byValue] of counts) {
      const threshold = QUESTION_SCALES[type].max - 1;
      for (const [v, c] of byValue) if (v >= threshold) top += c;
    }
    return proportion(top, n)?.share ?? null;
  }
  const rescale = pomp || meanScale(counts.keys()).pomp;
  let total = 0;
  for (const [type, byValue] of counts) {
    const { min, max } = QUESTION_SCALES[type];
    for (const [v, c] of byValue) total += c * (rescale ? ((v - min) / (max - min)) * 100 : v);
  }
  return total / n;
}
