import { Injectable } from '@nestjs/common';
import { ALL_UNITS, type ReportScope } from '../domain/roles.js';
import { ReportScopeService } from '../reports/report-scope.service.js';
import { scopeServiceMap } from './linkage-scope.js';
import { invalid, notFound } from '../common/domain-error.js';
import { LinkageDataService } from './linkage-data.service.js';
import { campaignRef } from './linkage-sides.js';
import type { ServiceMapInput, ServiceMapResult } from './linkage.dto.js';
import { serviceMapCells } from './service-map-cells.js';

/**
 * The internal service map: how each rater unit rates each provider unit (see service-map-cells.ts
 * for the rules of counting and suppression).
 */
@Injectable()
export class ServiceMapService {
  constructor(
    private readonly data: LinkageDataService,
    private readonly scope: ReportScopeService,
  ) {}

  /** A unit manager (`reader`) sees their own units' rater rows and providers' figures. */
  async serviceMap(
    input: ServiceMapInput,
    reader: ReportScope = ALL_UNITS,
  ): Promise<ServiceMapResult> {
    const k = this.data.k;
    const level = input.level ?? null;
    const campaign = await this.data.findCampaign(input.campaignId);
    if (!campaign) throw notFound('Campaign');
    if (campaign.audience !== 'internal') {
      throw invalid('The service map exists for internal campaigns only', [
        { field: 'id', message: 'campaign is not an internal campaign' },
      ]);
    }
    const counts = await this.data.serviceMapCounts(campaign.id);
    const keys = counts.questions.filter((q) => q.providerUnitId !== null).map((q) => q.key);
    const disclosure = await this.data.disclosureOf(campaign.id, keys);
    const { providers, raters, cells } = serviceMapCells(counts, level, disclosure);
    const result: ServiceMapResult = {
      campaign: campaignRef(campaign),
      level,
      minGroupSize: k,
      resultsReleased: disclosure.released,
      providers,
      raters,
      cells,
    };
    return scopeServiceMap(result, await this.scope.codes([campaign.id], reader));
  }
}
