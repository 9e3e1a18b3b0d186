import type { FastifyRequest } from 'fastify';
import { isLanguage, type Language } from '../domain/language.js';
import { strings } from './i18n.js';

/** Who is looking at an error page: the layout shows a signed-in user their navigation. */
export interface ErrorViewer {
  email: string;
  isAdmin: boolean;
}

/** Resolves the signed-in user of a request the guard has not seen (e.g. an unknown route). */
export type ErrorViewerLookup = (request: FastifyRequest) => Promise<ErrorViewer | null>;

/**
 * The language of an error page: `?lang=`, then the language the page or session chose (a
 * `lang` the handler or guard left in the reply's locals), then the first supported language
 * of `Accept-Language`, else English.
 */
export function errorLanguage(request: FastifyRequest, chosen?: unknown): Language {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLanguage(query)) return query;
  if (isLanguage(chosen)) return chosen;
  return acceptLanguage(request.headers?.['accept-language']);
}

/** The first supported language in an Accept-Language header, by quality; English otherwise. */
export function acceptLanguage(header: string | string[] | undefined): Language {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranked = text
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((e) => e.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((e) => e.lang).find(isLanguage) ?? 'en';
}

/** A JSON client: the API, /health, or a request that asks for JSON rather than a page. */
export function wantsJson(request: FastifyRequest): boolean {
  // The matched route's declared path, not the raw URL (`/%61pi/x` is the route `/api/x`).
  const route = request.routeOptions?.url;
  if (typeof route === 'string' && route.startsWith('/api/')) return true;
  const url = request.url ?? '';
  if (url.startsWith('/api/') || url === '/api' || url.startsWith('/api?') || url === '/health')
    return true;
  const accept = String(request.headers?.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * The guard's English messages, which the page's heading and body already say in its language
 * (a 403's "Your role does not give access to this page."): not repeated as a detail.
 */
const SAID_BY_THE_PAGE: ReadonlySet<string> = new Set([
  'Your role may not do this',
  'Authentication required',
]);

/** Respondent pages (survey links, unsubscribe) never show staff navigation. */
const RESPONDENT = /^\/(s|unsubscribe)\//;

/** Nest's own message for an unknown route ("Cannot GET /x") is not for people. */
const ROUTE_MESSAGE = /^Cannot [A-Z]+ /;

export interface ErrorPage {
  title: string;
  statusCode: number;
  lang: Language;
  heading: string;
  body: string | null;
  detail: string | null;
  code: string;
  nav: boolean;
  viewer?: ErrorViewer;
  links: { href: string; label: string }[];
}

/** The view model of views/errors/error.hbs: localized heading and text, and a way back. */
export function errorPage(opts: {
  statusCode: number;
  message: string;
  url: string;
  lang: Language;
  viewer: ErrorViewer | null;
}): ErrorPage {
  const t = strings(opts.lang) as Record<string, string>;
  const { statusCode } = opts;
  const heading = t[`errorTitle${statusCode}`] ?? t.errorTitleOther;
  const body = t[`errorBody${statusCode}`] ?? null;
  // A specific message (a domain error, a validation summary) is worth showing; generic ones not.
  const generic =
    ROUTE_MESSAGE.test(opts.message) || statusCode >= 500 || /^not found$/i.test(opts.message);
  const detail = generic || SAID_BY_THE_PAGE.has(opts.message) ? null : opts.message;
  const staff = opts.viewer && !RESPONDENT.test(opts.url) ? opts.viewer : null;
  const links = staff
    ? [
        staff.isAdmin
          ? { href: '/admin', label: t.errorHomeAdmin }
          : { href: '/reports', label: t.errorHomeReports },
      ]
    : RESPONDENT.test(opts.url)
      ? []
      : [{ href: '/login', label: t.errorSignIn }];
  return {
    title: heading,
    statusCode,
    lang: opts.lang,
    heading,
    body,
    detail,
    code: t.errorCode.replace('{status}', String(statusCode)),
    nav: Boolean(staff),
    ...(staff ? { viewer: staff } : {}),
    links,
  };
}
