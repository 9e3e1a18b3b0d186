import { withoutAddresses } from '../common/log-text.js';
import { Injectable, Logger } from '@nestjs/common';
import { iso, isoIn } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { MailSender } from './mail-sender.service.js';
import { MailSettingsRepository } from './mail-settings.repository.js';
import { listUnsubscribeHeaders } from './mail-templates.js';
import { OutboxRepository } from './outbox.repository.js';
import type { OutboxEntity } from '../database/schema/outbox.entity.js';

/** How long a claim holds a message; longer than nodemailer's connection + socket timeouts. */
export const CLAIM_MS = 60_000;
const BATCH = 20;
const MAX_BACKOFF_MS = 3_600_000;

/** Back-off after the n-th failed attempt: 2^n × base, at most an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(2 ** attempts * baseMs, MAX_BACKOFF_MS);
}

/**
 * Sends due outbox messages one by one. Each is claimed with a conditional update first (several
 * app instances may share the database), sent outside any transaction, and its result recorded.
 */
@Injectable()
export class MailDeliveryService {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly sender: MailSender,
    private readonly config: AppConfig,
    private readonly settings: MailSettingsRepository,
  ) {}

  /** Delivers until nothing is due or `stopping()` says so; returns the number of messages handled. */
  async deliverDue(stopping: () => boolean): Promise<number> {
    let handled = 0;
    while (!stopping()) {
      const ids = await this.outbox.dueIds(iso(), BATCH);
      let claimedAny = false;
      // Read once per batch: a new sender name applies from the next batch on.
      const { senderName } = ids.length ? await this.settings.settings() : { senderName: null };
      for (const id of ids) {
        if (stopping()) break;
        const now = new Date();
        const message = await this.outbox.claim(id, iso(now), isoIn(CLAIM_MS, now));
        if (!message) continue; // another instance has it
        claimedAny = true;
        await this.deliver(message, senderName);
        handled++;
      }
      if (!claimedAny) break;
    }
    return handled;
  }

  private async deliver(message: OutboxEntity, senderName: string | null): Promise<void> {
    // A close digest (src/digest) goes to a user of a closed campaign, not to a contact.
    if (message.kind !== 'digest') {
      const recipient = await this.outbox.recipient(message);
      if (recipient.campaignStatus !== 'open') {
        return this.outbox.markCancelled(message, 'campaign is not open');
      }
      if (recipient.erased) return this.outbox.markCancelled(message, 'contact erased');
      if (recipient.optedOut) return this.outbox.markCancelled(message, 'contact opted out');
    }
    if (!message.bodyText) return this.outbox.markCancelled(message, 'message body missing');

    const outcome = await this.sender.send({
      to: message.toAddress,
      subject: message.subject,
      text: message.bodyText,
      html: message.bodyHtml,
      headers: listUnsubscribeHeaders(message.bodyText),
      fromName: senderName,
    });
    const env = this.config.env;
    if (outcome.kind === 'sent') {
      await this.outbox.markSent(message, iso());
      return;
    }
    if (outcome.kind === 'permanent') {
      // The log never carries an address (SMTP replies quote the recipient); the outbox row keeps
      // the whole reply for the admin's outbox page.
      this.logger.warn(
        `outbox ${message.id}: permanent failure (${withoutAddresses(outcome.error)})`,
      );
      return this.outbox.markFailed(message, outcome.error, outcome.bounced);
    }
    if (message.attempts >= env.MAIL_MAX_ATTEMPTS) {
      this.logger.warn(`outbox ${message.id}: giving up after ${message.attempts} attempts`);
      return this.outbox.markFailed(message, outcome.error, false);
    }
    // Base delay: five poll intervals (10 s by default: retries after 20 s, 40 s, 80 s, …).
    const delay = retryDelayMs(message.attempts, env.MAIL_POLL_MS * 5);
    await this.outbox.markRetry(message, isoIn(delay), outcome.error);
  }
}
