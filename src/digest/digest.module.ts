import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { DigestRepository } from './digest.repository.js';
import { DigestWorker } from './digest.worker.js';

/** The e-mail digest of a campaign sent to chosen leaders when it closes (issue 9). */
@Module({
  imports: [CampaignsModule, ReportsModule],
  providers: [DigestRepository, DigestWorker],
})
export class DigestModule {}
