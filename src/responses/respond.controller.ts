import {
  Body,
  Controller,
  Get,
  HttpCode,
  Optional,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { DomainError, ErrorCode, STATUS_OF } from '../common/domain-error.js';
import { Metrics } from '../common/metrics.js';
import {
  formViewModel,
  requestLanguage,
  type StatusPage,
  statusViewModel,
} from './respond.view.js';
import { SubmitAnswersDto } from './responses.dto.js';
import { refusalError, ResponsesService } from './responses.service.js';
import type { Language } from '../domain/language.js';

/** Each status page is answered with the status of the code it stands for. */
const STATUS_OF_PAGE: Record<Exclude<StatusPage, 'thanks'>, number> = {
  answered: STATUS_OF[ErrorCode.LinkAlreadyUsed],
  closed: STATUS_OF[ErrorCode.SurveyClosed],
  notFound: STATUS_OF[ErrorCode.LinkNotFound],
  tooMany: STATUS_OF[ErrorCode.TooManyInvalidLinks],
};

/** The token errors the respondent sees as a page of their own. */
const PAGE_OF: Partial<Record<ErrorCode, Exclude<StatusPage, 'thanks'>>> = {
  [ErrorCode.LinkNotFound]: 'notFound',
  [ErrorCode.TooManyInvalidLinks]: 'tooMany',
};

/** The respondent's pages: no account, no JavaScript, the token in the path is the credential. */
@Controller('s')
export class RespondPagesController {
  constructor(
    private readonly responses: ResponsesService,
    @Optional() private readonly metrics?: Metrics,
  ) {}

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
      if (state.kind !== 'open') return this.status(reply, state.kind, state.language);
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
      const outcome = await this.responses.submit(token, answers, 'form', req.ip, lang);
      switch (outcome.kind) {
        case 'submitted':
          return reply.redirect(`/s/thanks?lang=${outcome.language}`, 303);
        case 'invalid':
          return reply
            .status(400)
            .view(
              'respond/form',
              formViewModel(outcome.link, outcome.language, token, answers, outcome.errors),
            );
        case 'unavailable':
          // Nothing stored, nothing claimed: the form again, the answers kept, to send later. The
          // page answers this 503 itself, so the error filter does not count it: count it here.
          this.metrics?.databaseErrors.inc();
          if (outcome.error.retryAfter) {
            void reply.header('Retry-After', String(outcome.error.retryAfter));
          }
          return reply
            .status(STATUS_OF[outcome.error.code])
            .view(
              'respond/form',
              formViewModel(outcome.link, outcome.language, token, answers, [], true),
            );
        default:
          return this.status(reply, outcome.kind, outcome.language);
      }
    } catch (err) {
      return this.failure(reply, err, fallback);
    }
  }

  private failure(reply: FastifyReply, err: unknown, language: Language) {
    const page = err instanceof DomainError ? PAGE_OF[err.code] : undefined;
    if (!page) throw err;
    const { retryAfter } = err as DomainError;
    if (retryAfter) void reply.header('Retry-After', String(retryAfter));
    return this.status(reply, page, language);
  }

  private status(reply: FastifyReply, page: Exclude<StatusPage, 'thanks'>, language: Language) {
    return reply
      .status(STATUS_OF_PAGE[page])
      .view('respond/status', statusViewModel(page, language));
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
    const outcome = await this.responses.submit(token, body.answers, 'json', req.ip);
    if (outcome.kind !== 'submitted') throw refusalError(outcome);
    return { received: true };
  }
}
