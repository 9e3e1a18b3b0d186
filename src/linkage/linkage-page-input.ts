import type { CampaignView } from '../campaigns/campaigns.dto.js';
import type { LinkagePageQueryDto } from './linkage-pages.dto.js';
import type { LinkageInput, Metric } from './linkage.dto.js';

/**
 * The linkage input of /reports/linkage for its query: NPS questions are read as NPS unless a
 * metric is chosen (the API keeps its mean default); the provider perspective takes no question.
 * The one mapping of the linkage page, its downloads and the methods appendix.
 */
export function linkagePageInput(
  q: LinkagePageQueryDto,
  internal: Pick<CampaignView, 'questions' | 'headline'>,
  external: Pick<CampaignView, 'questions' | 'headline'>,
): LinkageInput {
  const isNps = (c: typeof internal, key: string | undefined) =>
    c.questions.find((x) => x.key === (key ?? c.headline))?.type === 'nps';
  const defaultMetric = (c: typeof internal, key: string | undefined): Metric | undefined =>
    q.metric === undefined && isNps(c, key) ? 'nps' : undefined;
  return {
    internal: q.internal,
    external: q.external,
    // Provider perspective scores every provider question: a question choice does not apply.
    internalQuestion: q.perspective === 'provider' ? undefined : q.internalQuestion,
    externalQuestion: q.externalQuestion,
    metric: q.metric,
    internalMetric:
      q.internalMetric ??
      (q.perspective === 'provider' ? undefined : defaultMetric(internal, q.internalQuestion)),
    externalMetric: q.externalMetric ?? defaultMetric(external, q.externalQuestion),
    minResponses: q.minResponses,
    perspective: q.perspective,
    level: q.level,
    lang: q.lang ?? 'en',
  };
}
