import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { EntityManager } from 'typeorm';
import {
  addAnswerCountsPostgres,
  addAnswerCountsSqlite,
  answerCountKeys,
  prepareAnswerCountUpsert,
  type AnswerCountKey,
  type CountedQuestion,
} from '../database/answer-counts.js';
import { Db } from '../database/db.js';
import type { AnswerRow } from './answer.rules.js';
import { ResponseInsertHook } from './response-insert.hook.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import { ContactEntity } from '../database/schema/contact.entity.js';
import { InvitationEntity } from '../database/schema/invitation.entity.js';
import { QuestionEntity } from '../database/schema/question.entity.js';

/** Everything the respondent side needs once a token is resolved. */
export interface ResolvedLink {
  invitation: { id: string; status: InvitationEntity['status']; answered: boolean };
  campaign: Pick<CampaignEntity, 'id' | 'name' | 'anonymous' | 'languages' | 'status' | 'closesAt'>;
  contact: { unitId: string; language: ContactEntity['language'] };
  questions: QuestionEntity[];
}

interface LinkRow {
  invitation_id: string;
  invitation_status: InvitationEntity['status'];
  answered: number | boolean;
  campaign_id: string;
  name: string;
  anonymous: number | boolean;
  languages: string;
  campaign_status: CampaignEntity['status'];
  closes_at: string | null;
  unit_id: string;
  language: ContactEntity['language'];
}

const LINK_SQL = (p: string) =>
  `SELECT i.id AS invitation_id, i.status AS invitation_status, i.answered AS answered,
          c.id AS campaign_id, c.name AS name, c.anonymous AS anonymous, c.languages AS languages,
          c.status AS campaign_status, c.closes_at AS closes_at, k.unit_id AS unit_id, k.language AS language
   FROM invitation_links l
   JOIN invitations i ON i.id = l.invitation_id
   JOIN campaigns c ON c.id = i.campaign_id
   JOIN contacts k ON k.id = i.contact_id
   WHERE l.token_hash = ${p} AND k.erased_at IS NULL`;

export interface NewResponse {
  id: string;
  invitationId: string;
  campaignId: string;
  unitId: string;
  /** Null for anonymous campaigns: no link from the response to the invitation. */
  linkedInvitationId: string | null;
  language: string;
  submittedAt: string;
  answeredAt: string;
  now: string;
  answers: AnswerRow[];
  /** The campaign's questions (types and provider units decide which counts an answer adds to). */
  questions: readonly CountedQuestion[];
}

/** Why a claim failed, decided after the conditional update matched nothing. */
export type ClaimFailure = 'answered' | 'closed' | 'unknown';

/** 'claimed' with the response stored, or why nothing was. */
export type ClaimOutcome = 'claimed' | ClaimFailure;

@Injectable()
export class ResponsesRepository {
  private statements?: ReturnType<ResponsesRepository['prepare']>;

  private sqliteStatements() {
    return (this.statements ??= this.prepare(this.db.rawSqlite()));
  }

  constructor(
    private readonly db: Db,
    private readonly hook: ResponseInsertHook,
  ) {}

  /**
   * One indexed join by token hash (nothing for erased contacts), plus the questions, which are
   * cached per campaign once it has left draft: a campaign's questions are frozen from launch on.
   */
  async resolve(tokenHash: string): Promise<ResolvedLink | null> {
    const row = this.db.isSqlite
      ? (this.sqliteStatements().link.get(tokenHash) as LinkRow | undefined)
      : ((await this.db.manager.query(LINK_SQL('$1'), [tokenHash])) as LinkRow[])[0];
    if (!row) return null;
    const campaign = {
      id: row.campaign_id,
      name: row.name,
      anonymous: Boolean(row.anonymous),
      languages: row.languages,
      status: row.campaign_status,
      closesAt: row.closes_at,
    };
    return {
      invitation: {
        id: row.invitation_id,
        status: row.invitation_status,
        answered: Boolean(row.answered),
      },
      campaign,
      contact: { unitId: row.unit_id, language: row.language },
      questions: await this.questionsOf(campaign.id, campaign.status !== 'draft'),
    };
  }

  private readonly frozenQuestions = new Map<string, QuestionEntity[]>();

  private async questionsOf(campaignId: string, frozen: boolean): Promise<QuestionEntity[]> {
    const cached = this.frozenQuestions.get(campaignId);
    if (cached) return cached;
    const questions = await this.db.manager.find(QuestionEntity, {
      where: { campaignId },
      order: { position: 'ASC' },
    });
    if (frozen) {
      if (this.frozenQuestions.size > 1000) this.frozenQuestions.clear();
      this.frozenQuestions.set(campaignId, questions);
    }
    return questions;
  }

  /** Gives up (503) after 250 ms when the SQLite write lock is held: the form must not wait. */
  async markOpened(invitationId: string, now: string): Promise<void> {
    await this.db.write(
      async (m) => {
        await m
          .createQueryBuilder()
          .update(InvitationEntity)
          .set({ status: 'opened', openedAt: now })
          .where('id = :id AND status IN (:...from)', {
            id: invitationId,
            from: ['created', 'sent'],
          })
          .execute();
      },
      { lockWaitMs: 250 },
    );
  }

  /**
   * Claims the invitation and stores the response in ONE transaction: the conditional update
   * succeeds for exactly one of any number of concurrent submissions, and only while the campaign
   * is open and not past its closing time. Otherwise nothing is written and the outcome says why.
   */
  claimAndInsert(r: NewResponse): Promise<ClaimOutcome> {
    const counts = answerCountKeys(r.answers, r.questions);
    if (this.db.isSqlite) return this.db.sqliteBatched((raw) => this.claimSqlite(raw, r, counts));
    return this.db.write((m) => this.claimPostgres(m, r, counts));
  }

  private prepare(raw: Database.Database) {
    return {
      link: raw.prepare(LINK_SQL('?')),
      claim: raw.prepare(
        `UPDATE invitations SET answered = 1, status = 'answered', answered_at = ?
         WHERE id = ? AND answered = 0
           AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = invitations.campaign_id
                       AND c.status = 'open' AND (c.closes_at IS NULL OR c.closes_at > ?))
           AND EXISTS (SELECT 1 FROM contacts k WHERE k.id = invitations.contact_id AND k.erased_at IS NULL)`,
      ),
      insertResponse: raw.prepare(
        `INSERT INTO responses (id, campaign_id, unit_id, invitation_id, language, submitted_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      insertAnswer: raw.prepare(
        `INSERT INTO answers (response_id, question_key, seq, campaign_id, num_value, text_value)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      count: prepareAnswerCountUpsert(raw),
      state: raw.prepare(
        `SELECT i.answered AS answered, c.status AS status, c.closes_at AS closes_at, k.erased_at AS erased_at
         FROM invitations i JOIN campaigns c ON c.id = i.campaign_id JOIN contacts k ON k.id = i.contact_id
         WHERE i.id = ?`,
      ),
    };
  }

  private claimSqlite(
    raw: Database.Database,
    r: NewResponse,
    counts: readonly AnswerCountKey[],
  ): ClaimOutcome {
    const s = (this.statements ??= this.prepare(raw));
    const claimed = s.claim.run(r.answeredAt, r.invitationId, r.now).changes;
    if (claimed !== 1) {
      const row = s.state.get(r.invitationId) as
        | { answered: number; status: string; closes_at: string | null; erased_at: string | null }
        | undefined;
      return failureOf(row && { ...row, answered: row.answered === 1 }, r.now);
    }
    s.insertResponse.run(
      r.id,
      r.campaignId,
      r.unitId,
      r.linkedInvitationId,
      r.language,
      r.submittedAt,
    );
    for (const a of r.answers) {
      s.insertAnswer.run(r.id, a.questionKey, a.seq, r.campaignId, a.numValue, a.textValue);
    }
    addAnswerCountsSqlite(s.count, r.campaignId, r.unitId, counts);
    this.hook.afterInsert(r);
    return 'claimed';
  }

  private async claimPostgres(
    m: EntityManager,
    r: NewResponse,
    counts: readonly AnswerCountKey[],
  ): Promise<ClaimOutcome> {
    const claimed = (await m.query(
      `UPDATE invitations SET answered = true, status = 'answered', answered_at = $1
       WHERE id = $2 AND answered = false
         AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = invitations.campaign_id
                     AND c.status = 'open' AND (c.closes_at IS NULL OR c.closes_at > $3))
         AND EXISTS (SELECT 1 FROM contacts k WHERE k.id = invitations.contact_id AND k.erased_at IS NULL)
       RETURNING id`,
      [r.answeredAt, r.invitationId, r.now],
    )) as unknown[];
    const count = Array.isArray(claimed[0]) ? (claimed[0] as unknown[]).length : claimed.length;
    if (count !== 1) {
      const rows = (await m.query(
        `SELECT i.answered AS answered, c.status AS status, c.closes_at AS closes_at, k.erased_at AS erased_at
         FROM invitations i JOIN campaigns c ON c.id = i.campaign_id JOIN contacts k ON k.id = i.contact_id
         WHERE i.id = $1`,
        [r.invitationId],
      )) as Array<{
        answered: boolean;
        status: string;
        closes_at: string | null;
        erased_at: string | null;
      }>;
      return failureOf(rows[0], r.now);
    }
    await m.query(
      `INSERT INTO responses (id, campaign_id, unit_id, invitation_id, language, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [r.id, r.campaignId, r.unitId, r.linkedInvitationId, r.language, r.submittedAt],
    );
    if (r.answers.length) {
      const values: unknown[] = [];
      const tuples = r.answers.map((a, i) => {
        values.push(r.id, a.questionKey, a.seq, r.campaignId, a.numValue, a.textValue);
        const b = i * 6;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
      });
      await m.query(
        `INSERT INTO answers (response_id, question_key, seq, campaign_id, num_value, text_value) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
    await addAnswerCountsPostgres(m, r.campaignId, r.unitId, counts);
    this.hook.afterInsert(r);
    return 'claimed';
  }
}

function failureOf(
  row:
    | { answered: boolean; status: string; closes_at: string | null; erased_at: string | null }
    | undefined,
  now: string,
): ClaimFailure {
  if (!row || row.erased_at !== null) return 'unknown';
  if (row.answered) return 'answered';
  if (row.status !== 'open' || (row.closes_at !== null && row.closes_at <= now)) return 'closed';
  return 'unknown';
}
