/**
 * What each side of a linkage measures: the request's options resolved per side (metric, least
 * respondents, perspective) and the question(s) a side scores, checked against its campaign.
 * Pure: no Nest, no database.
 */
import { invalid, type FieldError } from '../common/domain-error.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { QuestionEntity } from '../database/schema/question.entity.js';
import type { Audience } from '../domain/audience.js';
import type { Language } from '../domain/language.js';
import { isNumericType, type NumericQuestionType } from '../domain/questions.js';
import { meanScale, type Metric, type Scale } from './linkage-scores.js';
import type { CampaignRef, LinkageOptions, LinkageSide, Perspective } from './linkage.dto.js';

/** The request's options, with every default applied. */
export interface ResolvedOptions {
  internalMetric: Metric;
  externalMetric: Metric;
  /** The field the metric came from, for error messages. */
  internalMetricField: string;
  externalMetricField: string;
  internalMin: number;
  externalMin: number;
  perspective: Perspective;
  level: number | null;
  lang: Language;
  notes: string[];
}

/** A side of the linkage, resolved against its campaign. */
export interface ResolvedSide {
  audience: Audience;
  campaign: CampaignEntity;
  perspective: Perspective;
  questionKeys: string[];
  /** Provider perspective: the provider unit of each question key. */
  providerOf: Map<string, string>;
  types: NumericQuestionType[];
  metric: Metric;
  scale: Scale;
  /** Mean on 0–100 because the pooled questions mix scales. */
  pomp: boolean;
  minResponses: number;
}

/**
 * Defaults, and the least respondents per side: the internal side never goes below the anonymity
 * threshold `k`; asking for less is noted.
 */
export function resolveOptions(o: LinkageOptions, k: number): ResolvedOptions {
  const notes: string[] = [];
  const asked = o.minResponses ?? k;
  const internalMin = Math.max(k, asked);
  if (asked < k) {
    notes.push(
      `minResponses ${asked} is below the anonymity threshold (${k}): the internal side uses ${k}, the external side ${asked}.`,
    );
  }
  return {
    internalMetric: o.internalMetric ?? o.metric ?? 'mean',
    externalMetric: o.externalMetric ?? o.metric ?? 'mean',
    internalMetricField: o.internalMetric ? 'internalMetric' : 'metric',
    externalMetricField: o.externalMetric ? 'externalMetric' : 'metric',
    internalMin,
    externalMin: asked,
    perspective: o.perspective ?? 'member',
    level: o.level ?? null,
    lang: o.lang ?? 'en',
    notes,
  };
}

/** The campaign itself, or 400 (`field`) when it belongs to the other audience. */
export function assertAudience(
  campaign: CampaignEntity,
  audience: Audience,
  field: string,
): CampaignEntity {
  if (campaign.audience !== audience) {
    throw invalid(`${field} must be an ${audience} campaign`, [
      { field, message: `campaign ${campaign.id} is not an ${audience} campaign` },
    ]);
  }
  return campaign;
}

/**
 * Which question(s) a side scores, with the metric checked against them; the problems as field
 * errors otherwise (the linkage rejects the request, waves leave such a campaign out).
 * `questionKey` undefined = the headline. The provider perspective pools every provider question.
 */
export function resolveSide(
  audience: Audience,
  campaign: CampaignEntity,
  questions: readonly QuestionEntity[],
  questionKey: string | undefined,
  opts: ResolvedOptions,
  questionField: string,
): { side: ResolvedSide } | { errors: FieldError[] } {
  const perspective: Perspective = audience === 'internal' ? opts.perspective : 'member';
  const metric = audience === 'internal' ? opts.internalMetric : opts.externalMetric;
  const metricField = audience === 'internal' ? opts.internalMetricField : opts.externalMetricField;
  const minResponses = audience === 'internal' ? opts.internalMin : opts.externalMin;
  let chosen: QuestionEntity[];
  if (perspective === 'provider') {
    if (questionKey !== undefined) {
      return {
        errors: [
          {
            field: questionField,
            message:
              'internalQuestion is not used in the provider perspective: every provider question of the campaign is pooled',
          },
        ],
      };
    }
    chosen = questions.filter((q) => q.providerUnitId !== null && isNumericType(q.type));
    if (chosen.length === 0) {
      return {
        errors: [
          { field: 'perspective', message: 'the internal campaign has no provider questions' },
        ],
      };
    }
  } else {
    const key = questionKey ?? campaign.headline;
    const q = questions.find((x) => x.key === key);
    if (!q || !isNumericType(q.type)) {
      return {
        errors: [
          {
            field: questionKey === undefined ? 'headline' : questionField,
            message: `"${key}" is not a numeric question of the ${audience} campaign`,
          },
        ],
      };
    }
    chosen = [q];
  }
  const types = [...new Set(chosen.map((q) => q.type as NumericQuestionType))];
  if (metric === 'nps' && types.some((t) => t !== 'nps')) {
    return {
      errors: [
        {
          field: metricField,
          message: `the nps metric needs nps questions; the ${audience} side scores ${types.join(', ')}`,
        },
      ],
    };
  }
  const { scale, pomp } = meanScale(types);
  return {
    side: {
      audience,
      campaign,
      perspective,
      questionKeys: chosen.map((q) => q.key),
      providerOf: new Map(
        chosen.flatMap((q) => (q.providerUnitId === null ? [] : [[q.key, q.providerUnitId]])),
      ),
      types,
      metric,
      scale:
        metric === 'mean'
          ? scale
          : metric === 'topbox'
            ? { min: 0, max: 1 }
            : { min: -100, max: 100 },
      pomp: metric === 'mean' && pomp,
      minResponses,
    },
  };
}

/** The side, or 400 with its field errors. */
export function requireSide(
  result: { side: ResolvedSide } | { errors: FieldError[] },
): ResolvedSide {
  if ('errors' in result) throw invalid('Invalid linkage parameters', result.errors);
  return result.side;
}

export const campaignRef = (c: CampaignEntity): CampaignRef => ({
  id: c.id,
  name: c.name,
  wave: c.wave,
});

/** What a side measured, as the response states it. */
export function describeSide(side: ResolvedSide): LinkageSide {
  return {
    campaign: campaignRef(side.campaign),
    questionKeys: side.questionKeys,
    metric: side.metric,
    scale: side.scale,
    minResponses: side.minResponses,
  };
}
