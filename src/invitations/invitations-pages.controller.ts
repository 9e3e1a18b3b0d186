import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode, type DomainError } from '../common/domain-error.js';
import { formPost } from '../common/form-post.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { InviteFormDto, inviteOutcome, inviteSelection, RemindFormDto } from './invitations.dto.js';
import { InvitationsService } from './invitations.service.js';
import { RemindersService } from './reminders.service.js';

/**
 * Refusals that come back to the campaign page as its message (an unknown campaign is a 404).
 * A busy database too: the admin never lands on a bare error page from these buttons.
 */
const INVITE_REFUSALS = [
  ErrorCode.Validation,
  ErrorCode.CampaignClosed,
  ErrorCode.InvitationsContended,
  ErrorCode.Unavailable,
];
const REMIND_REFUSALS = [ErrorCode.CampaignNotOpen, ErrorCode.Unavailable];

/**
 * The invitation buttons of the campaign page (/admin/campaigns/:id). Each post ends in a redirect
 * back to that page with what happened; refusals (closed campaign, unknown unit) come back the same
 * way, so the admin never lands on a bare error page.
 */
@ApiExcludeController()
@Controller('admin/campaigns/:id')
export class InvitationPagesController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly reminders: RemindersService,
    private readonly campaigns: CampaignsService,
  ) {}

  @Post('invitations')
  async invite(@Param('id') id: string, @Body() body: InviteFormDto, @Res() reply: FastifyReply) {
    const selection = inviteSelection(body);
    if (!selection) return back(reply, id, { inviteError: 'noUnits' });
    return formPost(
      async () => {
        const result = await this.invitations.invite(id, selection);
        return back(reply, id, inviteOutcome(result));
      },
      INVITE_REFUSALS,
      (err) => back(reply, id, refusal(err)),
    );
  }

  @Post('reminders')
  async remind(@Param('id') id: string, @Body() _form: RemindFormDto, @Res() reply: FastifyReply) {
    // The button refuses a second round within REMIND_INTERVAL_HOURS (a double click sent two).
    // The page says when the last round went and when the next may.
    const wait = await this.campaigns.reminderWait(id);
    if (wait)
      return back(reply, id, {
        inviteError: 'remindWait',
        last: wait.lastReminderAt,
        next: wait.nextAt,
        hours: String(wait.intervalHours),
      });
    return formPost(
      async () => {
        const { queued } = await this.reminders.queue(id);
        return back(reply, id, { reminded: String(queued) });
      },
      REMIND_REFUSALS,
      (err) => back(reply, id, refusal(err)),
    );
  }
}

/**
 * A refusal as the campaign page reads it back (campaigns-pages.view.ts puts it in words, in the
 * page's language): the error code, and for unknown unit codes the codes themselves.
 */
function refusal(err: DomainError): Record<string, string> {
  if (err.code === ErrorCode.Validation) {
    const units = (err.errors ?? [])
      .filter((e) => e.field === 'unitCodes')
      .map((e) => e.message.replace(/^unknown unit code: /, ''));
    if (units.length) return { inviteError: 'unknownUnits', units: units.join(', ') };
  }
  return { inviteError: err.code };
}

function back(reply: FastifyReply, id: string, params: Record<string, string>) {
  return reply.redirect(`/admin/campaigns/${id}?${new URLSearchParams(params).toString()}`, 303);
}
