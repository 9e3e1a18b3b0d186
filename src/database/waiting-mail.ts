/**
 * Cancelling mail that has not gone out yet, shared by every feature that stops mail (opt-out,
 * reminders, erasure); it sits here, below the features, because organisation (erasure) may not
 * import invitations.
 */
import type { EntityManager } from 'typeorm';
import { OutboxEntity } from './schema/outbox.entity.js';

const CHUNK = 500;

/** Which waiting mail `cancelQueued` cancels. */
export interface WaitingMail {
  contactIds: readonly string[];
  /** Only this campaign's mail; every campaign's when absent. */
  campaignId?: string;
  /** Also mail a sender has claimed ('sending'): an erased address must not be written to. */
  claimed?: boolean;
}

/**
 * Cancels the mail still waiting for these contacts and purges its bodies (they hold a raw token),
 * inside the caller's transaction `m`. `reason` becomes the row's last error; left as it was when
 * absent.
 */
export async function cancelQueued(
  m: EntityManager,
  mail: WaitingMail,
  reason?: string,
): Promise<void> {
  const statuses = mail.claimed ? ['queued', 'sending'] : ['queued'];
  for (let i = 0; i < mail.contactIds.length; i += CHUNK) {
    const contactIds = mail.contactIds.slice(i, i + CHUNK);
    const update = m
      .createQueryBuilder()
      .update(OutboxEntity)
      .set({
        status: 'cancelled',
        bodyText: null,
        bodyHtml: null,
        ...(reason === undefined ? {} : { lastError: reason }),
      })
      .where('contact_id IN (:...contactIds) AND status IN (:...statuses)', {
        contactIds,
        statuses,
      });
    if (mail.campaignId)
      update.andWhere('campaign_id = :campaignId', { campaignId: mail.campaignId });
    await update.execute();
  }
}
