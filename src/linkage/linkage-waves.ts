/**
 * The pure steps of the linkage over time: one campaign per wave label, the wave list, the
 * statistics of a wave pair, the two-wave cross-lagged panel and the trend. No Nest, no database.
 */
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { Language } from '../domain/language.js';
import { crossLaggedPanel, pearson, type StandardizedCoefficient } from '../stats/index.js';
import { pairedScores, type Pairing, type SideTallies } from './linkage-pairing.js';
import { campaignRef } from './linkage-sides.js';
import {
  constantSide,
  pearsonJson,
  pearsonNullReasons,
  type NullReasons,
} from './linkage-stats.js';
import {
  EXPLORATORY_BELOW,
  linkageSummary,
  nullReason,
  panelSummary,
  panelUnitSetNote,
} from './linkage-summary.js';
import { overall } from './linkage-tallies.js';
import type {
  CrossLaggedPanelJson,
  PanelRegressionJson,
  WaveCampaign,
  WavePair,
  WaveTrendPoint,
} from './linkage.dto.js';

/** The campaign kept for a wave label, and how the response lists it. */
export interface WaveEntry {
  campaign: CampaignEntity;
  listed: WaveCampaign;
}

/**
 * One campaign per wave label: the most recently created; the older ones are listed as skipped.
 * `prefix` keeps only campaigns whose name starts with it.
 */
export function campaignPerWave(
  campaigns: readonly CampaignEntity[],
  prefix: string | undefined,
): Map<string, WaveEntry> {
  const kept =
    prefix === undefined ? [...campaigns] : campaigns.filter((c) => c.name.startsWith(prefix));
  // Newest first, so the first campaign seen for a wave is the one kept.
  kept.sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1,
  );
  const out = new Map<string, WaveEntry>();
  for (const c of kept) {
    const entry = out.get(c.wave);
    if (entry) (entry.listed.skipped ??= []).push(campaignRef(c));
    else out.set(c.wave, { campaign: c, listed: campaignRef(c) });
  }
  return out;
}

/** The union of both series' wave labels, ascending (string order: 2026-Q1 < 2026-Q2). */
export function waveLabels(...series: ReadonlyMap<string, unknown>[]): string[] {
  return [...new Set(series.flatMap((s) => [...s.keys()]))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
}

/** n, Pearson r and the summary sentence of one internal wave paired with one external wave. */
export function wavePair(
  waves: { internal: string; external: string },
  internal: SideTallies,
  external: SideTallies,
  pairing: Pairing,
  lang: Language,
): WavePair {
  const json = pearsonJson(
    pearson(
      pairing.units.map((u) => u.internal.score),
      pairing.units.map((u) => u.external.score),
    ),
  );
  const n = pairing.units.length;
  const flat = constantSide(pairedScores(pairing));
  const nullReasons = pearsonNullReasons(pairedScores(pairing), json);
  return {
    internalWave: waves.internal,
    externalWave: waves.external,
    internalCampaignId: internal.side.campaign.id,
    externalCampaignId: external.side.campaign.id,
    n,
    pearson: json,
    exploratory: n < EXPLORATORY_BELOW,
    summary: linkageSummary(
      {
        n,
        pearson: json,
        internal: { metric: internal.side.metric, perspective: internal.side.perspective },
        external: { metric: external.side.metric },
        constantSide: flat,
      },
      lang,
    ),
    unitSet: 'pair',
    nullReasons,
  };
}

/**
 * The two-wave cross-lagged panel over the units kept in both waves (internal = X, external = Y);
 * null when it is undefined (fewer than 4 common units, or a side without variation).
 */
export function crossLaggedPanelJson(
  waves: { wave1: string; wave2: string },
  p1: Pairing,
  p2: Pairing,
  internal: SideTallies,
  external: SideTallies,
  lang: Language,
): CrossLaggedPanelJson | null {
  const { wave1: w1, wave2: w2 } = waves;
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
  const first = new Set(p1.ids);
  const leftOut = {
    wave1: p1.ids.flatMap((id, i) => (second.has(id) ? [] : [p1.units[i].unitCode])),
    wave2: p2.ids.flatMap((id, i) => (first.has(id) ? [] : [p2.units[i].unitCode])),
  };
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
  const nullReasons: NullReasons = {};
  if (!steiger) {
    const perfect = [internalLeads.r, externalLeads.r].some((r) => Math.abs(r) === 1);
    nullReasons['crossLagged.steiger'] = nullReason(perfect ? 'perfectCrossLag' : 'notComputable');
  }
  for (const [key, fit] of [
    ['regression.external', result.regression.y2],
    ['regression.internal', result.regression.x2],
  ] as const) {
    if (fit) continue;
    nullReasons[key] =
      Math.abs(result.synchronous.wave1.r) === 1
        ? nullReason('collinearWaves', { wave1: w1, wave2: w2 })
        : nullReason('notComputable');
  }
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
        internal: { metric: internal.side.metric, perspective: internal.side.perspective },
        external: { metric: external.side.metric },
      },
      lang,
    ),
    unitSet: 'bothWaves',
    leftOut,
    unitSetNote: panelUnitSetNote({ n: result.n, wave1: w1, wave2: w2, leftOut }, lang),
    nullReasons,
  };
}

/**
 * The campaign-wide score of each side in one wave; an internal total the release decision does
 * not grant (`internalReleased`: below the anonymity threshold, too uniform, or the campaign is
 * still open) shows neither score nor count.
 */
export function trendPoint(
  wave: string,
  internal: SideTallies | undefined,
  external: SideTallies | undefined,
  internalReleased: boolean,
): WaveTrendPoint {
  const point: WaveTrendPoint = { wave, internal: null, external: null };
  if (external) {
    const o = overall(external.side, external.tallies);
    point.external = { campaignId: external.side.campaign.id, n: o.n, score: o.score };
  }
  if (internal) {
    const campaignId = internal.side.campaign.id;
    const o = overall(internal.side, internal.tallies);
    point.internal =
      o.n === 0
        ? { campaignId, n: 0, score: null }
        : internalReleased
          ? { campaignId, n: o.n, score: o.score }
          : { campaignId, n: null, score: null, suppressed: true };
  }
  return point;
}
