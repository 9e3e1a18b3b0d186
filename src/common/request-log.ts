import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

/** Fastify's (pino) request-log level for each LOG_LEVEL: request lines are `info`. */
const REQUEST_LOG_LEVELS: Record<string, string> = {
  silent: 'silent',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** A token-like path segment (survey, unsubscribe links) or an address: masked in logs. */
const SECRET_SEGMENT = /^[A-Za-z0-9_~.%-]{20,}$|@|%40/;

/**
 * The path a request log shows: the matched route's pattern (`/s/:token`), else the raw path with
 * token-like segments and addresses masked; never the query string (it may carry an address).
 */
export function loggedPath(request: FastifyRequest): string {
  const pattern = request.routeOptions?.url;
  if (pattern) return pattern;
  const path = (request.url ?? '').split('?')[0];
  return path
    .split('/')
    .map((segment) => (SECRET_SEGMENT.test(segment) ? ':redacted' : segment))
    .join('/');
}

/**
 * Structured request logs (pino, JSON lines on stdout): `reqId`, method, route, status and
 * `responseTime` (ms). Never the URL's token or query, cookies, headers, bodies or addresses.
 */
export function requestLogger(
  logLevel: string,
  stream: NodeJS.WritableStream | undefined,
): FastifyServerOptions['logger'] {
  const level = REQUEST_LOG_LEVELS[logLevel] ?? 'info';
  if (level === 'silent') return false;
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, path: loggedPath(request) }),
      res: (reply: FastifyReply) => ({
        statusCode: reply.statusCode,
        method: reply.request.method,
        path: loggedPath(reply.request),
      }),
      // An error's class and message only: no stack with file paths, no request data.
      err: (err: Error) => ({ type: err.name, message: err.message }),
    },
  } as unknown as FastifyServerOptions['logger'];
}
