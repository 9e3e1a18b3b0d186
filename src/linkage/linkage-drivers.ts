/**
 * The pure steps of the drivers analysis: which internal questions are scored, one row per question
 * from its pairing, and the ranking with Benjamini–Hochberg adjusted p-values. No Nest, no database.
 */
import type { QuestionEntity } from '../database/schema/question.entity.js';
import { isNumericType } from '../domain/questions.js';
import { benjaminiHochberg, pearson } from '../stats/index.js';
import type { Metric } from './linkage-scores.js';
import { pairedScores, type Pairing } from './linkage-pairing.js';
import { pearsonJson, pearsonNullReasons } from './linkage-stats.js';
import type { DriverRow, DriversResult } from './linkage.dto.js';

/**
 * The numeric, non-provider internal questions a drivers analysis scores with `metric`; the nps
 * metric scores nps questions only, the others are listed as skipped.
 */
export function driverQuestions(
  questions: readonly QuestionEntity[],
  metric: Metric,
): { scored: QuestionEntity[]; skipped: DriversResult['skipped'] } {
  const skipped: DriversResult['skipped'] = [];
  const scored = questions
    .filter((q) => isNumericType(q.type) && q.providerUnitId === null)
    .filter((q) => {
      if (metric === 'nps' && q.type !== 'nps') {
        skipped.push({
          questionKey: q.key,
          reason: 'the nps metric applies to nps questions only',
        });
        return false;
      }
      return true;
    });
  return { scored, skipped };
}

/** One question's correlation across the kept units (pAdjusted is filled in by rankDrivers). */
export function driverRow(question: QuestionEntity, metric: Metric, pairing: Pairing): DriverRow {
  const json = pearsonJson(
    pearson(
      pairing.units.map((u) => u.internal.score),
      pairing.units.map((u) => u.external.score),
    ),
  );
  return {
    questionKey: question.key,
    questionType: question.type,
    text: questionText(question.textJson),
    metric,
    n: pairing.units.length,
    r: json?.r ?? null,
    ci95: json?.ci95 ?? null,
    p: json?.p ?? null,
    pAdjusted: null,
    nullReasons: pearsonNullReasons(pairedScores(pairing), json),
  };
}

/** BH-adjusted p-values over the drivers, then sorted by |r| descending, undefined r last. */
export function rankDrivers(drivers: DriverRow[]): DriverRow[] {
  const adjusted = benjaminiHochberg(drivers.map((d) => d.p));
  drivers.forEach((d, i) => (d.pAdjusted = adjusted[i]));
  return drivers.sort((a, b) => {
    if (a.r === null || b.r === null) return a.r === null ? (b.r === null ? 0 : 1) : -1;
    return Math.abs(b.r) - Math.abs(a.r) || a.questionKey.localeCompare(b.questionKey);
  });
}

/** A question's text in both languages; empty when the stored JSON is unreadable. */
export function questionText(json: string): { en?: string | null; it?: string | null } {
  try {
    const value = JSON.parse(json) as { en?: unknown; it?: unknown };
    return {
      en: typeof value.en === 'string' ? value.en : null,
      it: typeof value.it === 'string' ? value.it : null,
    };
  } catch {
    return {};
  }
}
