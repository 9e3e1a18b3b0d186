import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Public } from '../auth/auth.decorators.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { mapUser } from '../users/users.dto.js';
import { UsersService } from '../users/users.service.js';
import { AdminOverviewRepository } from './admin-overview.repository.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import { ROLES } from '../domain/roles.js';

@ApiExcludeController()
@Controller()
export class AdminPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly overview: AdminOverviewRepository,
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
    const users = (await this.users.list()).map(mapUser);
    return reply.view('admin/users', {
      title: 'Users',
      nav: true,
      wide: true,
      users,
      roles: ROLES,
      created,
    });
  }

  @Post('admin/users')
  async createUser(@Body() body: Record<string, unknown>, @Res() reply: FastifyReply) {
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const role = ROLES.find((r) => r === body.role) ?? 'analyst';
    try {
      await this.users.create(email, password, role);
      return reply.redirect(
        `/admin/users?created=${encodeURIComponent(email.trim().toLowerCase())}`,
        303,
      );
    } catch (err) {
      if (
        !(err instanceof DomainError) ||
        (err.code !== ErrorCode.Validation && err.code !== ErrorCode.Conflict)
      )
        throw err;
      const users = (await this.users.list()).map(mapUser);
      return reply.status(err.code === ErrorCode.Conflict ? 409 : 400).view('admin/users', {
        title: 'Users',
        nav: true,
        wide: true,
        users,
        roles: ROLES,
        form: { email, role },
        errors: err.errors ?? [{ field: 'email', message: err.message }],
      });
    }
  }
}
