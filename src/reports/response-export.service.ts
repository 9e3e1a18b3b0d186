import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { CampaignReportService, type CampaignFacts } from './campaign-report.service.js';
import { exportFileName, neutraliseCell } from './csv-cells.js';
import { ReportsRepository, type ExportAnswerRow } from './reports.repository.js';
import { isNumericType } from '../domain/questions.js';
import type { Role } from '../domain/roles.js';

/** Responses read per keyset page: memory stays bounded whatever the campaign size. */
export const EXPORT_PAGE_SIZE = 1000;

/** The unit value of export rows whose unit cannot be named without isolating a small group. */
export const SUPPRESSED_UNIT = '(suppressed)';

export interface ResponseExport {
  fileName: string;
  /** The CSV (UTF-8 with BOM), produced page by page as the client reads it. */
  stream: Readable;
}

/**
 * `GET /api/campaigns/:id/responses.csv` — one row per response, one column per question.
 *
 * Who: internal campaigns admins only (SECURITY.md D2: individual rows never reach analysts /
 * leadership); external campaigns admins and analysts.
 * Identity: `contact_email` only for external, non-anonymous campaigns (an internal campaign never
 * exports identity, even if not anonymous: no admin bypass, E8). Anonymous campaigns carry nothing
 * that links to the invitation; rows come in response-id order, and ids are random UUIDs, so the
 * order says nothing about time (C10); their submitted_at is already stored as a date only.
 * Internal campaigns: `unit` is coarsened (see `Disclosure.exportUnit`) and text answers are blank
 * unless the row's coarsened unit holds ≥ MIN_COMMENT_GROUP_SIZE responses.
 */
@Injectable()
export class ResponseExportService {
  constructor(
    private readonly report: CampaignReportService,
    private readonly reports: ReportsRepository,
  ) {}

  /** Checks and plans the export; throws before anything is sent (404, 403). */
  async export(campaignId: string, role: Role): Promise<ResponseExport> {
    const facts = await this.report.facts(campaignId);
    const { campaign } = facts;
    const internal = campaign.audience === 'internal';
    if (internal && role !== 'admin')
      throw new DomainError(
        ErrorCode.Forbidden,
        'Individual responses of internal campaigns can be exported by admins only',
      );
    return {
      fileName: exportFileName(campaign.name),
      stream: this.csv(facts, !internal && !campaign.anonymous),
    };
  }

  private csv(facts: CampaignFacts, withEmail: boolean): Readable {
    const { campaign, disclosure, forest } = facts;
    const internal = campaign.audience === 'internal';
    const fixed = ['response_id', 'submitted_at', 'language', 'unit'];
    if (withEmail) fixed.push('contact_email');
    const questionColumns = campaign.questions.map((q) =>
      fixed.includes(q.key) ? `q_${q.key}` : q.key,
    );
    const header = [...fixed, ...questionColumns].map(neutraliseCell);

    // Coarsened unit per respondent unit, and the size of each coarsened group (for comments).
    const label = new Map<string, string | null>();
    const groupSize = new Map<string | null, number>();
    for (const [unitId, n] of facts.responses) {
      const shown = internal ? disclosure.exportUnit(unitId) : unitId;
      label.set(unitId, shown);
      groupSize.set(shown, (groupSize.get(shown) ?? 0) + n);
    }
    const codeOf = (unitId: string): string => {
      const shown = label.has(unitId) ? label.get(unitId) : unitId;
      return shown === null || shown === undefined
        ? SUPPRESSED_UNIT
        : (forest.byId.get(shown)?.code ?? SUPPRESSED_UNIT);
    };
    const commentsAllowed = (unitId: string): boolean =>
      !internal ||
      (groupSize.get(label.get(unitId) ?? null) ?? 0) >= this.report.minCommentGroupSize;

    const reports = this.reports;
    const campaignId = campaign.id;
    async function* rows(): AsyncGenerator<unknown[]> {
      yield header;
      let after = '';
      for (;;) {
        const page = await reports.exportPage(campaignId, after, EXPORT_PAGE_SIZE, withEmail);
        if (!page.length) return;
        const answers = await reports.exportAnswers(campaignId, page[0].id, page.at(-1)!.id);
        const byResponse = new Map<string, ExportAnswerRow[]>();
        for (const a of answers) {
          const list = byResponse.get(a.responseId);
          if (list) list.push(a);
          else byResponse.set(a.responseId, [a]);
        }
        for (const r of page) {
          const given = byResponse.get(r.id) ?? [];
          const cells: unknown[] = [
            neutraliseCell(r.id),
            neutraliseCell(r.submittedAt),
            neutraliseCell(r.language),
            neutraliseCell(codeOf(r.unitId)),
          ];
          if (withEmail) cells.push(neutraliseCell(r.email ?? ''));
          for (const q of campaign.questions) {
            const mine = given.filter((a) => a.key === q.key);
            if (isNumericType(q.type)) {
              cells.push(mine[0]?.num ?? '');
            } else if (q.type === 'text' && !commentsAllowed(r.unitId)) {
              cells.push('');
            } else {
              cells.push(neutraliseCell(mine.map((a) => a.text ?? '').join('|')));
            }
          }
          yield cells;
        }
        after = page.at(-1)!.id;
        if (page.length < EXPORT_PAGE_SIZE) return;
      }
    }

    const out = stringify({ bom: true, record_delimiter: '\r\n', quoted_match: /^\s|\s$/ });
    const source = Readable.from(rows());
    source.on('error', (err) => out.destroy(err));
    return source.pipe(out);
  }
}
