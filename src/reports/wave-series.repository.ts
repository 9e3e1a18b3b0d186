import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';
import type { Audience } from '../domain/audience.js';
import type { CampaignStatus } from '../domain/campaign-status.js';

/** A launched campaign that may be an earlier wave of the same series. */
export interface WaveCandidate {
  id: string;
  name: string;
  wave: string;
  status: CampaignStatus;
  createdAt: string;
}

/**
 * The earlier waves a campaign report compares with (issue 9, wave-over-wave change): a separate
 * file so the report's aggregate queries stay as they are.
 */
@Injectable()
export class WaveSeriesRepository {
  constructor(private readonly db: Db) {}

  /**
   * Launched campaigns of the audience with the same headline question key (the earlier wave is
   * chosen in JavaScript string order, as the linkage waves: the databases' collations differ).
   */
  async seriesCandidates(c: { audience: Audience; headline: string }) {
    const p = (i: number) => (this.db.isSqlite ? '?' : `$${i}`);
    return (await this.db.manager.query(
      `SELECT id, name, wave, status, created_at AS "createdAt" FROM campaigns
       WHERE audience = ${p(1)} AND headline = ${p(2)} AND status <> 'draft'`,
      [c.audience, c.headline],
    )) as WaveCandidate[];
  }
}
