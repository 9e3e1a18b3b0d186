import { Injectable } from '@nestjs/common';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { PeriodicWorker } from '../common/periodic-worker.js';
import { AppConfig } from '../config/app-config.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import { CampaignReportService } from '../reports/campaign-report.service.js';
import { composeDigest } from './digest-mail.js';
import { DigestRepository, type DigestMail } from './digest.repository.js';

/**
 * The close digest (issue 9): every CLOSE_SWEEP_MS it finds closed campaigns whose digest is
 * unsent — closed by hand or by the close sweep at closesAt — composes one e-mail per recipient
 * who still has report access, in their language, from the campaign report (the same release
 * decision: nothing the report would not show), and claims the campaign and queues the mails in
 * one transaction (a conditional UPDATE), so each digest goes out exactly once whatever the number
 * of instances. The mail worker delivers them through the outbox.
 */
@Injectable()
export class DigestWorker extends PeriodicWorker {
  constructor(
    private readonly config: AppConfig,
    private readonly repo: DigestRepository,
    private readonly reports: CampaignReportService,
    private readonly campaigns: CampaignsService,
  ) {
    super({ name: 'DigestWorker', everyMs: config.env.CLOSE_SWEEP_MS, failure: 'digest failed' });
  }

  protected async tick(): Promise<void> {
    const sent = await this.sendDue();
    if (sent > 0) this.logger.log(`queued the close digest of ${sent} campaign(s)`);
  }

  /** Claims and queues every pending digest; returns how many campaigns this instance claimed. */
  async sendDue(now = new Date()): Promise<number> {
    let claimed = 0;
    for (const pending of await this.repo.pending()) {
      if (this.isStopping) break;
      const [report, campaign, recipients] = await Promise.all([
        this.reports.report(pending.id),
        this.campaigns.get(pending.id),
        this.repo.activeRecipients(pending.recipients),
      ]);
      const headline = campaign.questions.find((q) => q.key === campaign.headline);
      const mails: DigestMail[] = recipients.map((user) => {
        const lang: Language = LANGUAGES.includes(user.language as Language)
          ? (user.language as Language)
          : 'en';
        const mail = composeDigest({
          lang,
          report,
          headlineText: headline?.text[lang] ?? Object.values(headline?.text ?? {})[0] ?? '',
          reportUrl: `${this.config.publicUrl}/reports/campaigns/${pending.id}?lang=${lang}`,
        });
        return { to: user.email, ...mail };
      });
      if (await this.repo.claimAndQueue(pending.id, now.toISOString(), mails)) claimed++;
    }
    return claimed;
  }
}
