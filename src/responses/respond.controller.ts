import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import {
  formViewModel,
  requestLanguage,
  type StatusPage,
  statusViewModel,
} from './respond.view.js';
import { SubmitAnswersDto } from './responses.dto.js';
import { LinkRefused, ResponsesService, SubmissionRejected } from './responses.service.js';
import type { Language } from '../domain/language.js';

const PAGE_OF: Partial<Record<ErrorCode, [StatusPage, number]>> = {
  [ErrorCode.NotFound]: ['notFound', 404],
  [ErrorCode.Conflict]: ['answered', 409],
  [ErrorCode.Gone]: ['closed', 410],
  [ErrorCode.RateLimited]: ['tooMany', 429],
};

/** The respondent's pages: no account, no JavaScript, the token in the path is the credential. */
@Controller('s')
export class RespondPagesController {
  constructor(private readonly responses: ResponsesService) {}

  @Public()
  @Get('thanks')
  thanks(@Query('lang') lang: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return reply.view(
      'respond/status',
      statusViewModel('thanks', requestLanguage(lang, req.headers['accept-language'])),
    );
  }

  @Public()
  @Get(':token')
  async form(
    @Param('token') token: string,
    @Query('lang') lang: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const fallback = requestLanguage(lang, req.headers['accept-language']);
    try {
      const state = await this.responses.resolve(token, req.ip, lang);
      if (state.kind === 'answered') return this.status(reply, 'answered', 409, state.language);
      if (state.kind === 'closed') return this.status(reply, 'closed', 410, state.language);
      await this.responses.markOpened(state.link);
      return reply.view('respond/form', formViewModel(state.link, state.language, token));
    } catch (err) {
      return this.failure(reply, err, fallback);
    }
  }

  @Public()
  @Post(':token')
  async submit(
    @Param('token') token: string,
    @Query('lang') lang: string,
    @Body() body: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const fallback = requestLanguage(lang, req.headers['accept-language']);
    const answers: Record<string, unknown> = { ...(body ?? {}) };
    delete answers._csrf;
    try {
      const { language } = await this.responses.submit(token, answers, 'form', req.ip, lang);
      return reply.redirect(`/s/thanks?lang=${language}`, 303);
    } catch (err) {
      if (err instanceof SubmissionRejected) {
        return reply
          .status(400)
          .view(
            'respond/form',
            formViewModel(err.link, err.language, token, answers, err.fieldErrors),
          );
      }
      return this.failure(reply, err, fallback);
    }
  }

  private failure(reply: FastifyReply, err: unknown, language: Language) {
    if (!(err instanceof DomainError)) throw err;
    const page = PAGE_OF[err.code];
    if (!page) throw err;
    if (err.retryAfter) void reply.header('Retry-After', String(err.retryAfter));
    return this.status(
      reply,
      page[0],
      page[1],
      err instanceof LinkRefused ? err.language : language,
    );
  }

  private status(reply: FastifyReply, page: StatusPage, code: number, language: Language) {
    return reply.status(code).view('respond/status', statusViewModel(page, language));
  }
}

@ApiTags('answering')
@Controller('api/s')
export class RespondApiController {
  constructor(private readonly responses: ResponsesService) {}

  @Public()
  @Post(':token')
  @HttpCode(201)
  async submit(
    @Param('token') token: string,
    @Body() body: SubmitAnswersDto,
    @Req() req: FastifyRequest,
  ) {
    await this.responses.submit(token, body.answers, 'json', req.ip);
    return { received: true };
  }
}
