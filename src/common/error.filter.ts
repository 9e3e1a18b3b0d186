import { withoutAddresses } from './log-text.js';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toUnavailable } from './driver-errors.js';
import { errorLanguage, errorPage, type ErrorViewerLookup, wantsJson } from './error-page.js';
import { DomainError, type FieldError, STATUS_OF } from './domain-error.js';

/** Thrown by HTML guards: send the browser to the login page and back afterwards. */
export class LoginRequired extends Error {
  constructor(readonly next: string) {
    super('login required');
  }
}

interface ErrorBody {
  statusCode: number;
  message: string;
  errors?: FieldError[];
}

const GENERIC: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/**
 * The one place errors become responses: JSON under /api, a friendly page elsewhere.
 * No stack, SQL or file path ever reaches a client; unexpected errors are logged here.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /**
   * `viewerOf` finds the signed-in user when no guard ran (unknown routes), for the navigation;
   * `onDatabaseError` counts the requests the database failed (503 Unavailable), for /metrics.
   */
  constructor(
    private readonly viewerOf?: ErrorViewerLookup,
    private readonly onDatabaseError?: () => void,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void | Promise<void> {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    if (reply.sent) return;

    if (exception instanceof LoginRequired) {
      void reply.redirect(`/login?next=${encodeURIComponent(exception.next)}`, 303);
      return;
    }
    const { body, retryAfter } = this.describe(exception);
    if (body.statusCode === 503) this.onDatabaseError?.();
    if (retryAfter) void reply.header('Retry-After', String(retryAfter));
    void reply.header('Cache-Control', 'no-store');
    if (!request.headers || wantsJson(request)) {
      void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
      return;
    }
    return this.page(request, reply, body);
  }

  /** The friendly page in the layout, in the user's language, with a way back. */
  private async page(request: FastifyRequest, reply: FastifyReply, body: ErrorBody) {
    const locals = (reply as FastifyReply & { locals?: Record<string, unknown> }).locals ?? {};
    let viewer = (locals.viewer as { email: string; isAdmin: boolean } | undefined) ?? null;
    if (!viewer && this.viewerOf) viewer = await this.viewerOf(request).catch(() => null);
    const model = errorPage({
      statusCode: body.statusCode,
      message: body.message,
      url: request.url ?? '',
      lang: errorLanguage(request, locals.lang),
      viewer,
    });
    if (reply.sent) return;
    void reply.status(body.statusCode).view('errors/error', { ...model, errors: body.errors });
  }

  private describe(exception: unknown): { body: ErrorBody; retryAfter?: number } {
    if (exception instanceof DomainError) {
      // The code's status from the one table; the body never names the code.
      const statusCode = STATUS_OF[exception.code];
      return {
        body: { statusCode, message: exception.message, errors: exception.errors },
        retryAfter: exception.retryAfter,
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse() as
        string | { message?: string | string[]; errors?: FieldError[] };
      if (typeof response === 'object' && response.errors) {
        return {
          body: {
            statusCode,
            message: String(response.message ?? GENERIC[statusCode]),
            errors: response.errors,
          },
        };
      }
      const raw = typeof response === 'string' ? response : response.message;
      const message = Array.isArray(raw) ? raw.join('; ') : (raw ?? GENERIC[statusCode] ?? 'Error');
      return { body: { statusCode, message: statusCode >= 500 ? GENERIC[500] : message } };
    }
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyError?.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      const statusCode = fastifyError.statusCode;
      const message =
        fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Unsupported media type'
          : statusCode === 400
            ? 'Malformed request body'
            : (GENERIC[statusCode] ?? 'Bad request');
      return { body: { statusCode, message } };
    }
    const unavailable = toUnavailable(exception);
    if (unavailable) {
      this.logger.warn(
        `database unavailable: ${withoutAddresses(String((exception as Error)?.message ?? exception))}`,
      );
      return {
        body: { statusCode: 503, message: unavailable.message },
        retryAfter: unavailable.retryAfter,
      };
    }
    this.logger.error(
      withoutAddresses(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      ),
    );
    return { body: { statusCode: 500, message: GENERIC[500] } };
  }
}
