import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import {
  LinkageMethodsController,
  LinkageMethodsPagesController,
} from './linkage-methods.controller.js';
import { LinkageMethodsService } from './linkage-methods.service.js';
import { LinkageExportsController } from './linkage-exports.controller.js';
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
 * Its JSON API and its /reports/linkage… pages both orchestrate the same services; nothing above
 * imports it but the app module.
 */
@Module({
  imports: [ReportsModule, CampaignsModule, OrganisationModule],
  controllers: [
    LinkageController,
    ServiceMapController,
    LinkagePagesController,
    LinkageMethodsController,
    LinkageMethodsPagesController,
    LinkageExportsController,
  ],
  providers: [
    LinkageRepository,
    LinkageDataService,
    LinkageService,
    LinkageWavesService,
    ServiceMapService,
    LinkagePagesService,
    LinkageMethodsService,
  ],
})
export class LinkageModule {}
