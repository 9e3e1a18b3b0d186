/**
 * Requests (strict query DTOs), service inputs and response shapes of the linkage feature.
 *
 * Conventions of every response:
 * - internal = x, external = y; scores: `mean` on the question's scale (0–100 "percent of maximum
 *   possible" when pooled provider questions mix scales, see `scale`), `topbox` a share 0–1 of
 *   answers on the top two points, `nps` −100…100;
 * - a statistic that is undefined (n < 3, a side without variation) is `null` as a whole object
 *   (`pearson: null`); inside a defined object only `ci95` (n = 3: no Fisher interval) and
 *   `weighted.p` can be null; JSON never holds NaN; every null statistic has its reason, in
 *   English and Italian, in `nullReasons` under its path (`partial`, `pearson.ci95`, …);
 * - Spearman's p is exact (permutations of Σd², as R's cor.test) up to 10 units without ties and
 *   for ρ = ±1, else the t approximation; `spearman.method` says which;
 * - `exploratory` below 30 units (STATISTICS.md §1.7); the summary adds "too few to conclude"
 *   below 10, the 95 % interval's width in words, and p with two significant digits, never
 *   rounded across 0.05;
 * - `n` of an internal side counts respondents (distinct responses), never below MIN_GROUP_SIZE
 *   when shown; a group below it shows neither score nor count.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { KEY_PATTERN } from '../campaigns/campaign-definition.js';
import { METRICS, type Metric, type Scale } from './linkage-scores.js';
import type {
  AssociationJson,
  KendallJson,
  NullReasons,
  PartialJson,
  PearsonJson,
  RegressionJson,
  SpearmanJson,
  WeightedJson,
} from './linkage-stats.js';
import type { NullReason } from './linkage-summary.js';
import type { Audience } from '../domain/audience.js';
import { LANGUAGES, type Language } from '../domain/language.js';

export type { Metric, Scale } from './linkage-scores.js';

/** A unit's internal side in the readiness table: a release status, never a count. */
export type InternalReadiness = 'enough' | 'notEnough' | 'pending';

/** One unit of the linkage's readiness table (`readiness` in GET /api/linkage). */
export interface ReadinessRow {
  unitCode: string;
  unitName: string;
  internal: { status: InternalReadiness };
  external: { responses: number; needed: number; missing: number };
}
export type {
  AssociationJson,
  KendallJson,
  NullReason,
  NullReasons,
  PartialJson,
  PearsonJson,
  RegressionJson,
  SpearmanJson,
  WeightedJson,
};

export type Perspective = 'member' | 'provider';
export const PERSPECTIVES: readonly Perspective[] = ['member', 'provider'];

/** Campaign ids are uuids; anything id-shaped is looked up (unknown → 404). */
const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
/** A comma-separated list of campaign ids (waves series). */
const ID_LIST_PATTERN = /^[A-Za-z0-9-]{1,64}(,[A-Za-z0-9-]{1,64}){0,99}$/;
/** A campaign name prefix. */
const PREFIX_PATTERN = /^[^\u0000-\u001f\u007f]{1,200}$/;
export const MAX_LEVEL = 50;
export const MAX_LAG = 8;
export const MAX_MIN_RESPONSES = 100_000;

// --- requests -----------------------------------------------------------------------------------

/**
 * One query field written once: its swagger and validation decorators, listed top-down as they
 * would be stacked, applied bottom-up as stacking does (the order of the validation messages and of
 * the OpenAPI parameters depends on it).
 */
const field =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorate of [...decorators].reverse()) decorate(target, key);
  };

/** `internal` / `external`: the id of a campaign of that audience (required). */
const CampaignId = (audience: Audience) =>
  field(
    ApiProperty({ description: `id of an ${audience} campaign` }),
    IsString(),
    Matches(ID_PATTERN, { message: `${audience} must be a campaign id` }),
  );

/** `internal` / `external` of a waves series: comma-separated campaign ids. */
const CampaignIdList = (audience: Audience) =>
  field(
    ApiPropertyOptional({
      description: `${audience} series: comma-separated campaign ids (default: all)`,
    }),
    IsOptional(),
    IsString(),
    Matches(ID_LIST_PATTERN, {
      message: `${audience} must be a comma-separated list of campaign ids`,
    }),
  );

/** `internalPrefix` / `externalPrefix`: a waves series limited by campaign name. */
const NamePrefix = (audience: Audience) =>
  field(
    ApiPropertyOptional({
      description: `${audience} series: campaigns whose name starts with this`,
    }),
    IsOptional(),
    IsString(),
    Matches(PREFIX_PATTERN, { message: `${audience}Prefix must be 1–200 printable characters` }),
  );

/** `internalQuestion` / `externalQuestion`: a numeric question of that side's campaign. */
const QuestionKey = (audience: Audience) =>
  field(
    ApiPropertyOptional({
      description: `numeric question of the ${audience} campaign (default: headline)`,
    }),
    IsOptional(),
    IsString(),
    Matches(KEY_PATTERN, { message: `${audience}Question must be a question key` }),
  );

/** `metric`, or its override for one side (`internalMetric` / `externalMetric`). */
const MetricField = (overrides?: Audience) =>
  field(
    ApiPropertyOptional(
      overrides
        ? { enum: METRICS, description: `overrides \`metric\` for the ${overrides} side` }
        : { enum: METRICS, default: 'mean' },
    ),
    IsOptional(),
    IsIn(METRICS),
  );

/** `level`: the depth of the unit tree units are rolled up to. */
const UnitLevel = (description: string) =>
  field(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(0),
    Max(MAX_LEVEL),
  );

class MetricOptionsDto {
  @MetricField()
  metric?: Metric;

  @MetricField('internal')
  internalMetric?: Metric;

  @MetricField('external')
  externalMetric?: Metric;

  @ApiPropertyOptional({
    description:
      'least respondents per unit on both sides (default MIN_GROUP_SIZE; the internal side never uses less than MIN_GROUP_SIZE)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_MIN_RESPONSES)
  minResponses?: number;

  @UnitLevel('depth of the unit tree to roll up to (0 = roots)')
  level?: number;

  @ApiPropertyOptional({
    enum: LANGUAGES,
    description: 'language of the summary (default: Accept-Language, else en)',
  })
  @IsOptional()
  @IsIn(LANGUAGES)
  lang?: Language;
}

class QuestionOptionsDto extends MetricOptionsDto {
  @QuestionKey('internal')
  internalQuestion?: string;

  @QuestionKey('external')
  externalQuestion?: string;

  @ApiPropertyOptional({ enum: PERSPECTIVES, default: 'member' })
  @IsOptional()
  @IsIn(PERSPECTIVES)
  perspective?: Perspective;
}

export class LinkageQueryDto extends QuestionOptionsDto {
  @CampaignId('internal')
  internal!: string;

  @CampaignId('external')
  external!: string;
}

export class LinkageWavesQueryDto extends QuestionOptionsDto {
  @ApiPropertyOptional({
    description: `external wave = internal wave + lag (0–${MAX_LAG})`,
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_LAG)
  lag?: number;

  @CampaignIdList('internal')
  internal?: string;

  @CampaignIdList('external')
  external?: string;

  @NamePrefix('internal')
  internalPrefix?: string;

  @NamePrefix('external')
  externalPrefix?: string;
}

export class LinkageDriversQueryDto extends MetricOptionsDto {
  @CampaignId('internal')
  internal!: string;

  @CampaignId('external')
  external!: string;

  @QuestionKey('external')
  externalQuestion?: string;
}

export class ServiceMapQueryDto {
  @UnitLevel('roll rater units up to this depth of the unit tree')
  level?: number;
}

// --- service inputs -----------------------------------------------------------------------------

/** Options shared by the linkage, waves and drivers computations (already validated shapes). */
export interface LinkageOptions {
  /** Default: the campaign's headline. Not allowed with perspective `provider`. */
  internalQuestion?: string;
  /** Default: the campaign's headline. */
  externalQuestion?: string;
  /** Default `mean`. */
  metric?: Metric;
  internalMetric?: Metric;
  externalMetric?: Metric;
  /** Default MIN_GROUP_SIZE; the internal side uses max(MIN_GROUP_SIZE, this). */
  minResponses?: number;
  /** Default `member`. */
  perspective?: Perspective;
  /** Depth to roll units up to; undefined/null = no roll-up. */
  level?: number | null;
  /** Default `en`. */
  lang?: Language;
}

export interface LinkageInput extends LinkageOptions {
  internal: string;
  external: string;
}

export interface WavesInput extends LinkageOptions {
  /** Default 0. */
  lag?: number;
  /** Explicit series (campaign ids); default every launched campaign of the audience. */
  internal?: readonly string[];
  external?: readonly string[];
  internalPrefix?: string;
  externalPrefix?: string;
  /**
   * Pages only: a side with no metric chosen whose question is an NPS question in every wave is
   * read as NPS (the API keeps its mean default).
   */
  npsByDefault?: boolean;
}

export interface DriversInput {
  internal: string;
  external: string;
  externalQuestion?: string;
  /** `mean` (default) or `topbox`; `nps` only scores nps questions (the others are listed as skipped). */
  internalMetric?: Metric;
  externalMetric?: Metric;
  metric?: Metric;
  minResponses?: number;
  level?: number | null;
  lang?: Language;
}

export interface ServiceMapInput {
  campaignId: string;
  level?: number | null;
}

// --- responses ----------------------------------------------------------------------------------

export interface CampaignRef {
  id: string;
  name: string;
  wave: string;
}

/** What was measured on one side. */
export interface LinkageSide {
  campaign: CampaignRef;
  /** The question(s) scored: one key, or every provider question (perspective `provider`). */
  questionKeys: string[];
  metric: Metric;
  /** Scale of a `mean` score (topbox: 0–1, nps: −100–100). */
  scale: Scale;
  /** Least respondents a unit needs on this side to be kept. */
  minResponses: number;
}

export interface UnitScore {
  /** Respondents (distinct responses) behind the score. */
  n: number;
  score: number;
}

export interface LinkageUnitRow {
  unitCode: string;
  unitName: string;
  internal: UnitScore;
  external: UnitScore;
}

export interface ExcludedUnit {
  unitCode: string;
  unitName: string;
  /**
   * Why the unit is left out. An internal group below the anonymity threshold never shows its
   * count: "internal responses below the anonymity threshold (5)".
   */
  reason: string;
}

export interface LinkageResult extends AssociationJson {
  /** Units kept. */
  n: number;
  units: LinkageUnitRow[];
  excluded: ExcludedUnit[];
  summary: string;
  lang: Language;
  perspective: Perspective;
  /** Roll-up depth, null for none. */
  level: number | null;
  internal: LinkageSide;
  external: LinkageSide;
  /** True when fewer than 30 units are kept (STATISTICS.md §1.7; below 10 too few to conclude). */
  exploratory: boolean;
  /** Adjustments made to the request (e.g. a minResponses below the anonymity threshold). */
  notes: string[];
  /**
   * What each unit has against what it needs, before any statistic: the internal side only as a
   * release status (`enough`, `notEnough`, `pending` while the campaign is open; never a count),
   * the external side as exact counts.
   */
  readiness: ReadinessRow[];
}

export interface WaveCampaign extends CampaignRef {
  /** Campaigns of the same audience and wave that were passed over (an older duplicate). */
  skipped?: CampaignRef[];
}

export interface WaveTrendPoint {
  wave: string;
  /** Overall score of the wave's campaign; null when no campaign, no answers, or an internal total below k. */
  internal: {
    campaignId: string;
    n: number | null;
    score: number | null;
    suppressed?: true;
  } | null;
  external: { campaignId: string; n: number | null; score: number | null } | null;
}

export interface WavePair {
  internalWave: string;
  externalWave: string;
  internalCampaignId: string;
  externalCampaignId: string;
  n: number;
  pearson: PearsonJson | null;
  /** Fewer than 30 units (STATISTICS.md §1.7). */
  exploratory: boolean;
  summary: string;
  /**
   * The units r is computed on: `pair` = every unit kept for this internal and external campaign,
   * exactly as GET /api/linkage with the two campaign ids (same n, r, interval and p).
   */
  unitSet: 'pair';
  /** Why `pearson` or `pearson.ci95` is null, when it is. */
  nullReasons: NullReasons;
}

export interface PanelCorrelation extends PearsonJson {
  n: number;
}

export interface PanelRegressionJson {
  /** Standardized coefficient of the outcome's own wave-1 value. */
  autoregressive: { beta: number; se: number; p: number };
  /** Standardized coefficient of the other side at wave 1. */
  crossLagged: { beta: number; se: number; p: number };
  r2: number;
}

export interface CrossLaggedPanelJson {
  wave1: string;
  wave2: string;
  /** Units with enough responses on both sides in both waves. */
  n: number;
  unitCodes: string[];
  /** r(internal, external) at wave 1 and at wave 2. */
  synchronous: { wave1: PearsonJson; wave2: PearsonJson };
  /** r(wave 1, wave 2) of each side. */
  stability: { internal: PearsonJson; external: PearsonJson };
  crossLagged: {
    /** r(internal wave 1, external wave 2). */
    internalLeads: PearsonJson;
    /** r(external wave 1, internal wave 2). */
    externalLeads: PearsonJson;
    /** Steiger's Z for internalLeads − externalLeads (positive: internal leads). */
    steiger: { z: number; p: number } | null;
  };
  regression: {
    /** external wave 2 ~ external wave 1 + internal wave 1. */
    external: PanelRegressionJson | null;
    /** internal wave 2 ~ internal wave 1 + external wave 1. */
    internal: PanelRegressionJson | null;
  };
  /** Fewer than 30 units (STATISTICS.md §1.7). */
  exploratory: boolean;
  summary: string;
  /**
   * The units every figure of the panel is computed on: `bothWaves` = kept in the pair of wave 1
   * and in the pair of wave 2. The synchronous r of a wave can therefore differ from that wave's
   * entry in `pairs` (and from GET /api/linkage), which uses every unit kept in that wave alone.
   */
  unitSet: 'bothWaves';
  /** Units kept in one wave's pair but left out of the panel because the other wave lacks them. */
  leftOut: { wave1: string[]; wave2: string[] };
  /** The sentence saying so, in the response's language; null when no unit is left out. */
  unitSetNote: string | null;
  /** Why `crossLagged.steiger`, `regression.external` or `regression.internal` is null. */
  nullReasons: NullReasons;
}

export interface WavesResult {
  lag: number;
  lang: Language;
  perspective: Perspective;
  level: number | null;
  metric: { internal: Metric; external: Metric };
  /** The union of both series' wave labels, ascending; indices of `lag` count in this list. */
  waves: string[];
  series: { internal: WaveCampaign[]; external: WaveCampaign[] };
  trend: WaveTrendPoint[];
  pairs: WavePair[];
  /** One panel per pair of consecutive waves (in `waves`) present on both sides with ≥ 4 common units. */
  panels: CrossLaggedPanelJson[];
  notes: string[];
}

export interface DriverRow {
  questionKey: string;
  questionType: string;
  text: { en?: string | null; it?: string | null };
  metric: Metric;
  /** Units kept for this question. */
  n: number;
  r: number | null;
  ci95: [number, number] | null;
  p: number | null;
  /** Benjamini–Hochberg adjusted p over the drivers with a p. */
  pAdjusted: number | null;
  /** Why r (`pearson`) or its interval (`pearson.ci95`) is null, in en and it; empty otherwise. */
  nullReasons: Record<string, { code: string; en: string; it: string }>;
}

export interface DriversResult {
  internal: CampaignRef;
  external: LinkageSide;
  level: number | null;
  /** Least internal respondents per unit and question. */
  internalMinResponses: number;
  /** Sorted by |r| descending, undefined r last. */
  drivers: DriverRow[];
  /** Questions not scored (e.g. metric nps on a non-nps question). */
  skipped: Array<{ questionKey: string; reason: string }>;
  notes: string[];
}

export interface ServiceMapProvider {
  unitCode: string;
  unitName: string;
  questionKeys: string[];
  /** Scale of `mean`: the questions' scale, or 0–100 when the provider's questions mix scales. */
  scale: Scale;
  /** Respondents who rated the provider (absent when suppressed). */
  n?: number;
  /** Mean rating over all its questions (absent when suppressed). */
  mean?: number;
  suppressed?: true;
}

export interface ServiceMapCell {
  raterUnitCode: string;
  providerUnitCode: string;
  n?: number;
  mean?: number;
  suppressed?: true;
}

export interface ServiceMapResult {
  campaign: CampaignRef;
  level: number | null;
  /** The anonymity threshold applied. */
  minGroupSize: number;
  /** False while the campaign is open: its figures are released when it closes (no cells then). */
  resultsReleased: boolean;
  providers: ServiceMapProvider[];
  raters: Array<{ unitCode: string; unitName: string }>;
  cells: ServiceMapCell[];
}
