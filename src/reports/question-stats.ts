/**
 * Per-question figures of the campaign report, computed from value counts (never from individual
 * responses). Pure: no Nest, no database.
 */
import { npsFromCounts, proportion, sum } from '../stats/index.js';
import {
  QUESTION_SCALES,
  type NumericQuestionType,
  type QuestionType,
} from '../domain/questions.js';

export interface NpsJson {
  score: number;
  promoters: number;
  passives: number;
  detractors: number;
  ci95: [number, number];
}

export interface TopBoxJson {
  share: number;
  ci95: [number, number];
}

/** One question of `GET /api/campaigns/:id/report`. */
export interface QuestionReportJson {
  key: string;
  type: QuestionType;
  /** Omitted only when the question is suppressed. */
  n?: number;
  mean?: number | null;
  distribution?: Record<string, number>;
  nps?: NpsJson;
  topBox?: TopBoxJson;
  /**
   * Internal campaigns: the release decision withholds this group (too small, too uniform, or
   * needed to protect another group); no numbers, and the same marker whatever the reason.
   */
  suppressed?: true;
  /** Text questions: a random sample of comments, only for groups ≥ MIN_COMMENT_GROUP_SIZE. */
  comments?: string[];
}

/** Top-two-box threshold per scale; NPS has its own groups instead. */
export const TOP_BOX_FROM: Readonly<Partial<Record<NumericQuestionType, number>>> = {
  csat: 4,
  likert: 4,
  ces: 6,
};

/** Every point of the scale, low to high. */
export function scalePoints(type: NumericQuestionType): number[] {
  const { min, max } = QUESTION_SCALES[type];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

/** n, mean, the full distribution (zero counts included), top-box or NPS of a numeric question. */
export function numericQuestion(
  key: string,
  type: NumericQuestionType,
  counts: ReadonlyMap<number, number>,
): QuestionReportJson {
  const points = scalePoints(type);
  const distribution: Record<string, number> = {};
  for (const p of points) distribution[String(p)] = counts.get(p) ?? 0;
  const n = points.reduce((s, p) => s + distribution[String(p)], 0);
  // Exact: integer products summed, then one division.
  const mean = n === 0 ? null : sum(points.map((p) => p * distribution[String(p)])) / n;
  const out: QuestionReportJson = { key, type, n, mean, distribution };
  if (type === 'nps') {
    const tally = { promoters: 0, passives: 0, detractors: 0 };
    for (const p of points) {
      const c = distribution[String(p)];
      if (p >= 9) tally.promoters += c;
      else if (p >= 7) tally.passives += c;
      else tally.detractors += c;
    }
    const nps = npsFromCounts(tally);
    if (nps)
      out.nps = {
        score: nps.score,
        promoters: nps.promoters,
        passives: nps.passives,
        detractors: nps.detractors,
        ci95: [nps.ci.lower, nps.ci.upper],
      };
  }
  const from = TOP_BOX_FROM[type];
  if (from !== undefined) {
    const top = points.filter((p) => p >= from).reduce((s, p) => s + distribution[String(p)], 0);
    const share = proportion(top, n);
    if (share) out.topBox = { share: share.share, ci95: [share.ci.lower, share.ci.upper] };
  }
  return out;
}

/** A choice question: n respondents, and how many chose each option (zero counts included). */
export function choiceQuestion(
  key: string,
  optionValues: readonly string[],
  counts: ReadonlyMap<string, number>,
  respondents: number,
): QuestionReportJson {
  const distribution: Record<string, number> = {};
  for (const v of optionValues) distribution[v] = counts.get(v) ?? 0;
  return { key, type: 'choice', n: respondents, distribution };
}

/** A question of a group too small to show: no numbers, not even n. */
export const suppressedQuestion = (key: string, type: QuestionType): QuestionReportJson => ({
  key,
  type,
  suppressed: true,
});
