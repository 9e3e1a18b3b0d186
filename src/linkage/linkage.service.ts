import { Injectable } from '@nestjs/common';
import { ALL_UNITS, type ReportScope } from '../domain/roles.js';
import { ReportScopeService } from '../reports/report-scope.service.js';
import { scopeLinkage } from './linkage-scope.js';
import { isNumericType } from '../domain/questions.js';
import { LinkageDataService } from './linkage-data.service.js';
import { driverQuestions, driverRow, rankDrivers } from './linkage-drivers.js';
import { readiness } from './linkage-readiness.js';
import { pairUnits, pairedScores, releasePredicate } from './linkage-pairing.js';
import {
  campaignRef,
  describeSide,
  requireSide,
  resolveOptions,
  resolveSide,
} from './linkage-sides.js';
import { association, constantSide } from './linkage-stats.js';
import { EXPLORATORY_BELOW, linkageSummary } from './linkage-summary.js';
import { pairingUnits, reportCounts, sideTallies } from './linkage-tallies.js';
import type { DriversInput, DriversResult, LinkageInput, LinkageResult } from './linkage.dto.js';

/**
 * The linkage of one internal and one external campaign across units, and its drivers:
 * fetch → sides → tallies → pairing → statistics → response.
 */
@Injectable()
export class LinkageService {
  constructor(
    private readonly data: LinkageDataService,
    private readonly scope: ReportScopeService,
  ) {}

  /** A unit manager (`reader`) gets the company-wide statistics and their own units' rows. */
  async linkage(input: LinkageInput, reader: ReportScope = ALL_UNITS): Promise<LinkageResult> {
    const k = this.data.k;
    const opts = resolveOptions(input, k);
    const [ic, ec] = await Promise.all([
      this.data.campaign(input.internal, 'internal', 'internal'),
      this.data.campaign(input.external, 'external', 'external'),
    ]);
    const [internal, external] = await Promise.all([
      this.data
        .questions(ic.id)
        .then((qs) =>
          requireSide(
            resolveSide('internal', ic, qs, input.internalQuestion, opts, 'internalQuestion'),
          ),
        ),
      this.data
        .questions(ec.id)
        .then((qs) =>
          requireSide(
            resolveSide('external', ec, qs, input.externalQuestion, opts, 'externalQuestion'),
          ),
        ),
    ]);
    // Each side is grouped by its own campaign's unit tree (frozen at launch); groups pair by unit
    // id, so a unit only one tree has pairs with nothing on the other side.
    const [iCtx, eCtx] = await Promise.all([
      this.data.unitContext(opts.level, ic),
      this.data.unitContext(opts.level, ec),
    ]);
    // The internal side is aggregated once: the report's counts serve both its disclosure plan
    // and (member perspective) the unit scores.
    const [facts, eCounts] = await Promise.all([
      this.data.internalFacts(internal.campaign.id, internal.questionKeys),
      this.data.sideCounts(external, eCtx.targets),
    ]);
    const iCounts =
      internal.perspective === 'member'
        ? reportCounts(internal.questionKeys, facts.numeric, numericTypes(facts.campaign.questions))
        : await this.data.sideCounts(internal, iCtx.targets);
    const iSide = { side: internal, tallies: sideTallies(iCounts, iCtx.targets) };
    const eSide = { side: external, tallies: sideTallies(eCounts, eCtx.targets) };
    const units = pairingUnits(iCtx, eCtx);
    const release = releasePredicate(internal, iCtx.targets, facts.disclosure);
    const pairing = pairUnits(iSide, eSide, { k, units, release, lang: opts.lang });
    const paired = pairedScores(pairing);
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
    const result: LinkageResult = {
      n,
      units: pairing.units,
      excluded: pairing.excluded,
      ...stats,
      summary,
      lang: opts.lang,
      perspective: opts.perspective,
      level: opts.level,
      internal: describeSide(internal),
      external: describeSide(external),
      exploratory: n < EXPLORATORY_BELOW,
      notes: opts.notes,
      readiness: readiness(iSide, eSide, {
        k,
        units,
        targets: [iCtx.targets, eCtx.targets],
        release,
      }),
    };
    return scopeLinkage(result, await this.scope.codes([ic.id, ec.id], reader));
  }

  /**
   * Each numeric, non-provider internal question correlated across units with the external
   * question (default headline); same inclusion rule as the linkage (member perspective), BH over
   * the p-values, sorted by |r| descending with undefined r last.
   */
  async drivers(input: DriversInput): Promise<DriversResult> {
    const k = this.data.k;
    const opts = resolveOptions({ ...input, perspective: 'member' }, k);
    const [ic, ec] = await Promise.all([
      this.data.campaign(input.internal, 'internal', 'internal'),
      this.data.campaign(input.external, 'external', 'external'),
    ]);
    const external = requireSide(
      resolveSide(
        'external',
        ec,
        await this.data.questions(ec.id),
        input.externalQuestion,
        opts,
        'externalQuestion',
      ),
    );
    const { scored, skipped } = driverQuestions(
      await this.data.questions(ic.id),
      opts.internalMetric,
    );
    const [iCtx, eCtx] = await Promise.all([
      this.data.unitContext(opts.level, ic),
      this.data.unitContext(opts.level, ec),
    ]);
    const units = pairingUnits(iCtx, eCtx);
    // ONE aggregate of the internal questions (serving both the disclosure plan and the scores),
    // one for the external side.
    const [facts, eCounts] = await Promise.all([
      this.data.internalFacts(
        ic.id,
        scored.map((q) => q.key),
      ),
      this.data.sideCounts(external, eCtx.targets),
    ]);
    const eSide = { side: external, tallies: sideTallies(eCounts, eCtx.targets) };
    const typeOf = numericTypes(scored);
    const drivers = scored.map((q) => {
      const side = requireSide(resolveSide('internal', ic, [q], q.key, opts, 'internalQuestion'));
      const counts = reportCounts(side.questionKeys, facts.numeric, typeOf);
      const pairing = pairUnits({ side, tallies: sideTallies(counts, iCtx.targets) }, eSide, {
        k,
        units,
        release: releasePredicate(side, iCtx.targets, facts.disclosure),
        lang: opts.lang,
      });
      return driverRow(q, side.metric, pairing);
    });
    return {
      internal: campaignRef(ic),
      external: describeSide(external),
      level: opts.level,
      internalMinResponses: opts.internalMin,
      drivers: rankDrivers(drivers),
      skipped,
      notes: opts.notes,
    };
  }
}

/** Question key → type, numeric questions only. */
function numericTypes(questions: ReadonlyArray<{ key: string; type: string }>) {
  return new Map(questions.filter((q) => isNumericType(q.type)).map((q) => [q.key, q.type]));
}
