import { Injectable } from '@nestjs/common';
import { newId } from '../common/crypto.js';
import { Db } from '../database/db.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import { OutboxEntity } from '../database/schema/outbox.entity.js';
import type { Role } from '../domain/roles.js';

/** A closed campaign whose digest has not been claimed yet. */
export interface PendingDigest {
  id: string;
  recipients: string[];
}

export interface DigestRecipient {
  id: string;
  email: string;
  role: Role;
  language: string | null;
}

export interface DigestMail {
  to: string;
  subject: string;
  text: string;
}

/** The close digest's reads and its one write: the claim and the queued mails, together. */
@Injectable()
export class DigestRepository {
  constructor(private readonly db: Db) {}

  private p(i: number): string {
    return this.db.isSqlite ? '?' : `$${i}`;
  }

  /** Closed campaigns with recipients whose digest is unsent. */
  async pending(): Promise<PendingDigest[]> {
    const rows = (await this.db.manager.query(
      `SELECT id, digest_recipients AS "recipients" FROM campaigns
       WHERE status = 'closed' AND digest_sent_at IS NULL AND digest_recipients IS NOT NULL
       ORDER BY closed_at, id`,
    )) as Array<{ id: string; recipients: string }>;
    return rows.map((r) => ({ id: r.id, recipients: JSON.parse(r.recipients) as string[] }));
  }

  /** Of `ids`, the users who still have report access (admin or analyst, not disabled). */
  async activeRecipients(ids: readonly string[]): Promise<DigestRecipient[]> {
    if (!ids.length) return [];
    const list = ids.map((_, i) => this.p(i + 1)).join(', ');
    return (await this.db.manager.query(
      `SELECT id, email, role, language FROM users
       WHERE id IN (${list}) AND disabled_at IS NULL AND role IN ('admin', 'analyst')
       ORDER BY email`,
      [...ids],
    )) as DigestRecipient[];
  }

  /**
   * Claims the campaign's digest (a conditional UPDATE: only while unsent and closed) and queues
   * its mails in the same transaction; false when another sweep or instance claimed it first.
   */
  async claimAndQueue(campaignId: string, now: string, mails: readonly DigestMail[]) {
    return this.db.write(async (m) => {
      const claimed = await m
        .createQueryBuilder()
        .update(CampaignEntity)
        .set({ digestSentAt: now })
        .where('id = :id AND status = :closed AND digest_sent_at IS NULL', {
          id: campaignId,
          closed: 'closed',
        })
        .execute();
      if (claimed.affected !== 1) return false;
      if (mails.length)
        await m.insert(
          OutboxEntity,
          mails.map((mail) => ({
            id: newId(),
            campaignId,
            contactId: null,
            kind: 'digest' as const,
            toAddress: mail.to,
            subject: mail.subject,
            bodyText: mail.text,
            bodyHtml: null,
            status: 'queued' as const,
            attempts: 0,
            nextAttemptAt: now,
            lockedUntil: null,
            lastError: null,
            createdAt: now,
            sentAt: null,
          })),
        );
      return true;
    });
  }
}
