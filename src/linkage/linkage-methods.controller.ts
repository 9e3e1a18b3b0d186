import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { replyLanguage } from '../auth/page-language.js';
import { reportPage } from '../reports/report-page.js';
import {
  METHODS_CSV,
  METHODS_JSON,
  METHODS_MD,
  methodsCsv,
  methodsMarkdown,
} from './linkage-methods-doc.js';
import type { MethodsResult } from './linkage-methods.js';
import { LinkageMethodsService } from './linkage-methods.service.js';
import { methodsView } from './linkage-methods.view.js';
import { LinkagePageQueryDto } from './linkage-pages.dto.js';
import { summaryLanguage } from './linkage.controller.js';
import { LinkageQueryDto } from './linkage.dto.js';

/** GET /api/linkage/methods: the linkage's definitions, thresholds, per-unit table and results. */
@ApiTags('linkage')
@ApiBearerAuth()
@Controller('api/linkage')
export class LinkageMethodsController {
  constructor(private readonly methods: LinkageMethodsService) {}

  @Roles('analyst')
  @Get('methods')
  get(
    @Query() query: LinkageQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<MethodsResult> {
    return this.methods.methods({ ...query, lang: summaryLanguage(query.lang, acceptLanguage) });
  }
}

/** /reports/linkage/methods and its downloads (.csv, .md): the linkage page's options and roles. */
@ApiExcludeController()
@Roles('analyst')
@Controller('reports')
export class LinkageMethodsPagesController {
  constructor(private readonly methods: LinkageMethodsService) {}

  @Get('linkage/methods')
  async page(
    @Query() q: LinkagePageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const lang = q.lang ?? replyLanguage(reply);
    const data = await this.methods.page(q, lang);
    const model = methodsView(data, lang, request.url);
    return reply.view(
      ...reportPage('linkage-methods', { url: request.url, lang, title: model.title }, model),
    );
  }

  @Get('linkage/methods.csv')
  async csv(@Query() q: LinkagePageQueryDto, @Res() reply: FastifyReply) {
    const { doc } = await this.methods.page(q, q.lang ?? replyLanguage(reply));
    return download(reply, 'text/csv', METHODS_CSV, methodsCsv(doc.units));
  }

  /** The JSON of GET /api/linkage/methods from the signed-in browser, with the page's options. */
  @Get('linkage/methods.json')
  async json(@Query() q: LinkagePageQueryDto, @Res() reply: FastifyReply) {
    const { doc } = await this.methods.page(q, q.lang ?? replyLanguage(reply));
    return download(reply, 'application/json', METHODS_JSON, `${JSON.stringify(doc, null, 2)}\n`);
  }

  @Get('linkage/methods.md')
  async markdown(@Query() q: LinkagePageQueryDto, @Res() reply: FastifyReply) {
    const lang = q.lang ?? replyLanguage(reply);
    const { doc } = await this.methods.page(q, lang);
    const text = methodsMarkdown(doc, lang, { generatedAt: new Date().toISOString(), lang });
    return download(reply, 'text/markdown', METHODS_MD, text);
  }
}

function download(reply: FastifyReply, type: string, fileName: string, body: string) {
  return reply
    .header('Content-Type', `${type}; charset=utf-8`)
    .header('Content-Disposition', `attachment; filename="${fileName}"`)
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .send(body);
}
