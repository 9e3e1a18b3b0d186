import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';

/** One non-empty answer to a text question, with what the service needs to order and scope it. */
export interface CommentRow {
  responseId: string;
  seq: number;
  unitId: string;
  language: string;
  text: string;
}

/** The name of the server secret that seeds the comments' order (settings table). */
export const COMMENT_ORDER_SECRET = 'comments.order';

/**
 * The database reads of the comments page: the text answers of one question. Filtering by group,
 * searching and ordering happen in CommentsService (plain code: no LIKE pattern is built from the
 * reader's text, and the order is not the database's).
 */
@Injectable()
export class CommentsRepository {
  constructor(private readonly db: Db) {}

  private p(i: number): string {
    return this.db.isSqlite ? '?' : `$${i}`;
  }

  /** Every non-empty answer to text question `key` of the campaign. */
  async textAnswers(campaignId: string, key: string): Promise<CommentRow[]> {
    const rows = (await this.db.manager.query(
      `SELECT a.response_id AS "responseId", a.seq AS "seq", r.unit_id AS "unitId",
              r.language AS "language", a.text_value AS "text"
       FROM answers a JOIN responses r ON r.id = a.response_id
       WHERE a.campaign_id = ${this.p(1)} AND a.question_key = ${this.p(2)}
         AND a.text_value IS NOT NULL AND a.text_value <> ''`,
      [campaignId, key],
    )) as Array<{
      responseId: string;
      seq: unknown;
      unitId: string;
      language: string;
      text: string;
    }>;
    return rows.map((r) => ({
      responseId: String(r.responseId),
      seq: Number(r.seq),
      unitId: String(r.unitId),
      language: String(r.language),
      text: String(r.text),
    }));
  }

  /** The server-wide secret the comments' order is keyed with (made on first use). */
  orderSecret(make: () => string): Promise<string> {
    return this.db.secret(COMMENT_ORDER_SECRET, make);
  }
}
