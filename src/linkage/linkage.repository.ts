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
   * Answer distributions per respondent unit and question: one
   * `GROUP BY responses.unit_id, answers.question_key, answers.num_value` over the given questions.
   */
  async valueCounts(campaignId: string, questionKeys: readonly string[]): Promise<ValueCountRow[]> {
    if (questionKeys.length === 0) return [];
    const [c, ...keys] = this.placeholders(1, questionKeys.length + 1);
    const rows: Array<Record<string, unknown>> = await this.db.manager.query(
      `SELECT r.unit_id AS unit_id, a.question_key AS question_key, q.type AS type,
              a.num_value AS value, COUNT(*) AS n
         FROM answers a
         JOIN responses r ON r.id = a.response_id
         JOIN questions q ON q.campaign_id = a.campaign_id AND q.question_key = a.question_key
        WHERE a.campaign_id = ${c} AND a.question_key IN (${keys.join(', ')})
          AND a.seq = 0 AND a.num_value IS NOT NULL
        GROUP BY r.unit_id, a.question_key, q.type, a.num_value`,
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
   * Ratings of provider questions: one `GROUP BY rater unit, provider unit, type, value`.
   */
  async providerValueCounts(campaignId: string): Promise<ProviderValueCountRow[]> {
    const [c] = this.placeholders(1, 1);
    const rows: Array<Record<string, unknown>> = await this.db.manager.query(
      `SELECT r.unit_id AS rater, q.provider_unit_id AS provider, q.type AS type,
              a.num_value AS value, COUNT(*) AS n
         FROM answers a
         JOIN responses r ON r.id = a.response_id
         JOIN questions q ON q.campaign_id = a.campaign_id AND q.question_key = a.question_key
        WHERE a.campaign_id = ${c} AND q.provider_unit_id IS NOT NULL
          AND a.seq = 0 AND a.num_value IS NOT NULL
        GROUP BY r.unit_id, q.provider_unit_id, q.type, a.num_value`,
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
   * questions about the same provider counts once, so the anonymity threshold is on people, not on
   * ratings. `providerGroupOf` maps provider unit ids to the group they roll up to (a CASE in SQL,
   * because distinct counts cannot be added up afterwards); omitted ids keep their own.
   */
  async providerRespondents(
    campaignId: string,
    providerGroupOf: ReadonlyMap<string, string> = new Map(),
  ): Promise<ProviderRespondentRow[]> {
    const mapped = [...providerGroupOf].filter(([from, to]) => from !== to);
    const params: string[] = [];
    const ph = this.placeholders(1, mapped.length * 2 + 1);
    let next = 0;
    let group = 'q.provider_unit_id';
    if (mapped.length) {
      const whens = mapped.map(([from, to]) => {
        params.push(from, to);
        const w = `WHEN ${ph[next]} THEN ${ph[next + 1]}`;
        next += 2;
        return w;
      });
      group = `CASE q.provider_unit_id ${whens.join(' ')} ELSE q.provider_unit_id END`;
    }
    params.push(campaignId);
    const rows: Array<Record<string, unknown>> = await this.db.manager.query(
      `SELECT r.unit_id AS rater, ${group} AS provider_group,
              COUNT(DISTINCT a.response_id) AS n
         FROM answers a
         JOIN responses r ON r.id = a.response_id
         JOIN questions q ON q.campaign_id = a.campaign_id AND q.question_key = a.question_key
        WHERE a.campaign_id = ${ph[next]} AND q.provider_unit_id IS NOT NULL
          AND a.seq = 0 AND a.num_value IS NOT NULL
        GROUP BY 1, 2`,
      params,
    );
    return rows.map((row) => ({
      raterUnitId: String(row.rater),
      providerGroup: String(row.provider_group),
      respondents: Number(row.n),
    }));
  }
}
