import { Injectable } from '@nestjs/common';
import { ALL_UNITS, type ReportScope } from '../domain/roles.js';
import { ReportScopeService } from '../reports/report-scope.service.js';
import { scopeWaves } from './linkage-scope.js';
import type { Audience } from '../domain/audience.js';
import { LinkageDataService } from './linkage-data.service.js';
import {
  pairUnits,
  releasePredicate,
  type InternalRelease,
  type Pairing,
  type SideTallies,
} from './linkage-pairing.js';
import { resolveOptions, resolveSide, type ResolvedOptions } from './linkage-sides.js';
import { pairingUnits, sideTallies, type UnitContexts } from './linkage-tallies.js';
import {
  campaignPerWave,
  crossLaggedPanelJson,
  trendPoint,
  waveLabels,
  wavePair,
  type WaveEntry,
} from './linkage-waves.js';
import type {
  CrossLaggedPanelJson,
  WavePair,
  WavesInput,
  WavesResult,
  WaveTrendPoint,
} from './linkage.dto.js';

/**
 * The linkage over time. Design:
 * - a series per audience: the campaigns given by id (`internal`/`external`), else every launched
 *   campaign of the audience (optionally only names starting with `internalPrefix`/`externalPrefix`);
 *   one campaign per wave — with several, the most recently created (the others listed as skipped);
 * - `waves` is the union of both series' wave labels, sorted ascending (string order, e.g.
 *   2026-Q1 < 2026-Q2); `lag` counts positions in that list: internal wave i pairs with external
 *   wave i + lag;
 * - for every pair: n, Pearson r with its interval and p, and the summary sentence;
 * - for every two consecutive waves where both sides exist: the two-wave cross-lagged panel over the
 *   units kept in both waves (internal = X, external = Y), with a careful sentence;
 * - `trend`: the campaign-wide score of each side per wave (internal: member perspective on the
 *   headline or internalQuestion; withheld below MIN_GROUP_SIZE).
 */
@Injectable()
export class LinkageWavesService {
  constructor(
    private readonly data: LinkageDataService,
    private readonly scope: ReportScopeService,
  ) {}

  /** A unit manager (`reader`) sees the panels' unit lists limited to their own units. */
  async waves(input: WavesInput, reader: ReportScope = ALL_UNITS): Promise<WavesResult> {
    const k = this.data.k;
    const opts = resolveOptions(input, k);
    const lag = input.lag ?? 0;
    const notes = [...opts.notes];
    const [iSeries, eSeries] = await Promise.all([
      this.data
        .seriesCampaigns('internal', input.internal)
        .then((cs) => campaignPerWave(cs, input.internalPrefix)),
      this.data
        .seriesCampaigns('external', input.external)
        .then((cs) => campaignPerWave(cs, input.externalPrefix)),
    ]);
    const waves = waveLabels(iSeries, eSeries);
    if (input.npsByDefault && input.metric === undefined) {
      if (
        input.internalMetric === undefined &&
        (await this.allNps(iSeries, input.internalQuestion))
      )
        opts.internalMetric = 'nps';
      if (
        input.externalMetric === undefined &&
        (await this.allNps(eSeries, input.externalQuestion))
      )
        opts.externalMetric = 'nps';
    }
    // Every wave's campaign is grouped by its own unit tree (frozen at launch).
    const ctx = await this.data.unitContexts(
      opts.level,
      [...iSeries.values(), ...eSeries.values()].map((w) => w.campaign),
    );
    const iSides = await this.sides('internal', iSeries, input.internalQuestion, opts, ctx, notes);
    const eSides = await this.sides('external', eSeries, input.externalQuestion, opts, ctx, notes);

    const releases = new Map<string, InternalRelease | undefined>();
    for (const [wave, i] of iSides) {
      const disclosure = await this.data.disclosureOf(i.side.campaign.id, i.side.questionKeys);
      releases.set(wave, releasePredicate(i.side, ctx.of(i.side.campaign).targets, disclosure));
    }
    // Each (internal wave, external wave) is paired once, for the pairs and the panels alike.
    const pairings = new Map<string, Pairing>();
    const pairingOf = (iw: string, ew: string): Pairing | null => {
      const i = iSides.get(iw);
      const e = eSides.get(ew);
      if (!i || !e) return null;
      const key = `${iw}\u0000${ew}`;
      let p = pairings.get(key);
      if (!p) {
        const units = pairingUnits(ctx.of(i.side.campaign), ctx.of(e.side.campaign));
        p = pairUnits(i, e, { k, units, release: releases.get(iw), lang: opts.lang });
        pairings.set(key, p);
      }
      return p;
    };

    const pairs: WavePair[] = [];
    waves.forEach((iw, i) => {
      const ew = waves[i + lag];
      const p = ew === undefined ? null : pairingOf(iw, ew);
      if (!p) return;
      const sides = [iSides.get(iw), eSides.get(ew)] as [SideTallies, SideTallies];
      pairs.push(wavePair({ internal: iw, external: ew }, ...sides, p, opts.lang));
    });

    const panels: CrossLaggedPanelJson[] = [];
    for (let i = 0; i + 1 < waves.length; i++) {
      const [w1, w2] = [waves[i], waves[i + 1]];
      const p1 = pairingOf(w1, w1);
      const p2 = pairingOf(w2, w2);
      if (!p1 || !p2) continue;
      const sides = [iSides.get(w1), eSides.get(w1)] as [SideTallies, SideTallies];
      const panel = crossLaggedPanelJson({ wave1: w1, wave2: w2 }, p1, p2, ...sides, opts.lang);
      if (panel) panels.push(panel);
      else
        notes.push(
          `No cross-lagged panel for ${w1} → ${w2}: it needs at least 4 units kept in both waves, each side varying.`,
        );
    }

    const trend = await this.trend(waves, iSides, eSides, opts, ctx, notes);
    const result: WavesResult = {
      lag,
      lang: opts.lang,
      perspective: opts.perspective,
      level: opts.level,
      metric: { internal: opts.internalMetric, external: opts.externalMetric },
      waves,
      series: {
        internal: waves.flatMap((w) => iSeries.get(w)?.listed ?? []),
        external: waves.flatMap((w) => eSeries.get(w)?.listed ?? []),
      },
      trend,
      pairs,
      panels,
      notes,
    };
    const campaignIds = [...iSeries.values(), ...eSeries.values()].map((w) => w.campaign.id);
    return scopeWaves(result, await this.scope.codes(campaignIds, reader));
  }

  /** Whether the side's question (the given key, else each headline) is NPS in every wave. */
  private async allNps(series: Map<string, WaveEntry>, key: string | undefined): Promise<boolean> {
    if (series.size === 0) return false;
    for (const { campaign } of series.values()) {
      const questions = await this.data.questions(campaign.id);
      const wanted = key ?? campaign.headline;
      if (questions.find((q) => q.key === wanted)?.type !== 'nps') return false;
    }
    return true;
  }

  /** The resolved side and tallies of every wave; a campaign that cannot be scored is noted. */
  private async sides(
    audience: Audience,
    series: Map<string, WaveEntry>,
    questionKey: string | undefined,
    opts: ResolvedOptions,
    ctx: UnitContexts,
    notes: string[],
  ): Promise<Map<string, SideTallies>> {
    const out = new Map<string, SideTallies>();
    for (const [wave, { campaign }] of series) {
      const checked = resolveSide(
        audience,
        campaign,
        await this.data.questions(campaign.id),
        questionKey,
        opts,
        `${audience}Question`,
      );
      if ('errors' in checked) {
        notes.push(
          `${audience} wave ${wave} (${campaign.name}) left out: ${checked.errors.map((e) => e.message).join('; ')}`,
        );
        continue;
      }
      const { targets } = ctx.of(campaign);
      const counts = await this.data.sideCounts(checked.side, targets);
      out.set(wave, { side: checked.side, tallies: sideTallies(counts, targets) });
    }
    return out;
  }

  private async trend(
    waves: string[],
    iSides: Map<string, SideTallies>,
    eSides: Map<string, SideTallies>,
    opts: ResolvedOptions,
    ctx: UnitContexts,
    notes: string[],
  ): Promise<WaveTrendPoint[]> {
    const out: WaveTrendPoint[] = [];
    for (const wave of waves) {
      let internal = iSides.get(wave);
      if (internal && internal.side.perspective === 'provider') {
        // The trend follows the headline as its members answered it (people, not ratings).
        const campaign = internal.side.campaign;
        const checked = resolveSide(
          'internal',
          campaign,
          await this.data.questions(campaign.id),
          undefined,
          { ...opts, perspective: 'member' },
          'internalQuestion',
        );
        if ('errors' in checked) {
          notes.push(`internal trend ${wave}: ${checked.errors.map((x) => x.message).join('; ')}`);
          internal = undefined;
        } else {
          const { targets } = ctx.of(campaign);
          const counts = await this.data.sideCounts(checked.side, targets);
          internal = { side: checked.side, tallies: sideTallies(counts, targets) };
        }
      }
      let released = false;
      if (internal) {
        const { campaign, questionKeys } = internal.side;
        const disclosure = await this.data.disclosureOf(campaign.id, questionKeys);
        released = questionKeys.every((key) => disclosure.questionShown(key, null));
      }
      out.push(trendPoint(wave, internal, eSides.get(wave), released));
    }
    return out;
  }
}
