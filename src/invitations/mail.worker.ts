import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { InvitationSweepService } from './invitation-sweep.service.js';
import { MailDeliveryService } from './mail-delivery.service.js';
import { MailSender } from './mail-sender.service.js';

/**
 * The background mail loop: every MAIL_POLL_MS it queues the first mail of invitations whose
 * campaign has opened, then (only when SMTP_URL is set) delivers what is due. Ticks never overlap;
 * the timer is unref'd and stopped before the database closes. Nothing lives only in memory: a
 * restart finds queued rows where they were, and lapsed claims are taken again.
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly sweep: InvitationSweepService,
    private readonly delivery: MailDeliveryService,
    private readonly sender: MailSender,
  ) {}

  onApplicationBootstrap(): void {
    this.stopping = false;
    this.timer = setInterval(() => this.kick(), this.config.env.MAIL_POLL_MS);
    this.timer.unref();
  }

  /** Runs one tick now (after the one in progress, if any); for tests and the CLI. */
  async runOnce(): Promise<void> {
    await this.current;
    this.kick();
    await this.current;
  }

  // Stopped in onModuleDestroy, which runs before any module's onApplicationShutdown (the
  // database connection closes in the latter).
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.current;
    this.sender.close();
  }

  private kick(): void {
    if (this.current || this.stopping) return;
    this.current = this.tick()
      .catch((err: unknown) => {
        if (!this.stopping)
          this.logger.warn(`mail tick failed: ${err instanceof Error ? err.message : err}`);
      })
      .finally(() => {
        this.current = undefined;
      });
  }

  private async tick(): Promise<void> {
    await this.sweep.queueOpened();
    if (this.sender.enabled && !this.stopping) await this.delivery.deliverDue(() => this.stopping);
  }
}
