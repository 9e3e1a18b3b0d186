import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CampaignLifecycleService } from './campaign-lifecycle.service.js';

/**
 * Closes open campaigns once their closesAt has come: once at boot, then every CLOSE_SWEEP_MS.
 * The UPDATE is conditional and idempotent, so several app instances may sweep at once. Answers
 * are refused after closesAt by the submission path itself; the sweep only makes it official.
 */
@Injectable()
export class CampaignCloseWorker
  implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  private readonly logger = new Logger('CampaignCloseWorker');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly lifecycle: CampaignLifecycleService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.env.CLOSE_SWEEP_MS);
    this.timer.unref();
  }

  /** Stop before the database connection goes away (module destroy precedes shutdown). */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** One pass; never two at once in this process, and never throws. */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.closeExpired().finally(() => (this.running = undefined));
    return this.running;
  }

  private async closeExpired(): Promise<void> {
    try {
      const closed = await this.lifecycle.closeExpired();
      if (closed > 0) this.logger.log(`closed ${closed} campaign(s) whose closing time has passed`);
    } catch (err) {
      this.logger.warn(`close sweep failed: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
