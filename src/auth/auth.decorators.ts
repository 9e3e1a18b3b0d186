import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { UserEntity } from '../database/schema/user.entity.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { reportScopeOf, type ReportScope, type Role } from '../domain/roles.js';

export const PUBLIC = 'specchio:public';
export const ROLES_KEY = 'specchio:roles';

/** No login needed (respondent pages, health, login itself). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Roles besides admin that may call; without it, admins only. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): UserEntity | undefined =>
    ctx.switchToHttp().getRequest<{ user?: UserEntity }>().user,
);

/**
 * The signed-in reader's report scope (admins, analysts: every unit; managers: their scope unit's
 * subtree). A manager without a scope unit reads nothing: FORBIDDEN.
 */
export const ReaderScope = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ReportScope => {
    const user = ctx.switchToHttp().getRequest<{ user?: UserEntity }>().user;
    const scope = user ? reportScopeOf(user) : null;
    if (!scope) throw new DomainError(ErrorCode.Forbidden, 'Your account has no scope unit');
    return scope;
  },
);
