import type { FastifyRequest } from 'fastify';
import { acceptLanguage } from '../common/error-page.js';
import { isLanguage, type Language } from '../domain/language.js';
import { localPath } from './auth.dto.js';

/**
 * The interface language of a page: `?lang=` for this page, else the language the signed-in
 * user chose (remembered in `users.language`), else the browser's Accept-Language, else English.
 */
export function pageLanguage(
  request: FastifyRequest,
  user: { language?: string | null } | null,
): Language {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLanguage(query)) return query;
  if (isLanguage(user?.language)) return user.language;
  return acceptLanguage(request.headers['accept-language']);
}

/** The language the guard chose for this page (`reply.locals.lang`), else English. */
export function replyLanguage(reply: unknown): Language {
  const lang = (reply as { locals?: Record<string, unknown> } | undefined)?.locals?.lang;
  return isLanguage(lang) ? lang : 'en';
}

/**
 * Where the language picker may send the browser back to: a local path (never "//host",
 * "/\\host" or a scheme: no open redirect), without its `?lang=` so the remembered choice
 * shows; anything else is the start page "/".
 */
export function returnPath(back: unknown): string {
  const local = localPath(back, '/');
  const url = new URL(local, 'http://local');
  url.searchParams.delete('lang');
  return localPath(url.pathname + url.search, '/');
}
