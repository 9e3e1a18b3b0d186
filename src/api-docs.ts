import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from './auth/auth.service.js';
import { readSessionCookie } from './auth/session-cookie.js';
import type { AppConfig } from './config/app-config.js';

export const DOCS_PATH = '/api/docs';

/** The Swagger UI files the page loads, served from the installed swagger-ui-dist (no CDN). */
const UI_FILES = new Set(['/swagger-ui.css', '/swagger-ui-bundle.js', '/favicon-32x32.png']);

/**
 * The page has no inline script or style, so the app's one strict CSP (script-src and style-src
 * 'self') serves it unchanged; its own script (public/js/api-docs.js) starts Swagger UI.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Specchio API</title>
<link rel="icon" type="image/png" href="${DOCS_PATH}/ui/favicon-32x32.png">
<link rel="stylesheet" href="${DOCS_PATH}/ui/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"></main>
<script src="${DOCS_PATH}/ui/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body>
</html>
`;

/**
 * OpenAPI for signed-in users only (admin or analyst): the page, its assets and the JSON document
 * sit behind the session cookie (or a bearer token for the document). An anonymous page request
 * goes to sign-in and back; anything else answers 401 in the API's JSON error shape.
 */
export async function registerApiDocs(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const auth = app.get(AuthService);

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    if (path !== DOCS_PATH && !path.startsWith(`${DOCS_PATH}/`)) return;
    const header = request.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header) : null;
    const secret = readSessionCookie(config, request);
    const user = bearer
      ? await auth.userForApiToken(bearer[1])
      : secret
        ? await auth.userForSession(secret)
        : null;
    if (user) return;
    void reply.header('Cache-Control', 'no-store');
    if (path === DOCS_PATH || path === `${DOCS_PATH}/`) {
      return reply.redirect(`/login?next=${encodeURIComponent(DOCS_PATH)}`, 303);
    }
    return reply
      .status(401)
      .type('application/json; charset=utf-8')
      .send({ statusCode: 401, message: 'Authentication required' });
  });

  const openApi = new DocumentBuilder()
    .setTitle('Specchio API')
    .setDescription('Internal and external customer-satisfaction surveys and their linkage')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
  fastify.get(DOCS_PATH, (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').send(PAGE),
  );
  const uiRoot = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  await app.register(fastifyStatic as never, {
    root: uiRoot,
    prefix: `${DOCS_PATH}/ui/`,
    decorateReply: false,
    maxAge: '1h',
    allowedPath: (path: string) => UI_FILES.has(path),
  });
}
