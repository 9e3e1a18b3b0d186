import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { PUBLIC, ROLES_KEY } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { admit, authenticate, setPageLocals } from './route-auth.js';
import type { Role } from '../domain/roles.js';

/**
 * One guard for everything: bearer tokens on API routes, the session cookie for pages, chosen from
 * the matched route (src/auth/route-auth.ts), never from the raw URL. Admins may do everything;
 * other roles only what a route grants with @Roles(...) (deny by default). The same decision is
 * taken before the body is read by the `onRequest` hook of route-auth.ts; this guard repeats it
 * (with the user that hook found) for any route the hook did not see.
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
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    const user = await authenticate(request, this.auth, this.config);
    setPageLocals(request, ctx.switchToHttp().getResponse(), user);
    admit(request, user, {
      public: this.reflector.getAllAndOverride<boolean>(PUBLIC, targets) === true,
      roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [],
    });
    return true;
  }
}
