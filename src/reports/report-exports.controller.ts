import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import { ResponseExportService } from './response-export.service.js';
import { sendCsvDownload } from './csv-download.js';

/**
 * The raw response CSV for the signed-in browser: the session's twin of
 * `GET /api/campaigns/:id/responses.csv` (which takes bearer tokens only). Same service, same
 * rules (internal campaigns admins only, external ones admins and analysts), same release
 * decision, same bytes.
 */
@ApiExcludeController()
@Roles('analyst')
@Controller('reports')
export class ReportExportsController {
  constructor(private readonly exports: ResponseExportService) {}

  @Get('campaigns/:id/responses.csv')
  async responsesCsv(
    @Param('id') id: string,
    @CurrentUser() user: UserEntity,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendCsvDownload(reply, await this.exports.export(id, user.role));
  }
}
