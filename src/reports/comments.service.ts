import { createHmac, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { QuestionView } from '../campaigns/campaigns.dto.js';
import { DomainError, ErrorCode, invalid } from '../common/domain-error.js';
import type { Audience } from '../domain/audience.js';
import { CampaignReportService, type CampaignFacts } from './campaign-report.service.js';
import { CommentsRepository, type CommentRow } from './comments.repository.js';
import { ALL_UNITS, type ReportScope } from '../domain/roles.js';
import { isMine, scopedUnits } from './report-scope.js';

/** Comments per page (page and API). */
export const COMMENTS_PAGE_SIZE = 50;

/** What the reader asked for; everything optional. */
export interface CommentsQuery {
  /** Text question key (default: the first text question). */
  question?: string;
  /** Unit code of a released group; absent = campaign-wide (or, if that is not released, the first released group). */
  unit?: string;
  /** Search text: case- and accent-insensitive substring. */
  q?: string;
  /** 1-based page. */
  page?: number;
}

/** A group comments may be listed for: the whole campaign (`unitCode` null) or a unit subtree. */
export interface CommentGroup {
  unitCode: string | null;
  unitName: string | null;
}

export interface CommentJson {
  text: string;
  /** External campaigns only: the respondent's unit and the form's language. */
  unit?: { code: string; name: string };
  language?: string;
}

/** `GET /api/campaigns/:id/comments` */
export interface CommentsJson {
  campaign: { id: string; name: string; audience: Audience; status: string };
  /** False while an internal campaign is open: no comment is released before it closes. */
  released: boolean;
  /** Internal campaigns: the least group size comments are listed for (MIN_COMMENT_GROUP_SIZE). */
  minCommentGroupSize: number | null;
  /** The text questions of the campaign. */
  questions: Array<{ key: string; text: Record<string, string> }>;
  /** The question listed (null: the campaign has no text question). */
  question: string | null;
  /** The groups that may be chosen for this question (released groups only). */
  groups: CommentGroup[];
  /** The group listed (null when no group is released). */
  group: CommentGroup | null;
  /** Comments in the group; of them, those matching `q`. */
  total: number;
  matching: number;
  q: string;
  page: number;
  pageCount: number;
  pageSize: number;
  comments: CommentJson[];
}

/** Lower case without accents or other marks: "Perché" and "PERCHE" match. */
export function foldForSearch(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The order comments are listed in: by an HMAC of the response (and answer) id under a server
 * secret and the campaign. Random-looking, so it tells nothing about time or unit (response ids are
 * random too, but the secret keeps the order from being recomputed outside); stable, so a reload or
 * the next page never reshuffles.
 */
export function commentOrder<T extends Pick<CommentRow, 'responseId' | 'seq'>>(
  rows: readonly T[],
  secret: string,
  campaignId: string,
): T[] {
  const keyed = rows.map((r) => ({
    r,
    k: createHmac('sha256', secret)
      .update(`${campaignId}\u0000${r.responseId}\u0000${r.seq}`)
      .digest('hex'),
  }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.r);
}

/**
 * The groups the comments of text question `key` may be listed for: the campaign, and the unit
 * subtrees with comments that the Disclosure releases for the question's comment family (for an
 * external campaign every one). The Disclosure decides; this only reads it. Units sorted by code.
 */
export function releasedCommentGroups(
  facts: Pick<CampaignFacts, 'units' | 'forest' | 'disclosure' | 'answered'>,
  key: string,
): { campaign: boolean; units: Array<CampaignFacts['units'][number]> } {
  const { disclosure, forest } = facts;
  if (!disclosure.released) return { campaign: false, units: [] };
  const answeredBelow = forest.subtreeTotals(facts.answered.get(key) ?? new Map<string, number>());
  const units = facts.units
    .filter((u) => (answeredBelow.get(u.id) ?? 0) > 0)
    .filter((u) => disclosure.filters.has(u.id) && disclosure.commentsShown(key, u.id))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { campaign: disclosure.commentsShown(key, null), units };
}

/**
 * Comments of a campaign's text questions (issue 9 "Comments"), through the release gate:
 * - external campaigns: every comment, with its unit;
 * - internal campaigns: nothing while open; once closed only the groups the campaign's Disclosure
 *   releases for the question's comment family (MIN_COMMENT_GROUP_SIZE, complements included:
 *   `commentsShown`), never attributed (no unit, time, language or id), the same for every role.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly report: CampaignReportService,
    private readonly repo: CommentsRepository,
  ) {}

  /**
   * A unit manager (`reader`) lists only their own units' groups: never the campaign-wide one.
   * `whole`: every matching comment in the list's order, not one page (the page's download).
   */
  async list(
    campaignId: string,
    query: CommentsQuery = {},
    reader: ReportScope = ALL_UNITS,
    options: { whole?: boolean } = {},
  ): Promise<CommentsJson> {
    const facts = await this.report.facts(campaignId);
    const { campaign, disclosure, forest } = facts;
    const mine = scopedUnits(forest, reader);
    const internal = campaign.audience === 'internal';
    const textQuestions = campaign.questions.filter((q: QuestionView) => q.type === 'text');
    const search = (query.q ?? '').trim();
    const base: CommentsJson = {
      campaign: {
        id: campaign.id,
        name: campaign.name,
        audience: campaign.audience,
        status: campaign.status,
      },
      released: !internal || disclosure.released,
      minCommentGroupSize: internal ? this.report.minCommentGroupSize : null,
      questions: textQuestions.map((q) => ({ key: q.key, text: { ...q.text } })),
      question: null,
      groups: [],
      group: null,
      total: 0,
      matching: 0,
      q: search,
      page: 1,
      pageCount: 0,
      pageSize: COMMENTS_PAGE_SIZE,
      comments: [],
    };

    let question: QuestionView | undefined = textQuestions[0];
    if (query.question !== undefined) {
      question = textQuestions.find((q) => q.key === query.question);
      if (!question)
        throw invalid('Unknown question', [
          { field: 'question', message: 'The campaign has no text question with this key' },
        ]);
    }
    if (!question) return base;
    base.question = question.key;
    const key = question.key;

    // The released groups: the campaign, then unit subtrees (codes sorted).
    const groups: Array<CommentGroup & { unitId: string | null }> = [];
    if (base.released) {
      const released = releasedCommentGroups(facts, key);
      if (released.campaign && !mine) groups.push({ unitCode: null, unitName: null, unitId: null });
      for (const u of released.units)
        if (isMine(mine, u.id)) groups.push({ unitCode: u.code, unitName: u.name, unitId: u.id });
    }
    base.groups = groups.map(({ unitCode, unitName }) => ({ unitCode, unitName }));

    let group = groups[0];
    if (query.unit !== undefined && query.unit !== '') {
      const unit = facts.units.find((u) => u.code === query.unit && isMine(mine, u.id));
      if (!unit)
        throw invalid('Unknown unit', [{ field: 'unit', message: 'No unit has this code' }]);
      group = groups.find((g) => g.unitId === unit.id)!;
      // External campaigns hide nothing: a unit without comments is listed, empty.
      if (!group && !internal)
        group = { unitCode: unit.code, unitName: unit.name, unitId: unit.id };
      if (!group) {
        throw new DomainError(
          ErrorCode.Forbidden,
          internal && !disclosure.released
            ? 'Comments of an internal campaign are released when it closes'
            : 'Comments are not listed for this unit: its group, or what it would let be ' +
                'worked out by subtraction, is smaller than MIN_COMMENT_GROUP_SIZE',
        );
      }
    }
    if (!group) return base;
    base.group = { unitCode: group.unitCode, unitName: group.unitName };

    const scope = group.unitId === null ? null : forest.subtree(group.unitId);
    const all = (await this.repo.textAnswers(campaign.id, key)).filter(
      (r) => !scope || scope.has(r.unitId),
    );
    const secret = await this.repo.orderSecret(() => randomBytes(32).toString('hex'));
    const ordered = commentOrder(all, secret, campaign.id);
    const needle = foldForSearch(search);
    const matching = needle
      ? ordered.filter((r) => foldForSearch(r.text).includes(needle))
      : ordered;

    const pageCount = Math.ceil(matching.length / COMMENTS_PAGE_SIZE);
    const page = Math.min(Math.max(1, query.page ?? 1), Math.max(1, pageCount));
    const slice = options.whole
      ? matching
      : matching.slice((page - 1) * COMMENTS_PAGE_SIZE, page * COMMENTS_PAGE_SIZE);
    base.total = all.length;
    base.matching = matching.length;
    base.page = page;
    base.pageCount = pageCount;
    base.comments = slice.map((r): CommentJson => {
      if (internal) return { text: r.text };
      const u = forest.byId.get(r.unitId);
      return {
        text: r.text,
        ...(u ? { unit: { code: u.code, name: u.name } } : {}),
        language: r.language,
      };
    });
    return base;
  }
}
