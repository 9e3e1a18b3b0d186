import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { ErrorCode, hasCode } from '../common/domain-error.js';
import { strings } from '../common/i18n.js';
import { UnsubscribeFormDto } from './invitations.dto.js';
import { UnsubscribeService } from './unsubscribe.service.js';
import { LANGUAGES, type Language } from '../domain/language.js';

const pageLanguage = (lang: unknown): Language =>
  (LANGUAGES as readonly unknown[]).includes(lang) ? (lang as Language) : 'en';

/**
 * The opt-out pages. The GET only shows a button (mail scanners prefetch links and must not opt
 * anyone out); the POST, a CSRF-protected form, does it and redirects to a token-less page.
 */
@Controller('unsubscribe')
export class UnsubscribePageController {
  constructor(private readonly unsubscribe: UnsubscribeService) {}

  @Public()
  @Get('done')
  done(@Query('lang') lang: string, @Res() reply: FastifyReply) {
    const language = pageLanguage(lang);
    const t = strings(language);
    return reply.view('unsubscribe/done', { title: t.unsubscribedTitle, lang: language, t });
  }

  @Public()
  @Get(':token')
  async page(
    @Param('token') token: string,
    @Query('lang') lang: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    try {
      const state = await this.unsubscribe.state(token, req.ip);
      const t = strings(state.language);
      return reply.view('unsubscribe/confirm', {
        title: t.unsubscribeTitle,
        lang: state.language,
        t,
        token,
        optedOut: state.optedOut,
      });
    } catch (err) {
      return this.notFound(err, lang, reply);
    }
  }

  @Public()
  @Post(':token')
  async optOut(
    @Param('token') token: string,
    @Body() _form: UnsubscribeFormDto,
    @Query('lang') lang: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    try {
      const state = await this.unsubscribe.optOut(token, req.ip);
      return reply.redirect(`/unsubscribe/done?lang=${state.language}`, 303);
    } catch (err) {
      return this.notFound(err, lang, reply);
    }
  }

  private notFound(err: unknown, lang: unknown, reply: FastifyReply) {
    if (!hasCode(err, [ErrorCode.LinkNotFound])) throw err;
    const language = pageLanguage(lang);
    const t = strings(language);
    return reply
      .status(404)
      .view('unsubscribe/not-found', { title: t.notFoundTitle, lang: language, t });
  }
}

/** RFC 8058 one-click opt-out, posted by mail clients to the List-Unsubscribe URL; any body. */
@ApiTags('unsubscribe')
@Controller('api/unsubscribe')
export class UnsubscribeApiController {
  constructor(private readonly unsubscribe: UnsubscribeService) {}

  @Public()
  @Post(':token')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "One-click opt-out (RFC 8058) with the mail's unsubscribe token (a survey token gives 404); the body is ignored",
  })
  @ApiOkResponse({ schema: { example: { unsubscribed: true } } })
  async oneClick(@Param('token') token: string, @Req() req: FastifyRequest) {
    await this.unsubscribe.oneClick(token, req.ip);
    return { unsubscribed: true };
  }
}
