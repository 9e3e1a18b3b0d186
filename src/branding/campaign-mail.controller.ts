import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { MailTextsDto, UpdateMailTextsDto } from './branding.dto.js';
import { CampaignMailService } from './campaign-mail.service.js';

/** GET/PUT /api/campaigns/:id/mail-texts (admins). */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/campaigns')
export class CampaignMailController {
  constructor(private readonly mail: CampaignMailService) {}

  @Get(':id/mail-texts')
  @ApiOperation({
    summary: "A campaign's invitation and reminder texts per language",
    description:
      "One entry per language of the campaign and kind (invitation, reminder): the campaign's own " +
      'text (custom: true) or the built-in one, with the placeholders a body and a subject may use.',
  })
  @ApiOkResponse({ type: MailTextsDto })
  @ApiNotFoundResponse({ description: 'No such campaign' })
  get(@Param('id') id: string): Promise<MailTextsDto> {
    return this.mail.texts(id);
  }

  @Put(':id/mail-texts')
  @ApiOperation({
    summary: "Change some of a campaign's mail texts (drafts and open campaigns)",
    description:
      'Each item sets one language and kind: subject and plain-text body, or reset: true for the ' +
      'built-in text; the others stay. Body placeholders: {greeting} {name} {campaign} {link} ' +
      '{closes} {organisation}, and {link} is required; the subject may use {campaign} ' +
      '{organisation} {name}. Any other {…} is refused. All items apply or none. Mails queued ' +
      'from then on (invitations, reminders of an open campaign) use the new texts.',
  })
  @ApiOkResponse({ type: MailTextsDto })
  @ApiBadRequestResponse({
    description: 'Unknown placeholder, no {link}, empty or too long, not a campaign language',
  })
  @ApiConflictResponse({ description: 'The campaign is closed' })
  @ApiNotFoundResponse({ description: 'No such campaign' })
  put(@Param('id') id: string, @Body() body: UpdateMailTextsDto): Promise<MailTextsDto> {
    return this.mail.save(id, body.texts, 'en');
  }
}
