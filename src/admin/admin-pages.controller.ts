import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Public } from '../auth/auth.decorators.js';
import { replyLanguage } from '../auth/page-language.js';
import { userRow } from '../auth/users-pages.view.js';
import { translate } from '../common/messages.js';
import { mapUser } from '../users/users.dto.js';
import { AdminOverviewService } from './admin-overview.service.js';
import type { UserEntity } from '../database/schema/user.entity.js';

@ApiExcludeController()
@Controller()
export class AdminPagesController {
  constructor(private readonly overview: AdminOverviewService) {}

  /** The front door: respondents never land here; staff go to their start page. */
  @Public()
  @Get()
  root(@Res() reply: FastifyReply, @CurrentUser() user?: UserEntity) {
    return reply.redirect(user?.role === 'admin' ? '/admin' : user ? '/reports' : '/login', 303);
  }

  @Get('admin')
  async dashboard(@Res() reply: FastifyReply, @CurrentUser() user: UserEntity) {
    const counts = await this.overview.counts();
    const lang = replyLanguage(reply);
    return reply.view('admin/dashboard', {
      title: translate(lang, 'admin.dashboard.title'),
      nav: true,
      wide: true,
      user: userRow(lang, mapUser(user)),
      counts,
    });
  }
}
