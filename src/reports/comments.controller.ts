import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExcludeController,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReaderScope, Roles } from '../auth/auth.decorators.js';
import type { ReportScope } from '../domain/roles.js';
import { replyLanguage } from '../auth/page-language.js';
import { CommentsDoc, CommentsPageQueryDto, CommentsQueryDto } from './comments.dto.js';
import { CommentsService, type CommentsJson } from './comments.service.js';
import { commentsView } from './comments.view.js';
import { reportPage } from './report-page.js';

/** `GET /api/campaigns/:id/comments`: the comments of a text question, through the release gate. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/campaigns')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Roles('analyst', 'manager')
  @Get(':id/comments')
  @ApiOperation({
    summary: 'Comments of a text question',
    description:
      'External campaigns: every comment with its unit. Internal campaigns: nothing until the ' +
      'campaign closes, then only the groups (campaign-wide, unit subtrees) the release decision ' +
      'allows for comments (MIN_COMMENT_GROUP_SIZE), text only. Random order, stable per ' +
      'campaign; 50 per page.',
  })
  @ApiOkResponse({ type: CommentsDoc })
  list(
    @Param('id') id: string,
    @Query() query: CommentsQueryDto,
    @ReaderScope() reader: ReportScope,
  ): Promise<CommentsJson> {
    return this.comments.list(id, query, reader);
  }
}

/** `/reports/campaigns/:id/comments`: the same list as a page (admins and analysts). */
@ApiExcludeController()
@Roles('analyst')
@Controller('reports/campaigns')
export class CommentsPageController {
  constructor(private readonly comments: CommentsService) {}

  @Roles('analyst', 'manager')
  @Get(':id/comments')
  async page(
    @Param('id') id: string,
    @Query() query: CommentsPageQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @ReaderScope() reader: ReportScope,
  ) {
    const lang = query.lang ?? replyLanguage(reply);
    const { lang: _lang, ...rest } = query;
    const model = commentsView(await this.comments.list(id, rest, reader), lang);
    return reply.view(
      ...reportPage('comments', { url: request.url, lang, title: model.title }, model),
    );
  }
}
