import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import {
  DriversPageQueryDto,
  LinkagePageQueryDto,
  ReportLangQueryDto,
  WavesPageQueryDto,
} from './report-pages.dto.js';
import { reportStrings } from './report-pages.i18n.js';
import type { Language } from '../domain/language.js';
import { ReportPagesService } from './report-pages.service.js';

const LANG_NAMES: Record<Language, string> = { en: 'English', it: 'Italiano' };

/** The same address in every language: the page's query with `lang` replaced. */
export function languageLinks(url: string, current: Language) {
  return (Object.keys(LANG_NAMES) as Language[]).map((code) => {
    const u = new URL(url, 'http://x');
    u.searchParams.set('lang', code);
    return {
      code,
      label: LANG_NAMES[code],
      current: code === current,
      href: u.pathname + u.search,
    };
  });
}

/** Leadership pages with server-rendered SVG charts (session login; admins and analysts). */
@ApiExcludeController()
@Roles('analyst')
@Controller('reports')
export class ReportPagesController {
  constructor(private readonly pages: ReportPagesService) {}

  private render(
    reply: FastifyReply,
    request: FastifyRequest,
    view: string,
    lang: Language,
    title: string,
    model: object,
  ) {
    return reply.view(`reports/${view}`, {
      ...model,
      title,
      crumb: view === 'index' ? null : title,
      lang,
      langLinks: languageLinks(request.url, lang),
      nav: true,
      wide: true,
    });
  }

  @Get()
  async index(
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const lang = q.lang ?? 'en';
    const model = await this.pages.index(lang);
    return this.render(reply, request, 'index', lang, reportStrings(lang).indexTitle, model);
  }

  @Get('campaigns/:id')
  async campaign(
    @Param('id') id: string,
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const lang = q.lang ?? 'en';
    const model = await this.pages.campaign(id, lang);
    return this.render(reply, request, 'campaign', lang, model.campaign.name, model);
  }

  @Get('campaigns/:id/service-map')
  async serviceMap(
    @Param('id') id: string,
    @Query() q: ReportLangQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const lang = q.lang ?? 'en';
    const model = await this.pages.serviceMap(id, lang);
    const title = `${model.t.serviceMap}: ${model.campaign.name}`;
    return this.render(reply, request, 'service-map', lang, title, model);
  }

  @Get('linkage')
  async linkage(
    @Query() q: LinkagePageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const lang = q.lang ?? 'en';
    const model = await this.pages.linkage(q);
    return this.render(reply, request, 'linkage', lang, model.t.linkageTitle, model);
  }

  @Get('linkage/waves')
  async waves(
    @Query() q: WavesPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const lang = q.lang ?? 'en';
    const model = await this.pages.waves(q);
    return this.render(reply, request, 'waves', lang, model.t.wavesTitle, model);
  }

  @Get('linkage/drivers')
  async drivers(
    @Query() q: DriversPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const lang = q.lang ?? 'en';
    const model = await this.pages.drivers(q);
    return this.render(reply, request, 'drivers', lang, model.t.driversTitle, model);
  }
}
