import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, ReaderScope, Roles } from '../auth/auth.decorators.js';
import type { ReportScope } from '../domain/roles.js';
import { CampaignReportService } from './campaign-report.service.js';
import {
  CampaignReportDoc,
  CampaignReportQueryDto,
  type CampaignReportJson,
} from './reports.dto.js';
import { ResponseExportService } from './response-export.service.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import { sendCsvDownload } from './csv-download.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/campaigns')
export class ReportsController {
  constructor(
    private readonly reports: CampaignReportService,
    private readonly exports: ResponseExportService,
  ) {}

  @Roles('analyst', 'manager')
  @Get(':id/report')
  @ApiOkResponse({ type: CampaignReportDoc })
  report(
    @Param('id') id: string,
    @Query() query: CampaignReportQueryDto,
    @ReaderScope() reader: ReportScope,
  ): Promise<CampaignReportJson> {
    return this.reports.report(id, query.unitCode, reader);
  }

  /** Streamed; internal campaigns are refused (403) to everyone but admins. */
  @Roles('analyst')
  @Get(':id/responses.csv')
  @ApiProduces('text/csv')
  async responsesCsv(
    @Param('id') id: string,
    @CurrentUser() user: UserEntity,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendCsvDownload(reply, await this.exports.export(id, user.role));
  }
}
