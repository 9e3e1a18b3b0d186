import { Injectable } from '@nestjs/common';
import { campaignTree } from '../database/campaign-tree.js';
import { Db } from '../database/db.js';
import type { CampaignStatus } from '../domain/campaign-status.js';

/** Counts per unit, value: the rows every campaign-report figure is added up from. */
export interface UnitValueCount<V> {
  unitId: string;
  key: string;
  value: V;
  n: number;
}

export interface UnitKeyCount {
  unitId: string;
  key: string;
  n: number;
}

export interface UnitRow {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
}

/** One response of the export, with the contact's e-mail only when asked for (identified). */
export interface ExportResponseRow {
  id: string;
  unitId: string;
  language: string;
  submittedAt: string;
  email: string | null;
}

export interface ExportAnswerRow {
  responseId: string;
  key: string;
  seq: number;
  num: number | null;
  text: string | null;
}

/** The `answer_counts` kind `countsByValue` reads. */
const COUNT_KIND = { number: 'num', text: 'text' } as const;

/**
 * The only file of the reports feature that talks to the database. The counts come from
 * `answer_counts` (GROUP BY unit, question, value of the answers, kept current by the answering
 * transaction); the comments and the export read answers, the export one keyset page at a time. The SQL text is the
 * same on SQLite and PostgreSQL except for the placeholders.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Db) {}

  private p(i: number): string {
    return this.db.isSqlite ? '?' : `$${i}`;
  }

  private async rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.db.manager.query(sql, params)) as T[];
  }

  /** The unit tree the campaign's results are grouped by (frozen at launch; see campaignTree). */
  campaignUnits(campaign: { id: string; status: CampaignStatus }): Promise<UnitRow[]> {
    return campaignTree(this.db, campaign);
  }

  /** Responses per unit of the respondent (from `answer_counts`, kept by the answering path). */
  async responsesByUnit(campaignId: string): Promise<Map<string, number>> {
    const rows = await this.rows<{ unitId: string; n: unknown }>(
      `SELECT unit_id AS "unitId", n FROM answer_counts
       WHERE campaign_id = ${this.p(1)} AND kind = 'resp' AND question_key = ''`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.unitId, Number(r.n)]));
  }

  /** Invitations per unit of the invited contact (the unit the contact belongs to now). */
  async invitedByUnit(campaignId: string): Promise<Map<string, number>> {
    const rows = await this.rows<{ unitId: string; n: unknown }>(
      `SELECT c.unit_id AS "unitId", COUNT(*) AS n FROM invitations i
       JOIN contacts c ON c.id = i.contact_id
       WHERE i.campaign_id = ${this.p(1)} GROUP BY c.unit_id`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.unitId, Number(r.n)]));
  }

  /**
   * Answers counted per respondent unit, question and value: the numeric value of scale questions
   * ('number') or the chosen option of choice questions ('text'), read from `answer_counts`
   * (src/database/answer-counts.ts), which holds exactly `GROUP BY unit, question, value` of the
   * answers. The kind comes from the fixed table below, never from the caller's text.
   */
  countsByValue(
    campaignId: string,
    keys: readonly string[],
    kind: 'number',
  ): Promise<UnitValueCount<number>[]>;
  countsByValue(
    campaignId: string,
    keys: readonly string[],
    kind: 'text',
  ): Promise<UnitValueCount<string>[]>;
  async countsByValue(
    campaignId: string,
    keys: readonly string[],
    kind: 'number' | 'text',
  ): Promise<UnitValueCount<number | string>[]> {
    if (!keys.length) return [];
    const rows = await this.rows<{ unitId: string; key: string; value: string; n: unknown }>(
      `SELECT unit_id AS "unitId", question_key AS "key", value AS "value", n FROM answer_counts
       WHERE campaign_id = ${this.p(1)} AND kind = '${COUNT_KIND[kind]}'
         AND question_key IN (${keys.map((_, i) => this.p(i + 2)).join(', ')})`,
      [campaignId, ...keys],
    );
    return rows.map((r) => ({
      unitId: r.unitId,
      key: r.key,
      value: kind === 'number' ? Number(r.value) : r.value,
      n: Number(r.n),
    }));
  }

  /** Respondents per unit and question who gave a non-empty answer (choice and text questions). */
  async respondentCounts(campaignId: string, keys: readonly string[]): Promise<UnitKeyCount[]> {
    if (!keys.length) return [];
    const rows = await this.rows<{ unitId: string; key: string; n: unknown }>(
      `SELECT unit_id AS "unitId", question_key AS "key", n FROM answer_counts
       WHERE campaign_id = ${this.p(1)} AND kind = 'said'
         AND question_key IN (${keys.map((_, i) => this.p(i + 2)).join(', ')})`,
      [campaignId, ...keys],
    );
    return rows.map((r) => ({ unitId: r.unitId, key: r.key, n: Number(r.n) }));
  }

  /**
   * Up to `limit` non-empty answers to a text question, in random order, texts only (no response
   * id, unit or time). `unitIds` null = the whole campaign.
   */
  async comments(
    campaignId: string,
    key: string,
    unitIds: readonly string[] | null,
    limit: number,
  ): Promise<string[]> {
    if (unitIds && !unitIds.length) return [];
    const params: unknown[] = [campaignId, key];
    let unitFilter = '';
    if (unitIds) {
      unitFilter = ` AND r.unit_id IN (${unitIds.map((_, i) => this.p(i + 3)).join(', ')})`;
      params.push(...unitIds);
    }
    params.push(limit);
    const rows = await this.rows<{ text: string }>(
      `SELECT a.text_value AS "text" FROM answers a JOIN responses r ON r.id = a.response_id
       WHERE a.campaign_id = ${this.p(1)} AND a.question_key = ${this.p(2)}
         AND a.text_value IS NOT NULL AND a.text_value <> ''${unitFilter}
       ORDER BY RANDOM() LIMIT ${this.p(params.length)}`,
      params,
    );
    return rows.map((r) => r.text);
  }

  /**
   * One keyset page of a campaign's responses, ordered by id (random UUIDs, so the order says
   * nothing about time). `withEmail` joins the invited contact's e-mail (null once erased).
   */
  async exportPage(
    campaignId: string,
    afterId: string,
    limit: number,
    withEmail: boolean,
  ): Promise<ExportResponseRow[]> {
    const email = withEmail ? 'c.email' : 'NULL';
    const join = withEmail
      ? ` LEFT JOIN invitations i ON i.id = r.invitation_id LEFT JOIN contacts c ON c.id = i.contact_id`
      : '';
    const rows = await this.rows<ExportResponseRow>(
      `SELECT r.id AS "id", r.unit_id AS "unitId", r.language AS "language",
              r.submitted_at AS "submittedAt", ${email} AS "email"
       FROM responses r${join}
       WHERE r.campaign_id = ${this.p(1)} AND r.id > ${this.p(2)}
       ORDER BY r.id LIMIT ${this.p(3)}`,
      [campaignId, afterId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      unitId: r.unitId,
      language: r.language,
      submittedAt: r.submittedAt,
      email: r.email ?? null,
    }));
  }

  /** The answers of the responses with ids in [firstId, lastId] (one export page). */
  async exportAnswers(
    campaignId: string,
    firstId: string,
    lastId: string,
  ): Promise<ExportAnswerRow[]> {
    const rows = await this.rows<{
      responseId: string;
      key: string;
      seq: unknown;
      num: unknown;
      text: string | null;
    }>(
      `SELECT response_id AS "responseId", question_key AS "key", seq AS "seq",
              num_value AS "num", text_value AS "text"
       FROM answers
       WHERE campaign_id = ${this.p(1)} AND response_id >= ${this.p(2)} AND response_id <= ${this.p(3)}
       ORDER BY response_id, question_key, seq`,
      [campaignId, firstId, lastId],
    );
    return rows.map((r) => ({
      responseId: r.responseId,
      key: r.key,
      seq: Number(r.seq),
      num: r.num === null ? null : Number(r.num),
      text: r.text,
    }));
  }
}
