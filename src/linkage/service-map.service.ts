import { Injectable } from '@nestjs/common';
import { invalid, notFound } from '../common/domain-error.js';
import { suppressedKeys } from '../confidentiality/suppression.js';
import {
  addValue,
  emptyCounts,
  meanScale,
  rollupTargets,
  scoreOf,
  type ValueCounts,
} from './linkage-scores.js';
import type {
  ServiceMapCell,
  ServiceMapInput,
  ServiceMapProvider,
  ServiceMapResult,
} from './linkage.dto.js';
import { LinkageRepository } from './linkage.repository.js';
import { LinkageScoringService, campaignRef } from './linkage-scoring.service.js';
import { isNumericType, type NumericQuestionType } from '../domain/questions.js';

const byCode = (a: { unitCode: string }, b: { unitCode: string }) =>
  a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0;

/**
 * The internal service map: how each rater unit (responses.unit_id, optionally rolled up to a
 * level) rates each provider unit, pooled over the provider's questions.
 * - n = respondents (distinct responses), mean = mean rating over all the provider's answers, on
 *   the questions' scale (0–100 when the provider's questions mix scales; see `scale`);
 * - a provider total below MIN_GROUP_SIZE is suppressed with all its cells;
 * - within a provider column the rater cells are suppressed with `suppressedKeys()` (primary below
 *   k, plus complementary), because the provider total is released;
 * - cells without any rating are left out.
 */
@Injectable()
export class ServiceMapService {
  constructor(
    private readonly repo: LinkageRepository,
    private readonly scoring: LinkageScoringService,
  ) {}

  async serviceMap(input: ServiceMapInput): Promise<ServiceMapResult> {
    const k = this.scoring.k;
    const level = input.level ?? null;
    const campaign = await this.repo.findCampaign(input.campaignId);
    if (!campaign) throw notFound('Campaign');
    if (campaign.audience !== 'internal') {
      throw invalid('The service map exists for internal campaigns only', [
        { field: 'id', message: 'campaign is not an internal campaign' },
      ]);
    }
    const [questions, units, ratings, respondents] = await Promise.all([
      this.repo.questions(campaign.id),
      this.repo.units(),
      this.repo.providerValueCounts(campaign.id),
      this.repo.providerRespondents(campaign.id),
    ]);
    const unitById = new Map(units.map((u) => [u.id, u]));
    const targets = rollupTargets(units, level);
    const raterOf = (id: string) => targets.get(id) ?? id;
    const codeOf = (id: string) => unitById.get(id)?.code ?? id;
    const nameOf = (id: string) => unitById.get(id)?.name ?? id;

    const providerQuestions = new Map<
      string,
      { keys: string[]; types: Set<NumericQuestionType> }
    >();
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
      const providerHidden = total > 0 && total < k;
      if (providerHidden) provider.suppressed = true;
      else {
        provider.n = total;
        const mean = scoreOf(all, 'mean', pomp);
        if (mean !== null) provider.mean = mean;
      }
      providers.push(provider);
      const hidden = suppressedKeys(
        [...people].map(([key, n]) => ({ key, n })),
        k,
      );
      for (const [raterId, n] of people) {
        if (n === 0) continue;
        raterIds.add(raterId);
        const cell: ServiceMapCell = {
          raterUnitCode: codeOf(raterId),
          providerUnitCode: provider.unitCode,
        };
        const mean = scoreOf(column.get(raterId) ?? emptyCounts(), 'mean', pomp);
        if (providerHidden || hidden.has(raterId) || mean === null) cell.suppressed = true;
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
    return { campaign: campaignRef(campaign), level, minGroupSize: k, providers, raters, cells };
  }
}
