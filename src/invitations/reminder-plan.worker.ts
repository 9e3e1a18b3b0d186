import { Injectable } from '@nestjs/common';
import { hasCode, ErrorCode } from '../common/domain-error.js';
import { PeriodicWorker } from '../common/periodic-worker.js';
import { AppConfig } from '../config/app-config.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { RemindersService } from './reminders.service.js';

/**
 * Sends the automatic reminder rounds of campaigns with a reminder plan (issue 8), every
 * REMINDER_SWEEP_MS. A due round is first claimed with a conditional UPDATE on the campaign (its
 * round counter), so of several instances exactly one sends it; it then goes through the same
 * path as the manual Remind button (RemindersService.queue: the same recipients, fresh links).
 */
@Injectable()
export class ReminderPlanWorker extends PeriodicWorker {
  constructor(
    config: AppConfig,
    private readonly campaigns: CampaignsService,
    private readonly reminders: RemindersService,
  ) {
    super({
      name: 'ReminderPlanWorker',
      everyMs: config.env.REMINDER_SWEEP_MS,
      failure: 'reminder plan sweep failed',
    });
  }

  protected async tick(): Promise<void> {
    const rounds = await this.sendDue();
    if (rounds > 0) this.logger.log(`sent ${rounds} automatic reminder round(s)`);
  }

  /** Sends every round due now; returns how many this instance sent. */
  async sendDue(now = new Date()): Promise<number> {
    let sent = 0;
    for (const round of await this.campaigns.dueReminderRounds(now)) {
      if (this.isStopping) break;
      if (!(await this.campaigns.claimReminderRound(round, now))) continue;
      try {
        await this.reminders.queue(round.campaignId);
        sent++;
      } catch (err) {
        // Closed between the claim and the round: nothing to send, nothing to undo.
        if (!hasCode(err, [ErrorCode.CampaignNotOpen, ErrorCode.CampaignNotFound])) throw err;
      }
    }
    return sent;
  }
}
