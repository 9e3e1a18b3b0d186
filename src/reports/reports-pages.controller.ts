import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReaderScope, Roles } from '../auth/auth.decorators.js';
import type { ReportScope } from '../domain/roles.js';
import { replyLanguage } from '../auth/page-language.js';
import { reportPage } from './report-page.js';
import { reportStrings } from './report-pages.i18n.js';
import { ReportLangQueryDto } from './reports.dto.js';
import { ReportsPagesService } from './reports-pages.service.js';

/** The /reports index and campaign results, with server-rendered SVG charts (admins and analysts). */
@ApiExcludeController()
@Roles('analyst')
@Controller('reports')
export class ReportsPagesController {
  constructor(private readonly pages: ReportsPagesService) {}

  @Roles('analyst', 'manager')
  @Get()
  async index(
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    const lang = q.lang ?? replyLanguage(reply);
    const model = await this.pages.index(lang, reader);
    const title = reportStrings(lang).indexTitle;
    return reply.view(...reportPage('index', { url: request.url, lang, title }, model));
  }

  @Roles('analyst', 'manager')
  @Get('campaigns/:id')
  async campaign(
    @Param('id') id: string,
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    const lang = q.lang ?? replyLanguage(reply);
    const model = await this.pages.campaign(id, lang, reader);
    const title = model.campaign.name;
    return reply.view(...reportPage('campaign', { url: request.url, lang, title }, model));
  }
}
