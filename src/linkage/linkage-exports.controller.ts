import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReaderScope, Roles } from '../auth/auth.decorators.js';
import type { ReportScope } from '../domain/roles.js';
import { replyLanguage } from '../auth/page-language.js';
import type { Language } from '../domain/language.js';
import { datedFileName } from '../reports/csv-cells.js';
import type { ExportFormat, ExportTable } from '../reports/export-files.js';
import { sendPageExport } from '../reports/page-exports.controller.js';
import { PageExportsService } from '../reports/page-exports.service.js';
import { ReportLangQueryDto } from '../reports/reports.dto.js';
import { driversTables, linkageTables, serviceMapTables, wavesTables } from './linkage-exports.js';
import {
  DriversPageQueryDto,
  LinkagePageQueryDto,
  WavesPageQueryDto,
} from './linkage-pages.dto.js';
import { LinkagePagesService } from './linkage-pages.service.js';

type Format = { format: ExportFormat; reader: ReportScope };

/**
 * CSV and XLSX downloads of the linkage, waves, drivers and service-map pages: the page's address
 * with `.csv` or `.xlsx` and the same query, read through the same `LinkagePagesService` calls as
 * the page (same release gate, same options). Same roles as the pages.
 */
@ApiExcludeController()
@Roles('analyst')
@Controller('reports')
export class LinkageExportsController {
  constructor(
    private readonly pages: LinkagePagesService,
    private readonly exports: PageExportsService,
  ) {}

  private async send(
    reply: FastifyReply,
    { format }: Format,
    name: string,
    what: string,
    tables: ExportTable[],
  ) {
    await sendPageExport(reply, format, { fileName: datedFileName(name, what, format), tables });
  }

  private lang(q: { lang?: Language }, reply: FastifyReply): Language {
    return q.lang ?? replyLanguage(reply);
  }

  private async serviceMap(
    f: Format,
    id: string,
    q: ReportLangQueryDto,
    url: string,
    reply: FastifyReply,
  ) {
    const lang = this.lang(q, reply);
    const result = await this.pages.serviceMapData(id, f.reader);
    const about = this.exports.about(url, lang, [result.campaign.name], result.minGroupSize);
    await this.send(reply, f, result.campaign.name, 'service-map', [
      about,
      ...serviceMapTables(result),
    ]);
  }

  @Roles('analyst', 'manager')
  @Get('campaigns/:id/service-map.csv')
  serviceMapCsv(
    @Param('id') id: string,
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.serviceMap({ format: 'csv', reader }, id, q, request.url, reply);
  }

  @Roles('analyst', 'manager')
  @Get('campaigns/:id/service-map.xlsx')
  serviceMapXlsx(
    @Param('id') id: string,
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.serviceMap({ format: 'xlsx', reader }, id, q, request.url, reply);
  }

  private async linkage(f: Format, q: LinkagePageQueryDto, url: string, reply: FastifyReply) {
    const lang = this.lang(q, reply);
    const data = await this.pages.linkageData({ ...q, lang }, f.reader);
    const about = this.exports.about(url, lang, [data.internal.name, data.external.name]);
    await this.send(reply, f, `${data.internal.name} ${data.external.name}`, 'linkage', [
      about,
      ...linkageTables(data, lang),
    ]);
  }

  @Roles('analyst', 'manager')
  @Get('linkage.csv')
  linkageCsv(
    @Query() q: LinkagePageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.linkage({ format: 'csv', reader }, q, request.url, reply);
  }

  @Roles('analyst', 'manager')
  @Get('linkage.xlsx')
  linkageXlsx(
    @Query() q: LinkagePageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.linkage({ format: 'xlsx', reader }, q, request.url, reply);
  }

  private async waves(f: Format, q: WavesPageQueryDto, url: string, reply: FastifyReply) {
    const lang = this.lang(q, reply);
    const { result, titles } = await this.pages.wavesData({ ...q, lang }, f.reader);
    const about = this.exports.about(url, lang, []);
    await this.send(reply, f, '', 'waves', [about, ...wavesTables(result, titles, lang)]);
  }

  @Roles('analyst', 'manager')
  @Get('linkage/waves.csv')
  wavesCsv(
    @Query() q: WavesPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.waves({ format: 'csv', reader }, q, request.url, reply);
  }

  @Roles('analyst', 'manager')
  @Get('linkage/waves.xlsx')
  wavesXlsx(
    @Query() q: WavesPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.waves({ format: 'xlsx', reader }, q, request.url, reply);
  }

  private async drivers(f: Format, q: DriversPageQueryDto, url: string, reply: FastifyReply) {
    const lang = this.lang(q, reply);
    const result = await this.pages.driversData({ ...q, lang });
    const about = this.exports.about(url, lang, [
      result.internal.name,
      result.external.campaign.name,
    ]);
    await this.send(reply, f, result.internal.name, 'drivers', [
      about,
      ...driversTables(result, lang),
    ]);
  }

  @Roles('analyst', 'manager')
  @Get('linkage/drivers.csv')
  driversCsv(
    @Query() q: DriversPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.drivers({ format: 'csv', reader }, q, request.url, reply);
  }

  @Roles('analyst', 'manager')
  @Get('linkage/drivers.xlsx')
  driversXlsx(
    @Query() q: DriversPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    return this.drivers({ format: 'xlsx', reader }, q, request.url, reply);
  }
}
