/**
 * Net Promoter Score on the 0–10 scale: promoters 9–10, passives 7–8, detractors 0–6.
 * NPS = 100(P − D); Var = 100²·(P + D − (P − D)²)/n, the population (ddof = 0) variance of the
 * scores coded +1/0/−1 over n (Engelhardt 2016); Wald interval clamped to [−100, 100].
 */
import { zCritical } from './distributions.js';
import type { Interval } from './types.js';
import { isCount } from './validate.js';

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsResult extends NpsCounts {
  n: number;
  /** Shares of the three groups, in [0, 1]. */
  promoterShare: number;
  passiveShare: number;
  detractorShare: number;
  /** −100…100. */
  score: number;
  /** Standard error of the score (score units). */
  se: number;
  /** Wald interval score ± z·se, clamped to [−100, 100]. */
  ci: Interval;
  /**
   * True when every respondent is in one group: se = 0 and the interval collapses to a point,
   * which says more about the sample size than about certainty.
   */
  degenerate: boolean;
}

/** NPS from group counts; null when a count is not a non-negative integer or n = 0. */
export function npsFromCounts(counts: NpsCounts, level = 0.95): NpsResult | null {
  const { promoters, passives, detractors } = counts;
  const z = zCritical(level);
  if (z === null || ![promoters, passives, detractors].every(isCount)) return null;
  const n = promoters + passives + detractors;
  if (n === 0 || !Number.isSafeInteger(n)) return null;
  const p = promoters / n;
  const d = detractors / n;
  const score = 100 * (p - d);
  const se = 100 * Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n);
  const groups = [promoters, passives, detractors].filter((c) => c > 0).length;
  return {
    promoters,
    passives,
    detractors,
    n,
    promoterShare: p,
    passiveShare: passives / n,
    detractorShare: d,
    score,
    se,
    ci: { lower: Math.max(-100, score - z * se), upper: Math.min(100, score + z * se) },
    degenerate: groups === 1,
  };
}

/**
 * NPS from raw 0–10 answers. Null when there are no answers or an answer is not an integer
 * from 0 to 10 (filter missing answers out first).
 */
export function npsFromScores(scores: readonly number[], level = 0.95): NpsResult | null {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const s of scores) {
    if (!Number.isInteger(s) || s < 0 || s > 10) return null;
    if (s >= 9) counts.promoters++;
    else if (s >= 7) counts.passives++;
    else counts.detractors++;
  }
  return npsFromCounts(counts, level);
}
