import { Injectable } from '@nestjs/common';
import { PeriodicWorker } from '../common/periodic-worker.js';
import { AppConfig } from '../config/app-config.js';
import { CampaignLifecycleService } from './campaign-lifecycle.service.js';

/**
 * Closes open campaigns once their closesAt has come: once at boot, then every CLOSE_SWEEP_MS.
 * The UPDATE is conditional and idempotent, so several app instances may sweep at once. Answers
 * are refused after closesAt by the submission path itself; the sweep only makes it official.
 */
@Injectable()
export class CampaignCloseWorker extends PeriodicWorker {
  constructor(
    config: AppConfig,
    private readonly lifecycle: CampaignLifecycleService,
  ) {
    super({
      name: 'CampaignCloseWorker',
      everyMs: config.env.CLOSE_SWEEP_MS,
      tickAtBootstrap: true,
      failure: 'close sweep failed',
    });
  }

  protected async tick(): Promise<void> {
    const closed = await this.lifecycle.closeExpired();
    if (closed > 0) this.logger.log(`closed ${closed} campaign(s) whose closing time has passed`);
  }
}
