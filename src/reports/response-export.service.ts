import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { HeapGuard } from '../common/heap-guard.js';
import { CampaignReportService, type CampaignFacts } from './campaign-report.service.js';
import { datedFileName, exportFileName } from './csv-cells.js';
import { type Cell, type ExportFormat, type ExportTable, exportStream } from './export-files.js';
import { ReportsRepository, type ExportAnswerRow } from './reports.repository.js';
import { isNumericType } from '../domain/questions.js';
import type { Role } from '../domain/roles.js';

/**
 * Responses read per keyset page: memory stays bounded whatever the campaign size. Small, so that a
 * page read for a slow reader dies young: at 1000 rows each page outlived two scavenges at 1 MB/s,
 * was promoted and left ~+180 MiB of old-space garbage at 1M rows; at 200 the RSS stays flat
 * (`npm run bench:exports`).
 */
export const EXPORT_PAGE_SIZE = 200;

/** The unit value of export rows whose unit cannot be named without isolating a small group. */
export const SUPPRESSED_UNIT = '(suppressed)';

export interface ResponseExport {
  fileName: string;
  /** The CSV (UTF-8 with BOM) or XLSX, produced page by page as the client reads it. */
  stream: Readable;
}

/** Hooks a test may set to watch the keyset reads (how far the export runs ahead of its reader). */
export interface ExportProbe {
  pageRead?: (rowsSoFar: number) => void;
}

/**
 * `GET /api/campaigns/:id/responses.csv` — one row per response, one column per question.
 *
 * Who: internal campaigns admins only (SECURITY.md D2: individual rows never reach analysts /
 * leadership); external campaigns admins and analysts.
 * Identity: `contact_email` only for external, non-anonymous campaigns (an internal campaign never
 * exports identity, even if not anonymous: no admin bypass, E8). Anonymous campaigns carry nothing
 * that links to the invitation; rows come in response-id order, and ids are random (v4) UUIDs
 * (`newId()`), so the order says nothing about time (C10); their submitted_at is already stored as
 * a date only.
 * Internal campaigns (E8, README "Export"):
 * - no `submitted_at` and no `language` column. Dropped rather than left empty: an empty column
 *   reads as "unknown" and invites someone to fill it in; an absent one says it is not exported.
 *   Both are quasi-identifiers: with the coarsened unit and the contact list, the language (or the
 *   day someone was known to answer) ties a row to one person;
 * - rows come in response-id order like every export: ids are random v4 UUIDs made at submission
 *   (`newId()`, nothing else writes responses), so the order carries neither time nor unit;
 * - `unit` is coarsened (see `Disclosure.exportUnit`);
 * - an answer is written only when the release decision grants that question every group that
 *   defines the row's unit label (`Disclosure.exportKeeps`): each column then adds up to released
 *   groups and atoms of its own question, so it tells nothing the report, the linkage and the
 *   service map do not (text answers: the comment family, MIN_COMMENT_GROUP_SIZE). Otherwise the
 *   cell is blank, as for a question not answered.
 */
@Injectable()
export class ResponseExportService {
  constructor(
    private readonly report: CampaignReportService,
    private readonly reports: ReportsRepository,
  ) {}

  /** Test seam: called after each keyset page is read. */
  probe: ExportProbe = {};

  /**
   * Checks and plans the export; throws before anything is sent (404, 403). CSV by default (the
   * API's `responses.csv`), or the same table as an XLSX workbook (one worksheet).
   */
  async export(
    campaignId: string,
    role: Role,
    format: ExportFormat = 'csv',
  ): Promise<ResponseExport> {
    const facts = await this.report.facts(campaignId);
    const { campaign } = facts;
    const internal = campaign.audience === 'internal';
    if (internal && role !== 'admin')
      throw new DomainError(
        ErrorCode.Forbidden,
        'Individual responses of internal campaigns can be exported by admins only',
      );
    return {
      // The CSV keeps the API's name (API.md); the XLSX is dated like the page exports.
      fileName:
        format === 'csv'
          ? exportFileName(campaign.name)
          : datedFileName(campaign.name, 'responses', format),
      stream: exportStream(format, [this.table(facts, !internal && !campaign.anonymous)]),
    };
  }

  /** The one table of both formats: cells are raw here, the writers neutralise text. */
  private table(facts: CampaignFacts, withEmail: boolean): ExportTable {
    const { campaign, disclosure, forest } = facts;
    const internal = campaign.audience === 'internal';
    const reserved = ['response_id', 'submitted_at', 'language', 'unit'];
    if (withEmail) reserved.push('contact_email');
    const questionColumns = campaign.questions.map((q) =>
      reserved.includes(q.key) ? `q_${q.key}` : q.key,
    );
    // Internal: no time and no language (quasi-identifiers, E8); question columns keep the names
    // they always had.
    const fixed = internal ? ['response_id', 'unit'] : reserved;
    const header = [...fixed, ...questionColumns];

    // Coarsened unit per respondent unit.
    const label = new Map<string, string | null>();
    for (const unitId of facts.responses.keys()) {
      label.set(unitId, internal ? disclosure.exportUnit(unitId) : unitId);
    }
    const codeOf = (unitId: string): string => {
      const shown = label.has(unitId) ? label.get(unitId) : unitId;
      return shown === null || shown === undefined
        ? SUPPRESSED_UNIT
        : (forest.byId.get(shown)?.code ?? SUPPRESSED_UNIT);
    };
    const keeps = (key: string, unitId: string): boolean =>
      !internal || disclosure.exportKeeps(key, unitId);

    const reports = this.reports;
    const probe = this.probe;
    const campaignId = campaign.id;
    /**
     * One keyset page as export rows. The page's database rows are dropped before its export
     * rows are handed on: a slow reader then holds back only the page's cells, not the driver's
     * rows and answers too (what is held while the reader catches up survives the young
     * generation and becomes old-space garbage: `npm run bench:exports`).
     */
    const pageRows = async (after: string): Promise<{ cells: Cell[][]; last: string | null }> => {
      const page = await reports.exportPage(campaignId, after, EXPORT_PAGE_SIZE, withEmail);
      if (!page.length) return { cells: [], last: null };
      const answers = await reports.exportAnswers(campaignId, page[0].id, page.at(-1)!.id);
      const byResponse = new Map<string, ExportAnswerRow[]>();
      for (const a of answers) {
        const list = byResponse.get(a.responseId);
        if (list) list.push(a);
        else byResponse.set(a.responseId, [a]);
      }
      const cells = page.map((r): Cell[] => {
        const given = byResponse.get(r.id) ?? [];
        const row: Cell[] = internal
          ? [r.id, codeOf(r.unitId)]
          : [r.id, r.submittedAt, r.language, codeOf(r.unitId)];
        if (withEmail) row.push(r.email ?? '');
        for (const q of campaign.questions) {
          const mine = given.filter((a) => a.key === q.key);
          if (!keeps(q.key, r.unitId)) {
            row.push('');
          } else if (isNumericType(q.type)) {
            row.push(mine[0]?.num ?? null);
          } else {
            row.push(mine.map((a) => a.text ?? '').join('|'));
          }
        }
        return row;
      });
      return { cells, last: page.length < EXPORT_PAGE_SIZE ? null : page.at(-1)!.id };
    };

    async function* rows(): AsyncGenerator<Cell[]> {
      let after: string | null = '';
      let read = 0;
      const heap = new HeapGuard();
      while (after !== null) {
        heap.check();
        const { cells, last } = await pageRows(after);
        read += cells.length;
        probe.pageRead?.(read);
        yield* cells;
        after = last;
      }
    }

    return { name: 'responses', columns: header, rows: rows() };
  }
}
