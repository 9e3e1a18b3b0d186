import fastifyMultipart from '@fastify/multipart';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service.js';
import { pageLanguage } from '../auth/page-language.js';
import { readSessionCookie } from '../auth/session-cookie.js';
import { hasCode, ErrorCode } from '../common/domain-error.js';
import { translate } from '../common/messages.js';
import { AppConfig } from '../config/app-config.js';
import type { Language } from '../domain/language.js';
import { settingsPage } from './branding.view.js';
import { LOGO_MAX_BYTES } from './logo.rules.js';
import { SettingsService } from './settings.service.js';

export const LOGO_UPLOAD_PATH = '/admin/settings/logo';

/** Multipart limits: one file of at most LOGO_MAX_BYTES and the CSRF field. */
const LIMITS = {
  fileSize: LOGO_MAX_BYTES,
  files: 1,
  fields: 2,
  parts: 3,
  fieldSize: 1024,
  headerPairs: 50,
};

type Page = { lang: Language };

/**
 * POST /admin/settings/logo, the only route that reads multipart/form-data files. It lives in its
 * own Fastify scope with @fastify/multipart registered there alone, so every other route parses
 * bodies exactly as before (multipart still refused with 415, the one-click unsubscribe URL keeps
 * its own parser). Inherited from the root: helmet, cookies, and the CSRF check (a preHandler,
 * run after the multipart fields are attached to the body). Nest's guard does not see this route,
 * so it checks the admin session itself before the body is read.
 */
@Injectable()
export class LogoUploadRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
    private readonly settings: SettingsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.register) return;
    void fastify.register(async (scope) => {
      if (scope.hasContentTypeParser('multipart/form-data'))
        scope.removeContentTypeParser('multipart/form-data');
      await scope.register(fastifyMultipart, {
        attachFieldsToBody: 'keyValues',
        throwFileSizeLimit: true,
        limits: LIMITS,
      });
      scope.addHook('onRequest', (request, reply) => this.admitAdmin(request, reply));
      scope.setErrorHandler((err: FastifyError, request, reply) =>
        this.failed(err, request, reply),
      );
      scope.post(LOGO_UPLOAD_PATH, (request, reply) => this.upload(request, reply));
    });
  }

  /** Signed-in admins only, as the guard would decide; the layout's locals as the guard sets them. */
  private async admitAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const secret = readSessionCookie(this.config, request);
    const user = secret ? await this.auth.userForSession(secret) : null;
    const lang = pageLanguage(request, user);
    const r = reply as FastifyReply & { locals?: Record<string, unknown> };
    r.locals = {
      ...(r.locals ?? {}),
      lang,
      here: '/admin/settings',
      ...(user ? { viewer: { email: user.email, isAdmin: user.role === 'admin' } } : {}),
    };
    (request as FastifyRequest & { page?: Page }).page = { lang };
    if (!user) return reply.redirect(`/login?next=${encodeURIComponent('/admin/settings')}`, 303);
    if (user.role !== 'admin')
      return reply.status(403).send({ statusCode: 403, message: 'Your role may not do this' });
  }

  private async upload(request: FastifyRequest, reply: FastifyReply) {
    const lang = (request as FastifyRequest & { page?: Page }).page?.lang ?? 'en';
    const file = (request.body as Record<string, unknown> | undefined)?.logo;
    try {
      await this.settings.saveLogo(Buffer.isBuffer(file) ? file : null, lang);
    } catch (err) {
      if (!hasCode(err, [ErrorCode.Validation])) throw err;
      return this.render(reply, 400, lang, err.errors?.[0]?.message ?? err.message);
    }
    return reply.redirect('/admin/settings?done=logo', 303);
  }

  /** A file over the limit is a refusal shown on the page; anything else goes to the root handler. */
  private async failed(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const lang = (request as FastifyRequest & { page?: Page }).page?.lang;
    if (err.code === 'FST_REQ_FILE_TOO_LARGE' && lang)
      return this.render(reply, 413, lang, translate(lang, 'settings.errors.logo.tooLarge'));
    throw err;
  }

  private async render(reply: FastifyReply, status: number, lang: Language, message: string) {
    const model = settingsPage(lang, await this.settings.get(), {
      errors: [{ field: 'logo', message }],
    });
    return reply.status(status).view('admin/settings', model);
  }
}
