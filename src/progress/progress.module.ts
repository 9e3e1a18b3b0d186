import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module.js';
import { ProgressClock } from './progress-clock.hook.js';
import { ProgressPagesController } from './progress-pages.controller.js';
import { ProgressController } from './progress.controller.js';
import { ProgressRepository } from './progress.repository.js';
import { ProgressService } from './progress.service.js';

/** Live progress of a campaign: GET /api/campaigns/:id/progress and its page (issue 8). */
@Module({
  imports: [ReportsModule],
  controllers: [ProgressController, ProgressPagesController],
  providers: [ProgressService, ProgressRepository, ProgressClock],
})
export class ProgressModule {}
