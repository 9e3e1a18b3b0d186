import 'reflect-metadata';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { type DynamicModule, type LogLevel, type NestApplicationOptions } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Gauge } from 'prom-client';
import handlebars from 'handlebars';
import { AppModule } from './app.module.js';
import { registerApiDocs } from './api-docs.js';
import type { AppConfig } from './config/app-config.js';
import { parseFormBody } from './common/form-body.js';
import { ErrorFilter } from './common/error.filter.js';
import { strictValidationPipe } from './common/validation.js';
import { trustProxyOption } from './common/trust-proxy.js';
import { registerViewHelpers } from './common/view-helpers.js';
import { AuthService } from './auth/auth.service.js';
import { readSessionCookie, sessionCookieName, secureCookies } from './auth/session-cookie.js';
import { isApiRoute, registerRouteAccess, stampRouteAccess } from './auth/route-auth.js';
import { newToken } from './common/crypto.js';
import { Metrics, routeLabel } from './common/metrics.js';
import { requestLogger } from './common/request-log.js';
import { Db } from './database/db.js';
import { MetricsRepository } from './health/metrics.repository.js';

export const ROOT = join(
  import.meta.dirname,
  import.meta.dirname.includes('/dist/') ? '../..' : '..',
);

export const JSON_LIMIT = 64 * 1024;
/** text/csv bodies, read only on routes that consume text/csv (the import routes, route-auth.ts). */
export const CSV_LIMIT = 5 * 1024 * 1024;

/** Options of createApp besides the configuration (tests capture the request log). */
export interface AppOptions {
  logStream?: NodeJS.WritableStream;
}

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
  options: AppOptions = {},
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
    logger: requestLogger(config.env.LOG_LEVEL, options.logStream),
    genReqId: () => randomUUID(),
  });
  const app = await instantiate(AppModule.forRoot(config), adapter, {
    logger: LOG_LEVELS[config.env.LOG_LEVEL],
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Every route's access rule into its route config, read before the body (src/auth/route-auth.ts).
  stampRouteAccess(app.get(ModulesContainer));

  // A route may raise its own body limit with @RouteConfig({ bodyLimit }) (e.g. bulk invitations).
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as { bodyLimit?: number } | undefined)?.bodyLimit;
    if (typeof limit === 'number') route.bodyLimit = limit;
  });

  // Forms: Nest's parser for small ones, in slices for a large pasted CSV (src/common/form-body.ts).
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    { bodyLimit: JSON_LIMIT },
    (_req: FastifyRequest, body: Buffer) => parseFormBody(body),
  );

  // CSV uploads: read as text, with their own (larger) limit; other routes refuse text/csv unread.
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
  // Authentication and authorisation before body parsing (needs the cookies parsed above).
  const auth = app.get(AuthService);
  registerRouteAccess(fastify, auth, config, (request, reply) => {
    // A refused page is rendered without the preHandlers: its forms (sign out, language) need
    // their CSRF token all the same.
    if (isApiRoute(request)) return;
    const r = reply as FastifyReply & {
      generateCsrf(opts: { userInfo: string }): string;
      locals?: Record<string, unknown>;
    };
    r.locals = {
      ...(r.locals ?? {}),
      csrfToken: r.generateCsrf({ userInfo: csrfUserInfo(request) }),
    };
  });
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
      // API routes by the matched route (a route's declared path); unknown URLs by their prefix.
      const unmatchedApi = !request.routeOptions?.url && url.startsWith('/api/');
      if (
        isApiRoute(request) ||
        unmatchedApi ||
        url.startsWith('/static/') ||
        url === '/health' ||
        request.routeOptions?.url === '/metrics'
      )
        return done();
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
  const metrics = app.get(Metrics);
  app.useGlobalFilters(
    new ErrorFilter(
      async (request) => {
        const secret = readSessionCookie(config, request);
        const user = secret ? await auth.userForSession(secret) : null;
        return user ? { email: user.email, isAdmin: user.role === 'admin' } : null;
      },
      () => metrics.databaseErrors.inc(),
    ),
  );
  registerMetrics(app, config, metrics);
  // SIGTERM/SIGINT: new requests get 503 (then the listener closes), requests in flight finish,
  // the workers stop, the database closes (on SQLite this checkpoints the WAL), and the process
  // exits with 0 (by default Nest re-raises the signal, which ends the process as killed by it).
  app.enableShutdownHooks([], { useProcessExit: true });

  await registerApiDocs(app, config);
  return app;
}

/**
 * Request counts and latencies for every response; GET /metrics (Prometheus text format) only
 * when METRICS_TOKEN is set, for a scraper that sends it as a bearer token (404 otherwise).
 */
function registerMetrics(app: NestFastifyApplication, config: AppConfig, metrics: Metrics): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = routeLabel(request.routeOptions?.url);
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  const token = config.env.METRICS_TOKEN;
  if (!token) return;
  metrics.withProcessMetrics();
  const outbox = app.get(MetricsRepository);
  new Gauge({
    name: 'specchio_outbox_messages',
    help: 'Outbox e-mails by status (queued: waiting to be sent; sent; failed: given up), all instances',
    labelNames: ['status'] as const,
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const s of ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const)
        this.set({ status: s }, 0);
      for (const row of await outbox.outboxByStatus()) this.set({ status: row.status }, row.n);
    },
  });
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = digest(`Bearer ${token}`);
  fastify.get('/metrics', async (request, reply) => {
    const given = request.headers.authorization;
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      return reply
        .status(401)
        .header('WWW-Authenticate', 'Bearer')
        .header('Cache-Control', 'no-store')
        .send({ statusCode: 401, message: 'Authentication required' });
    }
    const text = await metrics.registry.metrics();
    return reply
      .header('Content-Type', metrics.registry.contentType)
      .header('Cache-Control', 'no-store')
      .send(text);
  });
}
