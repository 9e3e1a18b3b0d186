import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { type ModulesContainer, Reflector } from '@nestjs/core';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { LoginRequired } from '../common/error.filter.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import type { Role } from '../domain/roles.js';
import { PUBLIC, ROLES_KEY } from './auth.decorators.js';
import type { AuthService } from './auth.service.js';
import { pageLanguage, returnPath } from './page-language.js';
import { readSessionCookie } from './session-cookie.js';

/**
 * Authentication before the body is read (issue 10). Nest guards run after Fastify has parsed the
 * body, so every Nest route carries its access rule in its Fastify route config (stamped from the
 * @Public/@Roles metadata before the routes are registered), and an `onRequest` hook authenticates
 * and authorises from it: an unauthenticated or unauthorised request is refused before a byte of
 * its body is parsed. The global AuthGuard keeps the same decision (and reuses the hook's user).
 *
 * Bearer or cookie is chosen from the route the router matched (its declared path starts with
 * /api/), never from the raw URL: `/%61pi/campaigns` is the route `/api/campaigns` and wants a
 * bearer token like it.
 */

/** The key of a route's access rule in its Fastify route config. */
export const ROUTE_ACCESS = 'specchioAccess';

export interface RouteAccess {
  public: boolean;
  /** Roles besides admin the route grants (deny by default). */
  roles: Role[];
  /** The route reads text/csv bodies (its OpenAPI metadata says it consumes text/csv). */
  csv: boolean;
}

type AuthRequest = FastifyRequest & { user?: UserEntity; authenticated?: boolean };
type PageReply = FastifyReply & { locals?: Record<string, unknown> };

/** @nestjs/swagger's @ApiConsumes metadata key. */
const API_CONSUMES = 'swagger/apiConsumes';
const CSV_TYPES = ['text/csv', 'application/csv'];

/** Stamps every controller route's access rule into its route config; call before app.init(). */
export function stampRouteAccess(modules: ModulesContainer): void {
  const reflector = new Reflector();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...a: never[]) => unknown) | null;
      if (!controller?.prototype) continue;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
        if (typeof handler !== 'function' || name === 'constructor') continue;
        if (
          Reflect.getMetadata(PATH_METADATA, handler) === undefined ||
          Reflect.getMetadata(METHOD_METADATA, handler) === undefined
        )
          continue;
        const targets = [handler, controller];
        const consumes = (Reflect.getMetadata(API_CONSUMES, handler) as string[] | undefined) ?? [];
        const access: RouteAccess = {
          public: reflector.getAllAndOverride<boolean>(PUBLIC, targets) === true,
          roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [],
          csv: consumes.some((type) => CSV_TYPES.includes(type)),
        };
        const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ??
          {}) as Record<string, unknown>;
        Reflect.defineMetadata(
          FASTIFY_ROUTE_CONFIG_METADATA,
          { ...config, [ROUTE_ACCESS]: access },
          handler,
        );
      }
    }
  }
}

/** The access rule of the matched route; undefined for routes that are not Nest routes (static, 404). */
export function routeAccess(request: FastifyRequest): RouteAccess | undefined {
  const config = request.routeOptions?.config as unknown as Record<string, unknown> | undefined;
  return config?.[ROUTE_ACCESS] as RouteAccess | undefined;
}

/** An API route: its declared path (route metadata, not the raw URL) is under /api/. */
export function isApiRoute(request: FastifyRequest): boolean {
  const url = request.routeOptions?.url;
  return typeof url === 'string' && (url === '/api' || url.startsWith('/api/'));
}

/** The user behind the request: a bearer token on API routes, the session cookie on pages. */
export async function authenticate(
  request: FastifyRequest,
  auth: AuthService,
  config: AppConfig,
): Promise<UserEntity | null> {
  const r = request as AuthRequest;
  if (r.authenticated) return r.user ?? null;
  let user: UserEntity | null;
  if (isApiRoute(request)) {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header) : null;
    user = match ? await auth.userForApiToken(match[1]) : null;
  } else {
    const secret = readSessionCookie(config, request);
    user = secret ? await auth.userForSession(secret) : null;
  }
  r.authenticated = true;
  if (user) r.user = user;
  return user;
}

/** Pages: the layout shows each role only the navigation it may use, in the user's language. */
export function setPageLocals(request: FastifyRequest, reply: unknown, user: UserEntity | null) {
  if (isApiRoute(request)) return;
  const r = reply as PageReply;
  r.locals = {
    ...(r.locals ?? {}),
    lang: pageLanguage(request, user),
    // The language picker returns here: this page without its `?lang=`.
    here: returnPath(request.url),
    ...(user
      ? {
          viewer: {
            email: user.email,
            isAdmin: user.role === 'admin',
            // Unit managers: no link to a page they may not open (live progress).
            isManager: user.role === 'manager',
          },
        }
      : {}),
  };
}

/** Throws the refusal for a request the rule does not admit (401/login page, 403). */
export function admit(
  request: FastifyRequest,
  user: UserEntity | null,
  access: { public: boolean; roles: readonly Role[] },
): void {
  if (access.public) return;
  if (!user) {
    if (isApiRoute(request))
      throw new DomainError(ErrorCode.Unauthenticated, 'Authentication required');
    throw new LoginRequired(request.method === 'GET' ? request.url : '/admin');
  }
  if (user.role !== 'admin' && !access.roles.includes(user.role))
    throw new DomainError(ErrorCode.Forbidden, 'Your role may not do this');
}

const mediaType = (request: FastifyRequest): string =>
  String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();

/**
 * The root `onRequest` hook: authenticates and authorises every Nest route before its body is
 * read, and refuses a CSV body on a route that does not take one (415, unread), so the large CSV
 * limit only ever applies to the import routes.
 */
export function registerRouteAccess(
  fastify: FastifyInstance,
  auth: AuthService,
  config: AppConfig,
  beforeRefusal: (request: FastifyRequest, reply: FastifyReply) => void = () => {},
): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const access = routeAccess(request);
    if (!access) {
      // No route rule (an unknown URL, a static file, the logo upload): none takes CSV, so a CSV
      // body is refused before the CSV parser's large limit could read it.
      if (CSV_TYPES.includes(mediaType(request)))
        throw new DomainError(ErrorCode.UnsupportedMediaType, 'Unsupported media type');
      return;
    }
    const user = await authenticate(request, auth, config);
    setPageLocals(request, reply, user);
    try {
      admit(request, user, access);
      if (!access.csv && CSV_TYPES.includes(mediaType(request)))
        throw new DomainError(ErrorCode.UnsupportedMediaType, 'Unsupported media type');
    } catch (refusal) {
      beforeRefusal(request, reply);
      throw refusal;
    }
  });
}
