import { Injectable } from '@nestjs/common';
import { PeriodicWorker } from '../common/periodic-worker.js';
import { AppConfig } from '../config/app-config.js';
import { ThrottleRepository } from './throttle.repository.js';

/**
 * Every THROTTLE_SWEEP_MS deletes the throttle counters whose window has ended (every sign-in
 * pair, address and account, every token-guessing address would otherwise stay for ever). A
 * counter started before now minus the longest window has ended whatever its kind.
 */
@Injectable()
export class ThrottleSweepWorker extends PeriodicWorker {
  constructor(
    private readonly config: AppConfig,
    private readonly throttle: ThrottleRepository,
  ) {
    super({
      name: 'ThrottleSweepWorker',
      everyMs: config.env.THROTTLE_SWEEP_MS,
      failure: 'throttle sweep failed',
    });
  }

  protected async tick(): Promise<void> {
    await this.sweep();
  }

  async sweep(now = Date.now()): Promise<void> {
    const env = this.config.env;
    const longest = Math.max(env.LOGIN_WINDOW_MINUTES, env.TOKEN_WINDOW_MINUTES) * 60_000;
    await this.throttle.sweep(now - longest);
  }
}
