import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The route that takes one-click bodies (the matched route, never the raw URL: issue 10). */
const ONE_CLICK_ROUTE = '/api/unsubscribe/:token';
const ONE_CLICK_BODY_LIMIT = 16 * 1024;

const httpError = (statusCode: number, message: string, code: string) =>
  Object.assign(new Error(message), { statusCode, code });

/**
 * RFC 8058 one-click requests may be multipart/form-data, which the app does not otherwise parse.
 * This parser accepts it for the one-click URL only (the body is read, bounded, and discarded);
 * every other route keeps answering 415 as before.
 */
@Injectable()
export class OneClickBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addContentTypeParser || fastify.hasContentTypeParser('multipart/form-data'))
      return;
    fastify.addContentTypeParser(
      'multipart/form-data',
      (
        req: FastifyRequest,
        payload: NodeJS.ReadableStream,
        done: (err: Error | null, body?: unknown) => void,
      ) => {
        if (req.routeOptions.url !== ONE_CLICK_ROUTE) {
          done(httpError(415, 'Unsupported media type', 'FST_ERR_CTP_INVALID_MEDIA_TYPE'));
          return;
        }
        let size = 0;
        let finished = false;
        const finish = (err: Error | null) => {
          if (finished) return;
          finished = true;
          done(err, err ? undefined : {});
        };
        payload.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > ONE_CLICK_BODY_LIMIT)
            finish(httpError(413, 'Payload too large', 'FST_ERR_CTP_BODY_TOO_LARGE'));
        });
        payload.on('end', () => finish(null));
        payload.on('error', (err: Error) => finish(err));
      },
    );
  }
}
