/**
 * The internal service map from its counts: how each rater unit (responses.unit_id, optionally
 * rolled up to a level) rates each provider unit, pooled over the provider's questions.
 * - n = respondents (distinct responses), mean = mean rating over all the provider's answers, on
 *   the questions' scale (0–100 when the provider's questions mix scales; see `scale`);
 * - suppression is the campaign's release decision (`Disclosure`, the one the report, the linkage
 *   and the CSV export read): a cell pools the answers of a rater group to the provider's
 *   questions, so it is shown only when that group (a unit's own respondents, or its subtree when
 *   rolled up) is released for every one of those questions; the provider total likewise needs
 *   every question's campaign-wide figure. Every figure of the map is then a sum of released
 *   figures, at every level at once;
 * - cells without any rating are left out.
 * Pure: no Nest, no database.
 */
import type { Disclosure } from '../confidentiality/disclosure-plan.js';
import type { QuestionEntity } from '../database/schema/question.entity.js';
import { isNumericType, type NumericQuestionType } from '../domain/questions.js';
import { addValue, emptyCounts, meanScale, scoreOf, type ValueCounts } from './linkage-scores.js';
import { memberGroupRelease } from './linkage-pairing.js';
import { rollupTargets, type LinkageUnit } from './linkage-tallies.js';
import type { ServiceMapCell, ServiceMapProvider, ServiceMapResult } from './linkage.dto.js';

/** What the service map is computed from (aggregate rows only). */
export interface ServiceMapCounts {
  questions: readonly QuestionEntity[];
  units: readonly LinkageUnit[];
  /** Ratings per rater unit, provider unit, type and value. */
  ratings: ReadonlyArray<{
    raterUnitId: string;
    providerUnitId: string;
    type: string;
    value: number;
    count: number;
  }>;
  /** Distinct respondents per rater unit and provider. */
  respondents: ReadonlyArray<{ raterUnitId: string; providerGroup: string; respondents: number }>;
}

const byCode = (a: { unitCode: string }, b: { unitCode: string }) =>
  a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0;

/** Providers, raters and cells of the service map, rolled up to `level`, released by `disclosure`. */
export function serviceMapCells(
  { questions, units, ratings, respondents }: ServiceMapCounts,
  level: number | null,
  disclosure: Pick<Disclosure, 'released' | 'questionShown' | 'questionOwnShown'>,
): Pick<ServiceMapResult, 'providers' | 'raters' | 'cells'> {
  const unitById = new Map(units.map((u) => [u.id, u]));
  const targets = rollupTargets(units, level);
  const raterReleased = memberGroupRelease(targets, disclosure);
  const raterOf = (id: string) => targets.get(id) ?? id;
  const codeOf = (id: string) => unitById.get(id)?.code ?? id;
  const nameOf = (id: string) => unitById.get(id)?.name ?? id;

  const providerQuestions = new Map<string, { keys: string[]; types: Set<NumericQuestionType> }>();
  for (const q of questions) {
    if (q.providerUnitId === null || !isNumericType(q.type)) continue;
    let entry = providerQuestions.get(q.providerUnitId);
    if (!entry) providerQuestions.set(q.providerUnitId, (entry = { keys: [], types: new Set() }));
    entry.keys.push(q.key);
    entry.types.add(q.type);
  }

  // (provider → rater → tallies), raters rolled up; respondent counts add up across raters.
  const cellCounts = new Map<string, Map<string, ValueCounts>>();
  for (const row of ratings) {
    let column = cellCounts.get(row.providerUnitId);
    if (!column) cellCounts.set(row.providerUnitId, (column = new Map()));
    const rater = raterOf(row.raterUnitId);
    let counts = column.get(rater);
    if (!counts) column.set(rater, (counts = emptyCounts()));
    addValue(counts, row.type, row.value, row.count);
  }
  const cellPeople = new Map<string, Map<string, number>>();
  for (const row of respondents) {
    let column = cellPeople.get(row.providerGroup);
    if (!column) cellPeople.set(row.providerGroup, (column = new Map()));
    const rater = raterOf(row.raterUnitId);
    column.set(rater, (column.get(rater) ?? 0) + row.respondents);
  }

  const providers: ServiceMapProvider[] = [];
  const cells: ServiceMapCell[] = [];
  const raterIds = new Set<string>();
  for (const [providerId, { keys, types }] of providerQuestions) {
    const { scale, pomp } = meanScale(types);
    const column = cellCounts.get(providerId) ?? new Map<string, ValueCounts>();
    const people = cellPeople.get(providerId) ?? new Map<string, number>();
    const total = [...people.values()].reduce((a, b) => a + b, 0);
    const provider: ServiceMapProvider = {
      unitCode: codeOf(providerId),
      unitName: nameOf(providerId),
      questionKeys: keys,
      scale,
    };
    const all = emptyCounts();
    for (const counts of column.values()) {
      for (const [type, byValue] of counts) {
        for (const [v, c] of byValue) addValue(all, type, v, c);
      }
    }
    const totalShown = keys.every((key) => disclosure.questionShown(key, null));
    // While the campaign is open nothing is listed, not even which providers were rated.
    if (!disclosure.released) {
      provider.suppressed = true;
      providers.push(provider);
      continue;
    }
    if (!totalShown && total > 0) provider.suppressed = true;
    else {
      provider.n = total;
      const mean = scoreOf(all, 'mean', pomp);
      if (mean !== null) provider.mean = mean;
    }
    providers.push(provider);
    for (const [raterId, n] of people) {
      if (n === 0) continue;
      raterIds.add(raterId);
      const cell: ServiceMapCell = {
        raterUnitCode: codeOf(raterId),
        providerUnitCode: provider.unitCode,
      };
      const mean = scoreOf(column.get(raterId) ?? emptyCounts(), 'mean', pomp);
      if (!totalShown || !raterReleased(raterId, keys) || mean === null) cell.suppressed = true;
      else {
        cell.n = n;
        cell.mean = mean;
      }
      cells.push(cell);
    }
  }
  providers.sort(byCode);
  cells.sort(
    (a, b) =>
      byCode({ unitCode: a.providerUnitCode }, { unitCode: b.providerUnitCode }) ||
      byCode({ unitCode: a.raterUnitCode }, { unitCode: b.raterUnitCode }),
  );
  const raters = [...raterIds]
    .map((id) => ({ unitCode: codeOf(id), unitName: nameOf(id) }))
    .sort(byCode);
  return { providers, raters, cells };
}
