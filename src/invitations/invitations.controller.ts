import { Body, Controller, Param, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateInvitationsDto, InvitationResultView, SendRemindersDto } from './invitations.dto.js';
import { InvitationsService } from './invitations.service.js';
import { RemindersService } from './reminders.service.js';

/** 10,000 contact ids are ~400 KB of JSON, above the global 64 KB limit (see the lead's note). */
export const INVITATIONS_BODY_LIMIT = 512 * 1024;

@ApiTags('invitations')
@ApiBearerAuth()
@Controller('api/campaigns/:id')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly reminders: RemindersService,
  ) {}

  @Post('invitations')
  @RouteConfig({ bodyLimit: INVITATIONS_BODY_LIMIT })
  @ApiOperation({
    summary: 'Invite contacts (union of contactIds, unitCodes with their subtrees, all)',
    description:
      'Skip reasons: unknown contact, wrong audience, erased, opted out, already invited, ' +
      '"fatigue: invited to another campaign within N days" (FATIGUE_DAYS). 404 unknown campaign, ' +
      '409 closed campaign. An open campaign also queues one e-mail per invitation.',
  })
  @ApiCreatedResponse({ type: InvitationResultView })
  invite(
    @Param('id') id: string,
    @Body() body: CreateInvitationsDto,
  ): Promise<InvitationResultView> {
    return this.invitations.invite(id, body);
  }

  @Post('reminders')
  @ApiOperation({
    summary: 'Queue a reminder (with a fresh link) to every invitee who has not answered',
    description:
      'Skips answered and bounced invitations and opted-out or erased contacts; ' +
      'minHoursSinceLastMail (default 0) skips invitees mailed more recently; on an anonymous ' +
      'campaign it holds the whole round back while anyone was mailed more recently (a window ' +
      'over chosen invitees would tell whether they answered), and the round replaces every ' +
      'invitation mail still waiting. 409 unless open.',
  })
  remind(@Param('id') id: string, @Body() body: SendRemindersDto): Promise<{ queued: number }> {
    return this.reminders.queue(id, body.minHoursSinceLastMail ?? 0);
  }
}
