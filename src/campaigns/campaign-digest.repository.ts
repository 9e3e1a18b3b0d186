import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { CampaignStatus } from '../domain/campaign-status.js';
import type { Language } from '../domain/language.js';
import type { Role } from '../domain/roles.js';

/** A user who may receive a campaign's close digest: report access (any role), not disabled. */
export interface DigestUser {
  id: string;
  email: string;
  role: Role;
  language: Language | null;
}

/** The close digest's recipients of a campaign (issue 9); a file of its own beside the campaigns'. */
@Injectable()
export class CampaignDigestRepository {
  constructor(private readonly db: Db) {}

  private p(i: number): string {
    return this.db.isSqlite ? '?' : `$${i}`;
  }

  /** Every user with report access who is not disabled, by e-mail. */
  async eligibleUsers(): Promise<DigestUser[]> {
    return (await this.db.manager.query(
      `SELECT id, email, role, language FROM users
       WHERE disabled_at IS NULL AND role IN ('admin', 'analyst') ORDER BY email`,
    )) as DigestUser[];
  }

  /**
   * Sets the recipients unless the campaign is closed (its digest is sent or on its way); the
   * campaign's status when nothing was written (null: no such campaign).
   */
  async setRecipients(
    campaignId: string,
    userIds: readonly string[],
  ): Promise<{ written: boolean; status: CampaignStatus | null }> {
    const value = userIds.length ? JSON.stringify(userIds) : null;
    return this.db.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(CampaignEntity)
        .set({ digestRecipients: value })
        .where('id = :id AND status <> :closed', { id: campaignId, closed: 'closed' })
        .execute();
      if (result.affected === 1) return { written: true, status: null };
      const found = (await m.query(`SELECT status FROM campaigns WHERE id = ${this.p(1)}`, [
        campaignId,
      ])) as Array<{ status: CampaignStatus }>;
      return { written: false, status: found[0]?.status ?? null };
    });
  }
}
