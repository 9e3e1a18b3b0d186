import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { CampaignReportService } from './campaign-report.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ResponseExportService } from './response-export.service.js';

/**
 * Campaign results and the response export. Exports CampaignReportService (`report(id, unitCode?)`
 * for the JSON shape, `facts(id)` for the counts and disclosure decisions) for the report pages.
 */
@Module({
  imports: [CampaignsModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, CampaignReportService, ResponseExportService],
  exports: [CampaignReportService, ResponseExportService],
})
export class ReportsModule {}
