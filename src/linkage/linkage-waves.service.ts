import { Injectable } from '@nestjs/common';
import { invalid, notFound } from '../common/domain-error.js';
import { crossLaggedPanel, pearson, type StandardizedCoefficient } from '../stats/index.js';
import { pearsonJson } from './linkage-stats.js';
import { EXPLORATORY_BELOW, linkageSummary, panelSummary } from './linkage-summary.js';
import type {
  CrossLaggedPanelJson,
  PanelRegressionJson,
  WaveCampaign,
  WavePair,
  WavesInput,
  WavesResult,
  WaveTrendPoint,
} from './linkage.dto.js';
import { LinkageRepository } from './linkage.repository.js';
import {
  LinkageScoringService,
  campaignRef,
  type GroupTally,
  type Pairing,
  type ResolvedOptions,
  type ResolvedSide,
  type UnitContext,
} from './linkage-scoring.service.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';

type Audience = 'internal' | 'external';

interface WaveSide {
  campaign: CampaignEntity;
  side: ResolvedSide;
  tallies: Map<string, GroupTally>;
}

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
    private readonly scoring: LinkageScoringService,
    private readonly repo: LinkageRepository,
  ) {}

  async waves(input: WavesInput): Promise<WavesResult> {
    const opts = this.scoring.resolveOptions(input);
    const lag = input.lag ?? 0;
    const notes = [...opts.notes];
    const [iSeries, eSeries] = await Promise.all([
      this.series('internal', input.internal, input.internalPrefix),
      this.series('external', input.external, input.externalPrefix),
    ]);
    const waves = [...new Set([...iSeries.keys(), ...eSeries.keys()])].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const ctx = await this.scoring.unitContext(opts.level);
    const iSides = await this.sides('internal', iSeries, input.internalQuestion, opts, ctx, notes);
    const eSides = await this.sides('external', eSeries, input.externalQuestion, opts, ctx, notes);

    const releases = new Map<string, ((id: string) => boolean) | undefined>();
    for (const [wave, i] of iSides) {
      const disclosure = await this.scoring.disclosureOf(i.side.campaign.id, i.side.questionKeys);
      releases.set(wave, this.scoring.releasePredicate(i.side, ctx, disclosure));
    }
    const pairings = new Map<string, Pairing>();
    const pairingOf = (iw: string, ew: string): Pairing | null => {
      const i = iSides.get(iw);
      const e = eSides.get(ew);
      if (!i || !e) return null;
      const key = `${iw}\u0000${ew}`;
      let p = pairings.get(key);
      if (!p) {
        p = this.scoring.pair(
          i.side,
          e.side,
          i.tallies,
          e.tallies,
          ctx,
          releases.get(iw),
          opts.lang,
        );
        pairings.set(key, p);
      }
      return p;
    };

    const pairs: WavePair[] = [];
    waves.forEach((iw, i) => {
      const ew = waves[i + lag];
      if (ew === undefined) return;
      const p = pairingOf(iw, ew);
      if (!p) return;
      const json = pearsonJson(
        pearson(
          p.units.map((u) => u.internal.score),
          p.units.map((u) => u.external.score),
        ),
      );
      const n = p.units.length;
      const iSide = iSides.get(iw) as WaveSide;
      const eSide = eSides.get(ew) as WaveSide;
      pairs.push({
        internalWave: iw,
        externalWave: ew,
        internalCampaignId: iSide.campaign.id,
        externalCampaignId: eSide.campaign.id,
        n,
        pearson: json,
        exploratory: n < EXPLORATORY_BELOW,
        summary: linkageSummary(
          {
            n,
            pearson: json,
            internal: { metric: iSide.side.metric, perspective: iSide.side.perspective },
            external: { metric: eSide.side.metric },
          },
          opts.lang,
        ),
      });
    });

    const panels: CrossLaggedPanelJson[] = [];
    for (let i = 0; i + 1 < waves.length; i++) {
      const [w1, w2] = [waves[i], waves[i + 1]];
      const p1 = pairingOf(w1, w1);
      const p2 = pairingOf(w2, w2);
      if (!p1 || !p2) continue;
      const panel = this.panel(
        w1,
        w2,
        p1,
        p2,
        iSides.get(w1) as WaveSide,
        eSides.get(w1) as WaveSide,
        opts,
      );
      if (panel) panels.push(panel);
      else
        notes.push(
          `No cross-lagged panel for ${w1} → ${w2}: it needs at least 4 units kept in both waves, each side varying.`,
        );
    }

    const trend = await this.trend(waves, iSides, eSides, opts, ctx, notes);
    return {
      lag,
      lang: opts.lang,
      perspective: opts.perspective,
      level: opts.level,
      metric: { internal: opts.internalMetric, external: opts.externalMetric },
      waves,
      series: {
        internal: waves.flatMap((w) => iSeries.get(w) ?? []),
        external: waves.flatMap((w) => eSeries.get(w) ?? []),
      },
      trend,
      pairs,
      panels,
      notes,
    };
  }

  /** One campaign per wave label (the most recently created), with the skipped duplicates. */
  private async series(
    audience: Audience,
    ids: readonly string[] | undefined,
    prefix: string | undefined,
  ): Promise<Map<string, WaveCampaign & { entity: CampaignEntity }>> {
    let campaigns: CampaignEntity[];
    if (ids && ids.length) {
      const unique = [...new Set(ids)];
      campaigns = await this.repo.findCampaigns(unique);
      if (campaigns.length !== unique.length) throw notFound('Campaign');
      const wrong = campaigns.filter((c) => c.audience !== audience);
      if (wrong.length) {
        throw invalid(`${audience} must list ${audience} campaigns`, [
          { field: audience, message: `campaign ${wrong[0].id} is not an ${audience} campaign` },
        ]);
      }
    } else {
      campaigns = await this.repo.launchedCampaigns(audience);
    }
    if (prefix !== undefined) campaigns = campaigns.filter((c) => c.name.startsWith(prefix));
    // Newest first, so the first campaign seen for a wave is the one kept.
    campaigns.sort((a, b) =>
      a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1,
    );
    const out = new Map<string, WaveCampaign & { entity: CampaignEntity }>();
    for (const c of campaigns) {
      const kept = out.get(c.wave);
      if (kept) (kept.skipped ??= []).push(campaignRef(c));
      else out.set(c.wave, { ...campaignRef(c), entity: c });
    }
    return out;
  }

  private async sides(
    audience: Audience,
    series: Map<string, WaveCampaign & { entity: CampaignEntity }>,
    questionKey: string | undefined,
    opts: ResolvedOptions,
    ctx: UnitContext,
    notes: string[],
  ): Promise<Map<string, WaveSide>> {
    const out = new Map<string, WaveSide>();
    for (const [wave, wc] of series) {
      const checked = this.scoring.checkSide(
        audience,
        wc.entity,
        await this.repo.questions(wc.entity.id),
        questionKey,
        opts,
        `${audience}Question`,
      );
      if ('errors' in checked) {
        notes.push(
          `${audience} wave ${wave} (${wc.name}) left out: ${checked.errors.map((e) => e.message).join('; ')}`,
        );
        continue;
      }
      out.set(wave, {
        campaign: wc.entity,
        side: checked.side,
        tallies: await this.scoring.tallies(checked.side, ctx),
      });
    }
    // The entity is internal bookkeeping: never part of the response.
    for (const wc of series.values()) delete (wc as Partial<{ entity: CampaignEntity }>).entity;
    return out;
  }

  private panel(
    w1: string,
    w2: string,
    p1: Pairing,
    p2: Pairing,
    iSide: WaveSide,
    eSide: WaveSide,
    opts: ResolvedOptions,
  ): CrossLaggedPanelJson | null {
    const second = new Map(p2.ids.map((id, i) => [id, p2.units[i]]));
    const x1: number[] = [];
    const y1: number[] = [];
    const x2: number[] = [];
    const y2: number[] = [];
    const codes: string[] = [];
    p1.ids.forEach((id, i) => {
      const later = second.get(id);
      if (!later) return;
      x1.push(p1.units[i].internal.score);
      y1.push(p1.units[i].external.score);
      x2.push(later.internal.score);
      y2.push(later.external.score);
      codes.push(p1.units[i].unitCode);
    });
    const result = crossLaggedPanel({ x1, y1, x2, y2 });
    if (!result) return null;
    const pj = (t: Parameters<typeof pearsonJson>[0]) =>
      pearsonJson(t) as NonNullable<ReturnType<typeof pearsonJson>>;
    const coef = (c: StandardizedCoefficient) => ({ beta: c.beta, se: c.se, p: c.p });
    const reg = (r: NonNullable<typeof result.regression.y2>): PanelRegressionJson => ({
      autoregressive: coef(r.autoregressive),
      crossLagged: coef(r.crossLagged),
      r2: r.rSquared,
    });
    const internalLeads = pj(result.crossLagged.x1y2);
    const externalLeads = pj(result.crossLagged.y1x2);
    const steiger = result.crossLagged.difference
      ? { z: result.crossLagged.difference.z, p: result.crossLagged.difference.p }
      : null;
    return {
      wave1: w1,
      wave2: w2,
      n: result.n,
      unitCodes: codes,
      synchronous: { wave1: pj(result.synchronous.wave1), wave2: pj(result.synchronous.wave2) },
      stability: { internal: pj(result.stability.x), external: pj(result.stability.y) },
      crossLagged: { internalLeads, externalLeads, steiger },
      regression: {
        external: result.regression.y2 ? reg(result.regression.y2) : null,
        internal: result.regression.x2 ? reg(result.regression.x2) : null,
      },
      exploratory: result.n < EXPLORATORY_BELOW,
      summary: panelSummary(
        {
          n: result.n,
          wave1: w1,
          wave2: w2,
          internalLeads,
          externalLeads,
          difference: steiger,
          internal: { metric: iSide.side.metric, perspective: iSide.side.perspective },
          external: { metric: eSide.side.metric },
        },
        opts.lang,
      ),
    };
  }

  private async trend(
    waves: string[],
    iSides: Map<string, WaveSide>,
    eSides: Map<string, WaveSide>,
    opts: ResolvedOptions,
    ctx: UnitContext,
    notes: string[],
  ): Promise<WaveTrendPoint[]> {
    const k = this.scoring.k;
    const out: WaveTrendPoint[] = [];
    for (const wave of waves) {
      const point: WaveTrendPoint = { wave, internal: null, external: null };
      const e = eSides.get(wave);
      if (e) {
        const o = this.scoring.overall(e.side, e.tallies);
        point.external = { campaignId: e.campaign.id, n: o.n, score: o.score };
      }
      const i = iSides.get(wave);
      if (i) {
        let side = i.side;
        let tallies = i.tallies;
        if (side.perspective === 'provider') {
          // The trend follows the headline as its members answered it (people, not ratings).
          const member = { ...opts, perspective: 'member' as const };
          const checked = this.scoring.checkSide(
            'internal',
            i.campaign,
            await this.repo.questions(i.campaign.id),
            undefined,
            member,
            'internalQuestion',
          );
          if ('errors' in checked) {
            notes.push(
              `internal trend ${wave}: ${checked.errors.map((x) => x.message).join('; ')}`,
            );
            out.push(point);
            continue;
          }
          side = checked.side;
          tallies = await this.scoring.tallies(side, ctx);
        }
        const o = this.scoring.overall(side, tallies);
        point.internal =
          o.n >= k
            ? { campaignId: i.campaign.id, n: o.n, score: o.score }
            : o.n === 0
              ? { campaignId: i.campaign.id, n: 0, score: null }
              : { campaignId: i.campaign.id, n: null, score: null, suppressed: true };
      }
      out.push(point);
    }
    return out;
  }
}
