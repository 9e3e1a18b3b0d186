import { Injectable } from '@nestjs/common';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { UnitForest } from '../confidentiality/suppression.js';
import type { ReportScope } from '../domain/roles.js';
import { ReportsRepository } from './reports.repository.js';
import { scopedCodes } from './report-scope.js';

/**
 * The unit codes a reader may see rows of across several campaigns (the linkage pairs two, the
 * waves many): each campaign's own tree (frozen at launch) decides (see `scopedCodes`). Readers
 * with every unit cost nothing: null, no query.
 */
@Injectable()
export class ReportScopeService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly reports: ReportsRepository,
  ) {}

  async codes(
    campaignIds: readonly string[],
    reader: ReportScope,
  ): Promise<ReadonlySet<string> | null> {
    if (reader.kind === 'all') return null;
    const forests = await Promise.all(
      [...new Set(campaignIds)].map(async (id) => {
        const campaign = await this.campaigns.get(id);
        return new UnitForest(await this.reports.campaignUnits(campaign));
      }),
    );
    return scopedCodes(forests, reader);
  }
}
