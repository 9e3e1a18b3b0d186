import { Injectable } from '@nestjs/common';
import { invalid, notFound } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import type { Disclosure } from '../confidentiality/disclosure-plan.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { QuestionEntity } from '../database/schema/question.entity.js';
import type { Audience } from '../domain/audience.js';
import { CampaignReportService } from '../reports/campaign-report.service.js';
import { assertAudience, type ResolvedSide } from './linkage-sides.js';
import {
  unitContext,
  type SideCounts,
  type UnitContext,
  type UnitContexts,
} from './linkage-tallies.js';
import { LinkageRepository } from './linkage.repository.js';
import type { ServiceMapCounts } from './service-map-cells.js';

/**
 * What the linkage computations read: campaigns, questions, the unit tree, the per-unit counts of
 * a side (aggregate queries only) and the internal campaign's report facts. No rules beyond
 * "exists, of the right audience"; the computing is done by the pure linkage-*.ts steps.
 */
@Injectable()
export class LinkageDataService {
  constructor(
    private readonly repo: LinkageRepository,
    private readonly config: AppConfig,
    private readonly reports: CampaignReportService,
  ) {}

  /** The anonymity threshold (MIN_GROUP_SIZE). */
  get k(): number {
    return this.config.env.MIN_GROUP_SIZE;
  }

  /** The campaign, 404 when unknown, 400 (`field`) when of the wrong audience. */
  async campaign(id: string, audience: Audience, field: string): Promise<CampaignEntity> {
    const campaign = await this.repo.findCampaign(id);
    if (!campaign) throw notFound('Campaign');
    return assertAudience(campaign, audience, field);
  }

  /**
   * The campaigns of a wave series: the given ids (404 when one is unknown, 400 when one is of the
   * other audience), else every launched campaign of the audience.
   */
  async seriesCampaigns(
    audience: Audience,
    ids: readonly string[] | undefined,
  ): Promise<CampaignEntity[]> {
    if (!ids || !ids.length) return this.repo.launchedCampaigns(audience);
    const unique = [...new Set(ids)];
    const campaigns = await this.repo.findCampaigns(unique);
    if (campaigns.length !== unique.length) throw notFound('Campaign');
    const wrong = campaigns.filter((c) => c.audience !== audience);
    if (wrong.length) {
      throw invalid(`${audience} must list ${audience} campaigns`, [
        { field: audience, message: `campaign ${wrong[0].id} is not an ${audience} campaign` },
      ]);
    }
    return campaigns;
  }

  questions(campaignId: string): Promise<QuestionEntity[]> {
    return this.repo.questions(campaignId);
  }

  /**
   * The unit tree `campaign` reports on, rolled up to `level`. A launched campaign's tree is frozen
   * at launch, so each side of a linkage is grouped by its own campaign's tree (see `unitsOf`).
   */
  async unitContext(
    level: number | null,
    campaign: Pick<CampaignEntity, 'id' | 'status'>,
  ): Promise<UnitContext> {
    return unitContext(await this.repo.campaignUnits(campaign), level);
  }

  /** `unitContext` of each of `campaigns` (a wave series: every wave has its own tree). */
  async unitContexts(
    level: number | null,
    campaigns: ReadonlyArray<Pick<CampaignEntity, 'id' | 'status'>>,
  ): Promise<UnitContexts> {
    const byId = new Map(
      await Promise.all(
        campaigns.map(async (c) => [c.id, await this.unitContext(level, c)] as const),
      ),
    );
    return {
      of: (campaign) => {
        const ctx = byId.get(campaign.id);
        if (!ctx) throw new Error(`no unit context was read for campaign ${campaign.id}`);
        return ctx;
      },
    };
  }

  /** The per-unit counts a side is tallied from (provider respondents grouped by `targets`). */
  async sideCounts(side: ResolvedSide, targets: ReadonlyMap<string, string>): Promise<SideCounts> {
    if (side.perspective === 'provider') {
      const [ratings, respondents] = await Promise.all([
        this.repo.providerValueCounts(side.campaign.id),
        this.repo.providerRespondents(side.campaign.id, targets),
      ]);
      return { perspective: 'provider', ratings, respondents };
    }
    const rows = await this.repo.valueCounts(side.campaign.id, side.questionKeys);
    return { perspective: 'member', rows };
  }

  /** The campaign report's counts and disclosure plan, limited to the given questions. */
  internalFacts(campaignId: string, questionKeys: readonly string[]) {
    return this.reports.facts(campaignId, questionKeys);
  }

  /** The disclosure plan of an internal campaign (the one the campaign report applies). */
  async disclosureOf(campaignId: string, questionKeys: readonly string[]): Promise<Disclosure> {
    return (await this.reports.facts(campaignId, questionKeys)).disclosure;
  }

  /** Everything the service map of a campaign is computed from, read concurrently. */
  async serviceMapCounts(campaignId: string): Promise<ServiceMapCounts> {
    const campaign = await this.repo.findCampaign(campaignId);
    if (!campaign) throw notFound('Campaign');
    const [questions, units, ratings, respondents] = await Promise.all([
      this.repo.questions(campaignId),
      this.repo.campaignUnits(campaign),
      this.repo.providerValueCounts(campaignId),
      this.repo.providerRespondents(campaignId),
    ]);
    return { questions, units, ratings, respondents };
  }

  findCampaign(id: string): Promise<CampaignEntity | null> {
    return this.repo.findCampaign(id);
  }
}
