import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Public } from '../auth/auth.decorators.js';
import { ErrorCode, type FieldError } from '../common/domain-error.js';
import { formErrors, formPost } from '../common/form-post.js';
import { CreateUserFormDto, formRole, mapUser } from '../users/users.dto.js';
import { UsersService } from '../users/users.service.js';
import { AdminOverviewService } from './admin-overview.service.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import { ROLES, type Role } from '../domain/roles.js';

/** Refusals the "add a user" form shows next to its fields. */
const USER_FORM_ERRORS = [ErrorCode.Validation, ErrorCode.UserEmailTaken];

@ApiExcludeController()
@Controller()
export class AdminPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly overview: AdminOverviewService,
  ) {}

  /** The front door: respondents never land here; staff go to their start page. */
  @Public()
  @Get()
  root(@Res() reply: FastifyReply, @CurrentUser() user?: UserEntity) {
    return reply.redirect(user?.role === 'admin' ? '/admin' : user ? '/reports' : '/login', 303);
  }

  @Get('admin')
  async dashboard(@Res() reply: FastifyReply, @CurrentUser() user: UserEntity) {
    const counts = await this.overview.counts();
    return reply.view('admin/dashboard', {
      title: 'Overview',
      nav: true,
      wide: true,
      user: mapUser(user),
      counts,
    });
  }

  @Get('admin/users')
  async usersPage(@Res() reply: FastifyReply, @Query('created') created?: string) {
    return this.renderUsers(reply, 200, { created });
  }

  @Post('admin/users')
  async createUser(@Body() body: CreateUserFormDto, @Res() reply: FastifyReply) {
    const email = body.email ?? '';
    const role = formRole(body.role);
    return formPost(
      async () => {
        await this.users.create(email, body.password ?? '', role);
        return reply.redirect(
          `/admin/users?created=${encodeURIComponent(email.trim().toLowerCase())}`,
          303,
        );
      },
      USER_FORM_ERRORS,
      (err, status) =>
        this.renderUsers(reply, status, {
          form: { email, role },
          errors: formErrors(err, 'email'),
        }),
    );
  }

  private async renderUsers(
    reply: FastifyReply,
    status: number,
    state: { created?: string; form?: { email: string; role: Role }; errors?: FieldError[] },
  ) {
    const users = (await this.users.list()).map(mapUser);
    return reply.status(status).view('admin/users', {
      title: 'Users',
      nav: true,
      wide: true,
      users,
      roles: ROLES,
      ...state,
    });
  }
}
