import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReaderScope, Roles } from '../auth/auth.decorators.js';
import type { ReportScope } from '../domain/roles.js';
import { replyLanguage } from '../auth/page-language.js';
import { reportPage } from '../reports/report-page.js';
import { ReportLangQueryDto } from '../reports/reports.dto.js';
import {
  DriversPageQueryDto,
  LinkagePageQueryDto,
  WavesPageQueryDto,
} from './linkage-pages.dto.js';
import { LinkagePagesService } from './linkage-pages.service.js';

/** The linkage, waves, drivers and service-map pages under /reports (admins and analysts). */
@ApiExcludeController()
@Roles('analyst')
@Controller('reports')
export class LinkagePagesController {
  constructor(private readonly pages: LinkagePagesService) {}

  @Roles('analyst', 'manager')
  @Get('campaigns/:id/service-map')
  async serviceMap(
    @Param('id') id: string,
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    const lang = q.lang ?? replyLanguage(reply);
    const model = await this.pages.serviceMap(id, lang, reader);
    const title = `${model.t.serviceMap}: ${model.campaign.name}`;
    return reply.view(...reportPage('service-map', { url: request.url, lang, title }, model));
  }

  @Roles('analyst', 'manager')
  @Get('linkage')
  async linkage(
    @Query() q: LinkagePageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    const lang = q.lang ?? replyLanguage(reply);
    const model = await this.pages.linkage(q, reader);
    const title = model.t.linkageTitle;
    return reply.view(...reportPage('linkage', { url: request.url, lang, title }, model));
  }

  @Roles('analyst', 'manager')
  @Get('linkage/waves')
  async waves(
    @Query() q: WavesPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    const lang = q.lang ?? replyLanguage(reply);
    const model = await this.pages.waves(q, reader);
    const title = model.t.wavesTitle;
    return reply.view(...reportPage('waves', { url: request.url, lang, title }, model));
  }

  @Roles('analyst', 'manager')
  @Get('linkage/drivers')
  async drivers(
    @Query() q: DriversPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const lang = q.lang ?? replyLanguage(reply);
    const model = await this.pages.drivers(q);
    const title = model.t.driversTitle;
    return reply.view(...reportPage('drivers', { url: request.url, lang, title }, model));
  }
}
