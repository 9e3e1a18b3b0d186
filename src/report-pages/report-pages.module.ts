import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Module, type OnModuleInit } from '@nestjs/common';
import handlebars from 'handlebars';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { LinkageModule } from '../linkage/linkage.module.js';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { ReportPagesController } from './report-pages.controller.js';
import { ReportPagesService } from './report-pages.service.js';
import { ReportSources, ServiceReportSources } from './report-sources.js';

const PARTIALS = join(
  import.meta.dirname,
  import.meta.dirname.includes('/dist/') ? '../../..' : '../..',
  'views/reports/partials',
);

/** The leadership pages under /reports, with server-rendered SVG charts. */
@Module({
  imports: [CampaignsModule, OrganisationModule, ReportsModule, LinkageModule],
  controllers: [ReportPagesController],
  providers: [ReportPagesService, { provide: ReportSources, useClass: ServiceReportSources }],
})
export class ReportPagesModule implements OnModuleInit {
  /** The chart partials (views/reports/partials/*.hbs), registered by file name. */
  onModuleInit(): void {
    for (const file of readdirSync(PARTIALS).filter((f) => f.endsWith('.hbs')))
      handlebars.registerPartial(file.slice(0, -4), readFileSync(join(PARTIALS, file), 'utf8'));
  }
}
