import { CampaignDigestRepository } from './campaign-digest.repository.js';
import { CampaignDigestService } from './campaign-digest.service.js';
import { Module } from '@nestjs/common';
import { CampaignBuilderService } from './campaign-builder.service.js';
import { CampaignCloseWorker } from './campaign-close.worker.js';
import { CampaignDefinitionService } from './campaign-definition.service.js';
import { CampaignLifecycleService } from './campaign-lifecycle.service.js';
import { CampaignPagesController } from './campaigns-pages.controller.js';
import { CampaignsController } from './campaigns.controller.js';
import { CampaignsRepository } from './campaigns.repository.js';
import { CampaignsService } from './campaigns.service.js';

/**
 * Campaign definitions and their lifecycle. Other modules import this module and use
 * CampaignsService (read API: get / find / list / counts); the view types are in campaigns.dto.ts.
 */
@Module({
  controllers: [CampaignsController, CampaignPagesController],
  providers: [
    CampaignsRepository,
    CampaignsService,
    CampaignDefinitionService,
    CampaignBuilderService,
    CampaignLifecycleService,
    CampaignCloseWorker,
    CampaignDigestRepository,
    CampaignDigestService,
  ],
  exports: [CampaignsService, CampaignDigestService],
})
export class CampaignsModule {}
