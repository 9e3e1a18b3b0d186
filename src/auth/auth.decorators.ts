import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { UserEntity } from '../database/schema/user.entity.js';
import type { Role } from '../domain/roles.js';

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
