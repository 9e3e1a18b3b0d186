import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import handlebars from 'handlebars';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { UsersModule } from '../users/users.module.js';
import { CampaignReportService } from './campaign-report.service.js';
import { CommentsController, CommentsPageController } from './comments.controller.js';
import { CommentsRepository } from './comments.repository.js';
import { CommentsService } from './comments.service.js';
import { PageExportsController } from './page-exports.controller.js';
import { PageExportsService } from './page-exports.service.js';
import { PrintStampInterceptor } from './print-stamp.js';
import { ReportExportsController } from './report-exports.controller.js';
import { ReportsPagesController } from './reports-pages.controller.js';
import { ReportsPagesService } from './reports-pages.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ResponseExportService } from './response-export.service.js';
import { ReportScopeService } from './report-scope.service.js';
import { WaveSeriesRepository } from './wave-series.repository.js';

const PARTIALS = join(
  import.meta.dirname,
  import.meta.dirname.includes('/dist/') ? '../../..' : '../..',
  'views/reports/partials',
);

/**
 * Campaign results, the response export and their /reports pages. Exports CampaignReportService
 * (`report(id, unitCode?)` for the JSON shape, `facts(id)` for the counts and disclosure decisions)
 * for the linkage.
 */
@Module({
  imports: [CampaignsModule, UsersModule],
  controllers: [
    ReportsController,
    ReportsPagesController,
    ReportExportsController,
    PageExportsController,
    CommentsController,
    CommentsPageController,
  ],
  providers: [
    ReportsRepository,
    CampaignReportService,
    ResponseExportService,
    ReportsPagesService,
    CommentsRepository,
    CommentsService,
    ReportScopeService,
    WaveSeriesRepository,
    PageExportsService,
    // The print stamp of every /reports page (reply.locals.printStamp).
    { provide: APP_INTERCEPTOR, useClass: PrintStampInterceptor },
  ],
  exports: [CampaignReportService, ResponseExportService, ReportScopeService, PageExportsService],
})
export class ReportsModule implements OnModuleInit {
  /** The chart partials of every /reports page (views/reports/partials/*.hbs), by file name. */
  onModuleInit(): void {
    for (const file of readdirSync(PARTIALS).filter((f) => f.endsWith('.hbs')))
      handlebars.registerPartial(file.slice(0, -4), readFileSync(join(PARTIALS, file), 'utf8'));
  }
}
