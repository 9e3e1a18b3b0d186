import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators.js';
import { replyLanguage } from '../auth/page-language.js';
import { progressPage } from './progress.view.js';
import { ProgressService } from './progress.service.js';

/** The live progress page of a campaign (admins and analysts, like the report). */
@ApiExcludeController()
@Roles('analyst')
@Controller('admin/campaigns')
export class ProgressPagesController {
  constructor(private readonly progress: ProgressService) {}

  @Get(':id/progress')
  async page(@Param('id') id: string, @Res() reply: FastifyReply) {
    const lang = replyLanguage(reply);
    const model = progressPage(await this.progress.progress(id), lang);
    return reply.view('admin/campaign-progress', model);
  }
}
