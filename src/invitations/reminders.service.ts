import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { DomainError, ErrorCode, notFound } from '../common/domain-error.js';
import { InvitationsRepository, type ReminderItem } from './invitations.repository.js';
import { isUuid } from './invitations.service.js';
import { issueLink } from './links.js';
import { MailComposer } from './mail-composer.service.js';

const HOUR_MS = 3_600_000;

const notOpen = () =>
  new DomainError(
    ErrorCode.CampaignNotOpen,
    'Reminders can only be sent while the campaign is open',
  );

/**
 * Reminders go to invitees who have not answered, whose invitation did not bounce and whose
 * contact may still be mailed. Each gets a fresh link (the old token is only stored hashed, so it
 * cannot be re-sent). `minHoursSinceLastMail` (default 0 = no limit) skips invitees mailed more
 * recently than that: the last reminder, else the first mail, else the invitation's creation.
 *
 * Anonymous campaigns (SECURITY.md E9): nothing a round does may depend on who has answered except
 * its count. So `minHoursSinceLastMail` holds the whole round back while any invitee of the
 * campaign, answered or not, was mailed more recently (a per-invitee window would let an admin
 * time invitations so that one person alone is due, and the count would say whether they
 * answered), and every invitation mail still waiting is replaced, whoever answered.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly repo: InvitationsRepository,
    private readonly composer: MailComposer,
  ) {}

  async queue(campaignId: string, minHoursSinceLastMail = 0): Promise<{ queued: number }> {
    const campaign = isUuid(campaignId) ? await this.repo.findCampaign(campaignId) : null;
    if (!campaign) throw notFound('Campaign', ErrorCode.CampaignNotFound);
    if (campaign.status !== 'open') throw notOpen();

    const nowDate = new Date();
    const now = iso(nowDate);
    const cutoff = iso(new Date(nowDate.getTime() - minHoursSinceLastMail * HOUR_MS));
    if (campaign.anonymous && minHoursSinceLastMail > 0) {
      const latest = await this.repo.latestMailOfCampaign(campaign.id);
      if (latest !== null && latest > cutoff) return { queued: 0 };
    }
    const items: ReminderItem[] = [];
    const mail = await this.composer.forCampaign(campaign);
    for (const { invitation, contact } of await this.repo.reminderCandidates(campaign.id)) {
      const lastMail = invitation.remindedAt ?? invitation.sentAt ?? invitation.createdAt;
      if (!campaign.anonymous && minHoursSinceLastMail > 0 && lastMail > cutoff) continue;
      const link = issueLink(invitation.id, now);
      items.push({
        invitationId: invitation.id,
        contactId: contact.id,
        seenReminders: invitation.reminders,
        link: link.rows,
        mail: mail.queued('reminder', contact, link, now),
      });
    }
    const queued = await this.repo.recordReminders(campaign.id, items, now, campaign.anonymous);
    if (queued === null) throw notOpen();
    return { queued };
  }
}
