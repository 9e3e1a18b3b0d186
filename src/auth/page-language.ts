import type { FastifyRequest } from 'fastify';
import { acceptLanguage } from '../common/error-page.js';
import { isLanguage, type Language } from '../domain/language.js';

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
