import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { LinkagePagesController } from './linkage-pages.controller.js';
import { LinkagePagesService } from './linkage-pages.service.js';
import { LinkageController, ServiceMapController } from './linkage.controller.js';
import { LinkageRepository } from './linkage.repository.js';
import { LinkageDataService } from './linkage-data.service.js';
import { LinkageWavesService } from './linkage-waves.service.js';
import { LinkageService } from './linkage.service.js';
import { ServiceMapService } from './service-map.service.js';

/**
 * The internal ↔ external linkage analysis: per unit, over waves, drivers, the service map.
 * Other modules (the /reports pages) import this module and call LinkageService (linkage, drivers),
 * LinkageWavesService (waves) and ServiceMapService (serviceMap); inputs and results are typed in
 * linkage.dto.ts.
 */
@Module({
  imports: [ReportsModule, CampaignsModule, OrganisationModule],
  controllers: [LinkageController, ServiceMapController, LinkagePagesController],
  providers: [
    LinkageRepository,
    LinkageDataService,
    LinkageService,
    LinkageWavesService,
    ServiceMapService,
    LinkagePagesService,
  ],
  exports: [LinkageService, LinkageWavesService, ServiceMapService],
})
export class LinkageModule {}
