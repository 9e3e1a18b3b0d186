import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';
import type { InvitationTarget } from './invitations.repository.js';
import { cancelQueued } from '../database/waiting-mail.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import { ContactEntity } from '../database/schema/contact.entity.js';
import { InvitationLinkEntity } from '../database/schema/invitation-link.entity.js';
import { InvitationEntity } from '../database/schema/invitation.entity.js';
import { UnsubscribeLinkEntity } from '../database/schema/unsubscribe-link.entity.js';

/** 'unsubscribe': the mail's own opt-out token; 'survey': a survey link's token (mails sent before the upgrade). */
export type OptOutTokenKind = 'unsubscribe' | 'survey';

/** Opt-out: from a token's hash to its contact, and the opt-out itself. */
@Injectable()
export class UnsubscribeRepository {
  constructor(private readonly db: Db) {}

  /** The invitation, contact and campaign behind an opt-out (or, for old mails, survey) token's hash. */
  async findByTokenHash(
    tokenHash: string,
    kind: OptOutTokenKind,
  ): Promise<InvitationTarget | null> {
    const link =
      kind === 'unsubscribe'
        ? await this.db.manager.findOneBy(UnsubscribeLinkEntity, { tokenHash })
        : await this.db.manager.findOneBy(InvitationLinkEntity, { tokenHash });
    if (!link) return null;
    const invitation = await this.db.manager.findOneBy(InvitationEntity, { id: link.invitationId });
    if (!invitation) return null;
    const [contact, campaign] = await Promise.all([
      this.db.manager.findOneBy(ContactEntity, { id: invitation.contactId }),
      this.db.manager.findOneBy(CampaignEntity, { id: invitation.campaignId }),
    ]);
    return contact && campaign ? { invitation, contact, campaign } : null;
  }

  /** Opts the contact out and cancels the mails still waiting for them (their bodies are purged). */
  async optOut(contactId: string, now: string): Promise<void> {
    await this.db.write(async (m) => {
      await m.update(ContactEntity, { id: contactId }, { optedOut: true, updatedAt: now });
      await cancelQueued(m, { contactIds: [contactId] }, 'contact opted out');
    });
  }
}
