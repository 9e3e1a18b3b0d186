import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { ErrorCode } from '../common/domain-error.js';
import { CsrfFormDto } from '../common/form.dto.js';
import { formPost } from '../common/form-post.js';
import { UsersService } from '../users/users.service.js';
import { CurrentUser, Public } from './auth.decorators.js';
import { LoginFormDto, SetupFormDto, TokenRequestDto, safeNext } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.js';
import { loginView, setupView } from './auth-pages.view.js';
import { replyLanguage } from './page-language.js';
import { pageErrors } from './users-pages.view.js';
import { translate } from '../common/messages.js';
import { isLanguage } from '../domain/language.js';
import type { UserEntity } from '../database/schema/user.entity.js';

/** The sign-in form's sentence for each refusal, in the page's language. */
const LOGIN_ERROR_KEYS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.InvalidCredentials]: 'auth.login.invalid',
  [ErrorCode.LoginThrottled]: 'auth.login.throttled',
  [ErrorCode.Unavailable]: 'auth.login.unavailable',
};

/** Refusals the sign-in form shows itself. */
// A database outage keeps the form too (under its 503), so the address typed is not lost.
const LOGIN_REFUSALS = [
  ErrorCode.InvalidCredentials,
  ErrorCode.LoginThrottled,
  ErrorCode.Unavailable,
];

@ApiTags('auth')
@Controller('api/auth')
export class ApiAuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('token')
  async token(@Body() body: TokenRequestDto, @Req() req: FastifyRequest) {
    const user = await this.auth.verifyCredentials(body.email, body.password, req.ip);
    const { secret, expiresAt } = await this.auth.issueApiToken(user);
    return { accessToken: secret, expiresAt, role: user.role };
  }
}

/** The sign-in pages. Every form carries a CSRF token; every post ends in a redirect or a re-render. */
@Controller()
export class PageAuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('login')
  async loginPage(
    @Query('next') next: string,
    @Query('lang') chosen: string,
    @Res() reply: FastifyReply,
    @CurrentUser() user?: UserEntity,
  ) {
    if (user) return reply.redirect(safeNext(next), 303);
    if (await this.users.needsSetup())
      return reply.redirect(isLanguage(chosen) ? `/setup?lang=${chosen}` : '/setup', 303);
    return reply.view('auth/login', loginView(replyLanguage(reply), next, chosen));
  }

  @Public()
  @Post('login')
  async login(
    @Body() body: LoginFormDto,
    @Query('next') next: string,
    @Query('lang') chosen: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const email = body.email ?? '';
    return formPost(
      async () => {
        const user = await this.auth.verifyCredentials(email, body.password ?? '', req.ip);
        const old = readSessionCookie(this.config, req);
        if (old) await this.auth.endSession(old);
        const { secret } = await this.auth.startSession(user);
        // A language chosen on the sign-in page is remembered if the user has none yet.
        if (user.language === null && isLanguage(chosen))
          await this.users.setLanguage(user, chosen);
        setSessionCookie(this.config, reply, secret);
        // A unit manager has no admin page: their start page is the reports.
        const target = safeNext(next);
        const start = user.role === 'manager' && target === '/admin' ? '/reports' : target;
        return reply.redirect(start, 303);
      },
      LOGIN_REFUSALS,
      (err, status) => {
        if (err.retryAfter) void reply.header('Retry-After', String(err.retryAfter));
        const lang = replyLanguage(reply);
        return reply.status(status).view('auth/login', {
          ...loginView(lang, next, chosen),
          email,
          error: translate(lang, LOGIN_ERROR_KEYS[err.code] ?? 'auth.login.invalid'),
        });
      },
    );
  }

  @Public()
  @Get('logout')
  logoutPage(@Res() reply: FastifyReply) {
    return reply.view('auth/logout', {
      title: translate(replyLanguage(reply), 'auth.logout.title'),
    });
  }

  @Public()
  @Post('logout')
  async logout(@Body() _form: CsrfFormDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const secret = readSessionCookie(this.config, req);
    if (secret) await this.auth.endSession(secret);
    clearSessionCookie(this.config, reply);
    return reply.redirect('/login', 303);
  }

  @Public()
  @Get('setup')
  async setupPage(@Query('lang') chosen: string, @Res() reply: FastifyReply) {
    await this.users.assertSetupOpen();
    return reply.view('auth/setup', setupView(replyLanguage(reply), chosen));
  }

  @Public()
  @Post('setup')
  @HttpCode(303)
  async setup(
    @Body() body: SetupFormDto,
    @Query('lang') chosen: string,
    @Res() reply: FastifyReply,
  ) {
    const email = body.email ?? '';
    return formPost(
      async () => {
        const user = await this.users.setUpFirstAdmin(email, body.password ?? '');
        if (isLanguage(chosen)) await this.users.setLanguage(user, chosen);
        const { secret } = await this.auth.startSession(user);
        setSessionCookie(this.config, reply, secret);
        return reply.redirect('/admin', 303);
      },
      [ErrorCode.Validation],
      (err, status) => {
        const lang = replyLanguage(reply);
        return reply.status(status).view('auth/setup', {
          ...setupView(lang, chosen),
          email,
          errors: pageErrors(lang, err.errors ?? []),
        });
      },
    );
  }
}
