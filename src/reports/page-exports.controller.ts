import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, ReaderScope, Roles } from '../auth/auth.decorators.js';
import type { ReportScope } from '../domain/roles.js';
import { replyLanguage } from '../auth/page-language.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import { CommentsPageQueryDto } from './comments.dto.js';
import { type ExportFormat, exportStream, sendDownload } from './export-files.js';
import { PageExportsService, type PageExport } from './page-exports.service.js';
import { ReportLangQueryDto } from './reports.dto.js';
import { ResponseExportService } from './response-export.service.js';

/** Sends a page's tables in the asked format. */
export async function sendPageExport(
  reply: FastifyReply,
  format: ExportFormat,
  file: PageExport,
): Promise<void> {
  await sendDownload(reply, format, {
    fileName: file.fileName,
    stream: exportStream(format, file.tables),
  });
}

/**
 * CSV and XLSX downloads of the campaign results and comments pages (their address with `.csv` or
 * `.xlsx`, the same query), and the raw responses as XLSX (the twin of `responses.csv`, same
 * rules). Same roles as the pages; a visitor without a session is sent to sign in.
 */
@ApiExcludeController()
@Roles('analyst')
@Controller('reports/campaigns')
export class PageExportsController {
  constructor(
    private readonly pages: PageExportsService,
    private readonly responses: ResponseExportService,
  ) {}

  private async campaign(
    format: ExportFormat,
    id: string,
    q: ReportLangQueryDto,
    request: FastifyRequest,
    reply: FastifyReply,
    reader: ReportScope,
  ) {
    const lang = q.lang ?? replyLanguage(reply);
    await sendPageExport(
      reply,
      format,
      await this.pages.campaign(id, lang, request.url, format, reader),
    );
  }

  @Roles('analyst', 'manager')
  @Get(':id.csv')
  campaignCsv(
    @Param('id') id: string,
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.campaign('csv', id, q, request, reply, reader);
  }

  @Roles('analyst', 'manager')
  @Get(':id.xlsx')
  campaignXlsx(
    @Param('id') id: string,
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.campaign('xlsx', id, q, request, reply, reader);
  }

  private async comments(
    format: ExportFormat,
    id: string,
    query: CommentsPageQueryDto,
    request: FastifyRequest,
    reply: FastifyReply,
    reader: ReportScope,
  ) {
    const lang = query.lang ?? replyLanguage(reply);
    const { lang: _lang, ...rest } = query;
    const file = await this.pages.commentList(id, rest, lang, request.url, format, reader);
    await sendPageExport(reply, format, file);
  }

  @Roles('analyst', 'manager')
  @Get(':id/comments.csv')
  commentsCsv(
    @Param('id') id: string,
    @Query() q: CommentsPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.comments('csv', id, q, request, reply, reader);
  }

  @Roles('analyst', 'manager')
  @Get(':id/comments.xlsx')
  commentsXlsx(
    @Param('id') id: string,
    @Query() q: CommentsPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.comments('xlsx', id, q, request, reply, reader);
  }

  /** The raw responses as XLSX: `responses.csv`'s rows (internal campaigns: admins only). */
  @Get(':id/responses.xlsx')
  async responsesXlsx(
    @Param('id') id: string,
    @CurrentUser() user: UserEntity,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendDownload(reply, 'xlsx', await this.responses.export(id, user.role, 'xlsx'));
  }
}
