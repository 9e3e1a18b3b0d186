import { Injectable } from '@nestjs/common';
import { invalid } from '../common/domain-error.js';
import { benjaminiHochberg, pearson } from '../stats/index.js';
import { association, constantSide, pearsonJson } from './linkage-stats.js';
import { EXPLORATORY_BELOW, linkageSummary } from './linkage-summary.js';
import type {
  DriverRow,
  DriversInput,
  DriversResult,
  LinkageInput,
  LinkageResult,
} from './linkage.dto.js';
import { LinkageRepository } from './linkage.repository.js';
import { LinkageScoringService, campaignRef } from './linkage-scoring.service.js';
import { isNumericType, type NumericQuestionType } from '../domain/questions.js';

/** The linkage of one internal and one external campaign across units, and its drivers. */
@Injectable()
export class LinkageService {
  constructor(
    private readonly scoring: LinkageScoringService,
    private readonly repo: LinkageRepository,
  ) {}

  async linkage(input: LinkageInput): Promise<LinkageResult> {
    const opts = this.scoring.resolveOptions(input);
    const [ic, ec] = await Promise.all([
      this.scoring.campaign(input.internal, 'internal', 'internal'),
      this.scoring.campaign(input.external, 'external', 'external'),
    ]);
    const [internal, external] = await Promise.all([
      this.scoring.resolveSide('internal', ic, input.internalQuestion, opts, 'internalQuestion'),
      this.scoring.resolveSide('external', ec, input.externalQuestion, opts, 'externalQuestion'),
    ]);
    const ctx = await this.scoring.unitContext(opts.level);
    // The internal side is aggregated once: the report's counts serve both its disclosure plan
    // and (member perspective) the unit scores.
    const [facts, eT] = await Promise.all([
      this.scoring.internalFacts(internal.campaign.id, internal.questionKeys),
      this.scoring.tallies(external, ctx),
    ]);
    const typeOf = new Map(
      facts.campaign.questions
        .filter((q) => isNumericType(q.type))
        .map((q) => [q.key, q.type as NumericQuestionType]),
    );
    const iT =
      internal.perspective === 'member'
        ? this.scoring.talliesFromCounts(internal, facts.numeric, typeOf, ctx)
        : await this.scoring.tallies(internal, ctx);
    const release = this.scoring.releasePredicate(internal, ctx, facts.disclosure);
    const pairing = this.scoring.pair(internal, external, iT, eT, ctx, release, opts.lang);
    const paired = pairing.units.map((u) => ({
      x: u.internal.score,
      y: u.external.score,
      nx: u.internal.n,
      ny: u.external.n,
    }));
    const stats = association(paired);
    const n = pairing.units.length;
    const summary = linkageSummary(
      {
        n,
        pearson: stats.pearson,
        internal: { metric: internal.metric, perspective: internal.perspective },
        external: { metric: external.metric },
        constantSide: constantSide(paired),
      },
      opts.lang,
    );
    return {
      n,
      units: pairing.units,
      excluded: pairing.excluded,
      ...stats,
      summary,
      lang: opts.lang,
      perspective: opts.perspective,
      level: opts.level,
      internal: this.scoring.describe(internal),
      external: this.scoring.describe(external),
      exploratory: n < EXPLORATORY_BELOW,
      notes: opts.notes,
    };
  }

  /**
   * Each numeric, non-provider internal question correlated across units with the external
   * question (default headline); same inclusion rule as the linkage (member perspective), BH over
   * the p-values, sorted by |r| descending with undefined r last.
   */
  async drivers(input: DriversInput): Promise<DriversResult> {
    const opts = this.scoring.resolveOptions({ ...input, perspective: 'member' });
    const [ic, ec] = await Promise.all([
      this.scoring.campaign(input.internal, 'internal', 'internal'),
      this.scoring.campaign(input.external, 'external', 'external'),
    ]);
    const external = await this.scoring.resolveSide(
      'external',
      ec,
      input.externalQuestion,
      opts,
      'externalQuestion',
    );
    const questions = (await this.repo.questions(ic.id)).filter(
      (q) => isNumericType(q.type) && q.providerUnitId === null,
    );
    const ctx = await this.scoring.unitContext(opts.level);
    const skipped: DriversResult['skipped'] = [];
    const scored = questions.filter((q) => {
      if (opts.internalMetric === 'nps' && q.type !== 'nps') {
        skipped.push({
          questionKey: q.key,
          reason: 'the nps metric applies to nps questions only',
        });
        return false;
      }
      return true;
    });
    // ONE aggregate of the internal questions (serving both the disclosure plan and the scores),
    // one for the external side.
    const [facts, eT] = await Promise.all([
      this.scoring.internalFacts(
        ic.id,
        scored.map((q) => q.key),
      ),
      this.scoring.tallies(external, ctx),
    ]);
    const typeOf = new Map(scored.map((q) => [q.key, q.type as NumericQuestionType]));
    const drivers: DriverRow[] = scored.map((q) => {
      const side = this.scoring.checkSide('internal', ic, [q], q.key, opts, 'internalQuestion');
      if ('errors' in side) throw invalid('Invalid linkage parameters', side.errors);
      const tallies = this.scoring.talliesFromCounts(side.side, facts.numeric, typeOf, ctx);
      const release = this.scoring.releasePredicate(side.side, ctx, facts.disclosure);
      const pairing = this.scoring.pair(side.side, external, tallies, eT, ctx, release, opts.lang);
      const test = pearson(
        pairing.units.map((u) => u.internal.score),
        pairing.units.map((u) => u.external.score),
      );
      const json = pearsonJson(test);
      return {
        questionKey: q.key,
        questionType: q.type,
        text: parseText(q.textJson),
        metric: side.side.metric,
        n: pairing.units.length,
        r: json?.r ?? null,
        ci95: json?.ci95 ?? null,
        p: json?.p ?? null,
        pAdjusted: null,
      };
    });
    const adjusted = benjaminiHochberg(drivers.map((d) => d.p));
    drivers.forEach((d, i) => (d.pAdjusted = adjusted[i]));
    drivers.sort((a, b) => {
      if (a.r === null || b.r === null) return a.r === null ? (b.r === null ? 0 : 1) : -1;
      return Math.abs(b.r) - Math.abs(a.r) || a.questionKey.localeCompare(b.questionKey);
    });
    return {
      internal: campaignRef(ic),
      external: this.scoring.describe(external),
      level: opts.level,
      internalMinResponses: opts.internalMin,
      drivers,
      skipped,
      notes: opts.notes,
    };
  }
}

function parseText(json: string): { en?: string | null; it?: string | null } {
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
