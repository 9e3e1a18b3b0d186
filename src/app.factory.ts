import 'reflect-metadata';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { type DynamicModule, type LogLevel, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import handlebars from 'handlebars';
import { AppModule } from './app.module.js';
import { registerApiDocs } from './api-docs.js';
import type { AppConfig } from './config/app-config.js';
import { ErrorFilter } from './common/error.filter.js';
import { strictValidationPipe } from './common/validation.js';
import { trustProxyOption } from './common/trust-proxy.js';
import { registerViewHelpers } from './common/view-helpers.js';
import { AuthService } from './auth/auth.service.js';
import { readSessionCookie, sessionCookieName, secureCookies } from './auth/session-cookie.js';
import { newToken } from './common/crypto.js';
import { Db } from './database/db.js';

export const ROOT = join(
  import.meta.dirname,
  import.meta.dirname.includes('/dist/') ? '../..' : '..',
);

export const JSON_LIMIT = 64 * 1024;
export const CSV_LIMIT = 5 * 1024 * 1024;

const LOG_LEVELS: Record<string, LogLevel[]> = {
  silent: [],
  error: ['error', 'fatal'],
  warn: ['error', 'fatal', 'warn'],
  log: ['error', 'fatal', 'warn', 'log'],
  debug: ['error', 'fatal', 'warn', 'log', 'debug'],
  verbose: ['error', 'fatal', 'warn', 'log', 'debug', 'verbose'],
};

/** Builds the whole application; main.ts, the CLI's server and the tests share it. */
/** How the Nest application is made from the root module; tests pass one that overrides providers. */
export type AppInstantiator = (
  module: DynamicModule,
  adapter: FastifyAdapter,
  options: NestApplicationOptions,
) => Promise<NestFastifyApplication>;

const nestFactory: AppInstantiator = (module, adapter, options) =>
  NestFactory.create<NestFastifyApplication>(module, adapter, options);

export async function createApp(
  config: AppConfig,
  instantiate: AppInstantiator = nestFactory,
): Promise<NestFastifyApplication> {
  const trustProxy = trustProxyOption(config.env.TRUST_PROXY);
  const adapter = new FastifyAdapter({
    bodyLimit: JSON_LIMIT,
    trustProxy,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  });
  const app = await instantiate(AppModule.forRoot(config), adapter, {
    logger: LOG_LEVELS[config.env.LOG_LEVEL],
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();

  // A route may raise its own body limit with @RouteConfig({ bodyLimit }) (e.g. bulk invitations).
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as { bodyLimit?: number } | undefined)?.bodyLimit;
    if (typeof limit === 'number') route.bodyLimit = limit;
  });

  // CSV uploads: read as text, with their own (larger) limit.
  fastify.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'string', bodyLimit: CSV_LIMIT },
    (
      _req: FastifyRequest,
      body: string | Buffer,
      done: (err: Error | null, body?: unknown) => void,
    ) => done(null, body),
  );

  await app.register(fastifyHelmet as never, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: secureCookies(config) ? [] : null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: secureCookies(config) ? { maxAge: 31_536_000 } : false,
  });
  await app.register(fastifyCookie as never, {});
  await app.register(fastifyCsrf as never, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: secureCookies(config) ? '__Host-specchio_csrf' : 'specchio_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookies(config) },
    // Bind the token to the session, so a token from another session is refused.
    csrfOpts: { userInfo: true, hmacKey: await app.get(Db).secret('csrf_hmac_key', newToken) },
    getUserInfo: (req: FastifyRequest) => csrfUserInfo(req),
  });
  function csrfUserInfo(req: FastifyRequest): string {
    return (
      (req.cookies as Record<string, string | undefined>)[sessionCookieName(config)] || 'anonymous'
    );
  }
  registerViewHelpers(handlebars);
  await app.register(fastifyView as never, {
    engine: { handlebars },
    root: join(ROOT, 'views'),
    layout: 'layouts/main',
    viewExt: 'hbs',
    includeViewExtension: true,
    options: { partials: { head: 'partials/head.hbs' } },
  });
  await app.register(fastifyStatic as never, {
    root: join(ROOT, 'public'),
    prefix: '/static/',
    maxAge: '1h',
  });

  // Pages: a CSRF token for every render; state-changing form posts must carry a valid one,
  // bound to the session (an anonymous visitor gets the fixed user info "anonymous").
  const csrf = fastify as unknown as {
    csrfProtection(req: FastifyRequest, rep: FastifyReply, next: () => void): void;
  };
  fastify.addHook(
    'preHandler',
    (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const url = request.url;
      if (url.startsWith('/api/') || url.startsWith('/static/') || url === '/health') return done();
      const r = reply as FastifyReply & {
        generateCsrf(opts: { userInfo: string }): string;
        locals?: Record<string, unknown>;
      };
      const withToken = () => {
        const userInfo = csrfUserInfo(request);
        r.locals = { ...(r.locals ?? {}), csrfToken: r.generateCsrf({ userInfo }) };
        done();
      };
      if (request.method === 'GET' || request.method === 'HEAD') return withToken();
      csrf.csrfProtection(request, reply, withToken);
    },
  );
  // Once the server closes (SIGTERM), a response that finishes a request in flight also closes its
  // keep-alive connection; else the idle connection would hold the exit until its keep-alive timeout.
  let closing = false;
  fastify.addHook('preClose', (done: () => void) => {
    closing = true;
    done();
  });
  fastify.addHook(
    'onSend',
    async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (!reply.getHeader('cache-control')) reply.header('Cache-Control', 'no-store');
      if (closing) reply.header('Connection', 'close');
      return payload;
    },
  );

  app.useGlobalPipes(strictValidationPipe());
  // Error pages show a signed-in user their navigation, also on routes no guard has seen.
  const auth = app.get(AuthService);
  app.useGlobalFilters(
    new ErrorFilter(async (request) => {
      const secret = readSessionCookie(config, request);
      const user = secret ? await auth.userForSession(secret) : null;
      return user ? { email: user.email, isAdmin: user.role === 'admin' } : null;
    }),
  );
  // SIGTERM/SIGINT: new requests get 503 (then the listener closes), requests in flight finish,
  // the workers stop, the database closes (on SQLite this checkpoints the WAL), and the process
  // exits with 0 (by default Nest re-raises the signal, which ends the process as killed by it).
  app.enableShutdownHooks([], { useProcessExit: true });

  await registerApiDocs(app, config);
  return app;
}
