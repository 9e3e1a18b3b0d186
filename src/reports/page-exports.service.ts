import { ALL_UNITS, type ReportScope } from '../domain/roles.js';
import { Injectable } from '@nestjs/common';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { AppConfig } from '../config/app-config.js';
import type { Language } from '../domain/language.js';
import { CampaignReportService } from './campaign-report.service.js';
import type { CommentsQuery } from './comments.service.js';
import { CommentsService } from './comments.service.js';
import { datedFileName } from './csv-cells.js';
import type { ExportFormat, ExportTable } from './export-files.js';
import { aboutTable, campaignReportTables, commentsTables, pageOfExport } from './page-exports.js';

export interface PageExport {
  fileName: string;
  tables: ExportTable[];
}

/**
 * The downloads of the campaign results and comments pages: the same service calls as the pages
 * (`CampaignReportService.report`, `CommentsService.list`), mapped to tables by `page-exports.ts`.
 */
@Injectable()
export class PageExportsService {
  constructor(
    private readonly reports: CampaignReportService,
    private readonly campaigns: CampaignsService,
    private readonly comments: CommentsService,
    private readonly config: AppConfig,
  ) {}

  /** The `about` table of a page export made from `url`. */
  about(url: string, lang: Language, campaigns: string[], k = this.config.env.MIN_GROUP_SIZE) {
    const { page, options } = pageOfExport(url);
    return aboutTable({
      page,
      lang,
      campaigns,
      options,
      k,
      commentK: this.config.env.MIN_COMMENT_GROUP_SIZE,
    });
  }

  /** `/reports/campaigns/:id`, as on the page (ReportsPagesService.campaign). */
  async campaign(
    id: string,
    lang: Language,
    url: string,
    format: ExportFormat,
    reader: ReportScope = ALL_UNITS,
  ) {
    const report = await this.reports.report(id, undefined, reader);
    const campaign = await this.campaigns.get(id);
    const k = report.minGroupSize ?? this.config.env.MIN_GROUP_SIZE;
    return {
      fileName: datedFileName(campaign.name, 'report', format),
      tables: [
        this.about(url, lang, [campaign.name], k),
        ...campaignReportTables(report, campaign, lang),
      ],
    };
  }

  /** `/reports/campaigns/:id/comments`: every matching comment (all of the list's pages). */
  async commentList(
    id: string,
    query: CommentsQuery,
    lang: Language,
    url: string,
    format: ExportFormat,
    reader: ReportScope = ALL_UNITS,
  ) {
    const data = await this.comments.list(id, { ...query, page: undefined }, reader, {
      whole: true,
    });
    return {
      fileName: datedFileName(data.campaign.name, 'comments', format),
      tables: [this.about(url, lang, [data.campaign.name]), ...commentsTables(data, lang)],
    };
  }
}
