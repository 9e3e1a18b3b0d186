import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { LoginRequired } from '../common/error.filter.js';
import { PUBLIC, ROLES_KEY } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { readSessionCookie } from './session-cookie.js';
import { pageLanguage, returnPath } from './page-language.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import type { Role } from '../domain/roles.js';

/**
 * One guard for everything: bearer tokens under /api, the session cookie for pages.
 * Admins may do everything; other roles only what a route grants with @Roles(...) (deny by default).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const request = ctx.switchToHttp().getRequest<FastifyRequest & { user?: UserEntity }>();
    const isApi = request.url.startsWith('/api/');
    const user = isApi ? await this.fromBearer(request) : await this.fromSession(request);
    if (user) request.user = user;
    if (!isApi) {
      // Pages: the layout shows each role only the navigation it may use, in the user's language.
      const reply = ctx.switchToHttp().getResponse<{ locals?: Record<string, unknown> }>();
      reply.locals = {
        ...(reply.locals ?? {}),
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
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    if (!user) {
      if (isApi) throw new DomainError(ErrorCode.Unauthenticated, 'Authentication required');
      throw new LoginRequired(request.method === 'GET' ? request.url : '/admin');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const allowed = user.role === 'admin' || (roles?.includes(user.role) ?? false);
    if (!allowed) throw new DomainError(ErrorCode.Forbidden, 'Your role may not do this');
    return true;
  }

  private async fromBearer(request: FastifyRequest): Promise<UserEntity | null> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header) : null;
    return match ? this.auth.userForApiToken(match[1]) : null;
  }

  private async fromSession(request: FastifyRequest): Promise<UserEntity | null> {
    const secret = readSessionCookie(this.config, request);
    return secret ? this.auth.userForSession(secret) : null;
  }
}
