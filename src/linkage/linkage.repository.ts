import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { campaignTree } from '../database/campaign-tree.js';
import { Db } from '../database/db.js';
import type { CampaignStatus } from '../domain/campaign-status.js';
import type { LinkageUnit } from './linkage-tallies.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import { QuestionEntity } from '../database/schema/question.entity.js';

/** One row of a value distribution: how many answers of `type` took `value` in a group. */
export interface ValueCountRow {
  /** The respondent's unit (responses.unit_id). */
  unitId: string;
  questionKey: string;
  type: string;
  value: number;
  count: number;
}

export interface ProviderValueCountRow {
  raterUnitId: string;
  providerUnitId: string;
  type: string;
  value: number;
  count: number;
}

export interface ProviderRespondentRow {
  raterUnitId: string;
  /** The provider unit, or the group it was mapped to (roll-up). */
  providerGroup: string;
  /** Distinct responses that rated the provider (group). */
  respondents: number;
}

/**
 * The only file of the linkage feature that talks to the database. Every statistic-bearing read is
 * ONE aggregate query (GROUP BY in the database): the result size is bounded by units × questions ×
 * scale points, never by the number of responses.
 */
@Injectable()
export class LinkageRepository {
  constructor(private readonly db: Db) {}

  findCampaign(id: string): Promise<CampaignEntity | null> {
    return this.db.manager.findOneBy(CampaignEntity, { id });
  }

  findCampaigns(ids: readonly string[]): Promise<CampaignEntity[]> {
    return ids.length
      ? this.db.manager.findBy(CampaignEntity, { id: In([...ids]) })
      : Promise.resolve([]);
  }

  /** Campaigns of an audience that can hold responses (not drafts), oldest first. */
  launchedCampaigns(audience: 'internal' | 'external'): Promise<CampaignEntity[]> {
    return this.db.manager
      .createQueryBuilder(CampaignEntity, 'c')
      .where('c.audience = :audience', { audience })
      .andWhere("c.status <> 'draft'")
      .orderBy('c.createdAt', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
  }

  questions(campaignId: string): Promise<QuestionEntity[]> {
    return this.db.manager.find(QuestionEntity, {
      where: { campaignId },
      order: { position: 'ASC' },
    });
  }

  /** The unit tree the campaign's results are grouped by (frozen at launch; see campaignTree). */
  campaignUnits(campaign: { id: string; status: CampaignStatus }): Promise<LinkageUnit[]> {
    return campaignTree(this.db, campaign);
  }

  private placeholders(from: number, count: number): string[] {
    return Array.from({ length: count }, (_, i) => (this.db.isSqlite ? '?' : `$${from + i}`));
  }

  /**
   * Answer distributions per respondent unit and question, read from `answer_counts` (exactly
   * `GROUP BY responses.unit_id, answers.question_key, answers.num_value` of the answers; see
   * src/database/answer-counts.ts) with the question's type.
   */
  async valueCounts(campaignId: string, questionKeys: readonly string[]): Promise<ValueCountRow[]> {
    if (questionKeys.length === 0) return [];
    const [c, ...keys] = this.placeholders(1, questionKeys.length + 1);
    const rows: Array<Record<string, unknown>> = await this.db.manager.query(
      `SELECT ac.unit_id AS unit_id, ac.question_key AS question_key, q.type AS type,
              ac.value AS value, ac.n AS n
         FROM answer_counts ac
         JOIN questions q ON q.campaign_id = ac.campaign_id AND q.question_key = ac.question_key
        WHERE ac.campaign_id = ${c} AND ac.kind = 'num' AND ac.question_key IN (${keys.join(', ')})`,
      [campaignId, ...questionKeys],
    );
    return rows.map((row) => ({
      unitId: String(row.unit_id),
      questionKey: String(row.question_key),
      type: String(row.type),
      value: Number(row.value),
      count: Number(row.n),
    }));
  }

  /**
   * Ratings of provider questions per rater unit, provider unit, type and value: the question
   * rows of `answer_counts` added up per provider.
   */
  async providerValueCounts(campaignId: string): Promise<ProviderValueCountRow[]> {
    const [c] = this.placeholders(1, 1);
    const rows: Array<Record<string, unknown>> = await this.db.manager.query(
      `SELECT ac.unit_id AS rater, q.provider_unit_id AS provider, q.type AS type,
              ac.value AS value, SUM(ac.n) AS n
         FROM answer_counts ac
         JOIN questions q ON q.campaign_id = ac.campaign_id AND q.question_key = ac.question_key
        WHERE ac.campaign_id = ${c} AND ac.kind = 'num' AND q.provider_unit_id IS NOT NULL
        GROUP BY ac.unit_id, q.provider_unit_id, q.type, ac.value`,
      [campaignId],
    );
    return rows.map((row) => ({
      raterUnitId: String(row.rater),
      providerUnitId: String(row.provider),
      type: String(row.type),
      value: Number(row.value),
      count: Number(row.n),
    }));
  }

  /**
   * Distinct respondents per rater unit and provider (group): a respondent who answered two
   * questions about the same provider (group) counts once, so the anonymity threshold is on
   * people, not on ratings. `providerGroupOf` maps provider unit ids to the group they roll up to;
   * omitted ids keep their own. Read from the `prov` rows of `answer_counts` (responses per rater
   * unit and exact set of rated providers): a group's respondents are the sum over the sets that
   * meet it, which is exact for any grouping.
   */
  async providerRespondents(
    campaignId: string,
    providerGroupOf: ReadonlyMap<string, string> = new Map(),
  ): Promise<ProviderRespondentRow[]> {
    const [c] = this.placeholders(1, 1);
    const rows: Array<Record<string, unknown>> = await this.db.manager.query(
      `SELECT unit_id AS rater, value AS providers, n AS n FROM answer_counts
        WHERE campaign_id = ${c} AND kind = 'prov' AND question_key = ''`,
      [campaignId],
    );
    const totals = new Map<string, ProviderRespondentRow>();
    for (const row of rows) {
      const rater = String(row.rater);
      const n = Number(row.n);
      const groups = new Set(
        String(row.providers)
          .split(',')
          .map((p) => providerGroupOf.get(p) ?? p),
      );
      for (const group of groups) {
        const id = `${rater}\u0000${group}`;
        const t = totals.get(id);
        if (t) t.respondents += n;
        else totals.set(id, { raterUnitId: rater, providerGroup: group, respondents: n });
      }
    }
    return [...totals.values()];
  }
}
