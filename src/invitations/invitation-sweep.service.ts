import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { InvitationsRepository } from './invitations.repository.js';
import { issueLink } from './links.js';
import { MailComposer } from './mail-composer.service.js';

const SWEEP_BATCH = 500;
const MAX_BATCHES_PER_TICK = 20;
/** A campaign found with nothing left to queue is looked at again only after this long. */
export const SWEEP_RECHECK_MS = 5 * 60_000;

/**
 * Invitations made while their campaign was a draft get no mail then. Once the campaign is open,
 * this sweep (run by the mail worker) gives each one a fresh link and queues its invitation mail,
 * so launching a campaign needs no call into this module.
 *
 * After the first sweep of an open campaign finds nothing, no new work can appear for it (an
 * invitation written while the campaign is open always comes with its mail), so the campaign is
 * skipped for SWEEP_RECHECK_MS: the per-tick cost stays one indexed look-up of open campaigns.
 * The memo is only a shortcut; every instance, and every restart, re-derives it from the database.
 */
@Injectable()
export class InvitationSweepService {
  private readonly clean = new Map<string, number>();

  constructor(
    private readonly repo: InvitationsRepository,
    private readonly composer: MailComposer,
  ) {}

  async queueOpened(nowMs = Date.now()): Promise<number> {
    const open = await this.repo.openCampaignIds();
    const openSet = new Set(open);
    for (const id of this.clean.keys()) if (!openSet.has(id)) this.clean.delete(id);
    let queued = 0;
    for (const campaignId of open) {
      const checkedAt = this.clean.get(campaignId);
      if (checkedAt !== undefined && nowMs - checkedAt < SWEEP_RECHECK_MS) continue;
      for (let batch = 0; batch < MAX_BATCHES_PER_TICK; batch++) {
        const done = await this.queueBatch(campaignId);
        if (done === null) {
          this.clean.set(campaignId, nowMs);
          break;
        }
        queued += done;
        if (done === 0) break; // another instance took them: look again next tick
      }
    }
    return queued;
  }

  /** Queues one batch; null when nothing was left to queue. */
  private async queueBatch(campaignId: string): Promise<number | null> {
    const pending = await this.repo.unmailedOf(campaignId, SWEEP_BATCH);
    if (!pending.length) return null;
    const now = iso();
    const mail = await this.composer.forCampaign(pending[0].campaign); // one campaign per batch
    const items = pending.map(({ invitation, contact }) => {
      const link = issueLink(invitation.id, now);
      return {
        invitationId: invitation.id,
        link: link.rows,
        mail: mail.queued('invitation', contact, link, now),
      };
    });
    return this.repo.queueFirstMails(campaignId, items);
  }
}
