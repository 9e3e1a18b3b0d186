import { Injectable } from '@nestjs/common';
import { PeriodicWorker } from '../common/periodic-worker.js';
import { AppConfig } from '../config/app-config.js';
import { InvitationSweepService } from './invitation-sweep.service.js';
import { MailDeliveryService } from './mail-delivery.service.js';
import { MailSender } from './mail-sender.service.js';

/**
 * The background mail loop: every MAIL_POLL_MS it queues the first mail of invitations whose
 * campaign has opened, then (only when SMTP_URL is set) delivers what is due. Ticks never overlap;
 * the timer is unref'd and stopped before the database closes (see PeriodicWorker), and the SMTP
 * transport is closed only after the last tick has ended. Nothing lives only in memory: a restart
 * finds queued rows where they were, and lapsed claims are taken again.
 */
@Injectable()
export class MailWorker extends PeriodicWorker {
  constructor(
    config: AppConfig,
    private readonly sweep: InvitationSweepService,
    private readonly delivery: MailDeliveryService,
    private readonly sender: MailSender,
  ) {
    super({ name: 'Mail', everyMs: config.env.MAIL_POLL_MS, failure: 'mail tick failed' });
  }

  protected async tick(): Promise<void> {
    try {
      await this.sweep.queueOpened();
      if (this.sender.enabled && !this.isStopping)
        await this.delivery.deliverDue(() => this.isStopping);
    } catch (err) {
      // A tick cut short by the shutdown is expected, not worth a warning.
      if (!this.isStopping) throw err;
    }
  }

  protected override afterStop(): void {
    this.sender.close();
  }
}
