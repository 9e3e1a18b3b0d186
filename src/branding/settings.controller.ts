import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { notFound } from '../common/domain-error.js';
import { SettingsDto, UpdateSettingsDto } from './branding.dto.js';
import { SettingsService } from './settings.service.js';

/** GET/PUT /api/settings (admins) and the public logo at /brand/logo. */
@ApiTags('settings')
@ApiBearerAuth()
@Controller()
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get('api/settings')
  @ApiOperation({ summary: "The organisation's name, sender name and logo (admins)" })
  @ApiOkResponse({ type: SettingsDto })
  get(): Promise<SettingsDto> {
    return this.settings.get();
  }

  @Put('api/settings')
  @ApiOperation({
    summary: 'Set the organisation name and the sender name (admins)',
    description:
      'Both names at once: an empty or missing one is cleared. The organisation name (at most 120 ' +
      'characters) is shown on respondent pages and signs the mails; the sender name (at most 80) ' +
      "is the From display name of survey mails, whose address stays MAIL_FROM's. The logo is " +
      'uploaded on /admin/settings.',
  })
  @ApiOkResponse({ type: SettingsDto })
  @ApiBadRequestResponse({ description: 'A name too long or not on one line' })
  put(@Body() body: UpdateSettingsDto): Promise<SettingsDto> {
    return this.settings.saveNames(body, 'en');
  }

  /**
   * The logo for respondent pages and mails: public, its type from the upload's magic bytes,
   * nosniff, an ETag; long-cached under the current ?v= (the URL changes with a new logo).
   */
  @Public()
  @Get('brand/logo')
  @ApiExcludeEndpoint()
  async logo(
    @Res() reply: FastifyReply,
    @Query('v') version?: string,
    @Headers('if-none-match') ifNoneMatch?: string,
  ) {
    const logo = await this.settings.logo();
    if (!logo) throw notFound('Logo');
    const etag = `"${Buffer.from(logo.updatedAt).toString('base64url')}"`;
    reply
      .header('Content-Type', logo.type)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Disposition', 'inline')
      .header('ETag', etag)
      .header(
        'Cache-Control',
        version === logo.updatedAt ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    if (ifNoneMatch === etag) return reply.status(304).send();
    return reply.send(logo.bytes);
  }
}
