import { Injectable } from '@nestjs/common';
import { PeriodicWorker } from '../common/periodic-worker.js';
import { AppConfig } from '../config/app-config.js';
import { CampaignLifecycleService } from './campaign-lifecycle.service.js';

/**
 * Closes open campaigns once their closesAt has come, and launches scheduled drafts once their
 * opensAt has come: once at boot, then every CLOSE_SWEEP_MS. Every UPDATE is conditional and
 * idempotent, so several app instances may sweep at once (each campaign opens and closes once).
 * Answers are refused after closesAt by the submission path itself; the sweep only makes it
 * official. A scheduled launch is a launch like a manual one: the mail worker then mails the
 * invitations made while the campaign was a draft.
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
    await this.sweep();
  }

  /** One sweep at `now`; what it closed and launched. */
  async sweep(now = new Date()): Promise<{ closed: number; launched: number }> {
    const closed = await this.lifecycle.closeExpired(now);
    if (closed > 0) this.logger.log(`closed ${closed} campaign(s) whose closing time has passed`);
    const launched = await this.lifecycle.launchDue(now);
    if (launched > 0) this.logger.log(`launched ${launched} scheduled campaign(s)`);
    return { closed, launched };
  }
}
