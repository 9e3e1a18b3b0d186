import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/domain-error.js';
import { InvitationsService } from './invitations.service.js';
import { RemindersService } from './reminders.service.js';

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
  ) {}

  @Post('invitations')
  async invite(
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ) {
    const unitCodes =
      typeof body.unitCodes === 'string'
        ? body.unitCodes
            .split(/[\s,;]+/)
            .map((c) => c.trim())
            .filter(Boolean)
        : [];
    const selection = body.scope === 'units' ? { unitCodes } : { all: true };
    try {
      if (body.scope === 'units' && unitCodes.length === 0) {
        return back(reply, id, { inviteError: 'Name at least one unit code.' });
      }
      const result = await this.invitations.invite(id, selection);
      const reasons = new Map<string, number>();
      for (const s of result.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
      const skipped = [...reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
      return back(reply, id, { invited: String(result.created), ...(skipped ? { skipped } : {}) });
    } catch (err) {
      if (err instanceof DomainError && err.code !== 'NOT_FOUND')
        return back(reply, id, { inviteError: err.message });
      throw err;
    }
  }

  @Post('reminders')
  async remind(@Param('id') id: string, @Res() reply: FastifyReply) {
    try {
      const { queued } = await this.reminders.queue(id);
      return back(reply, id, { reminded: String(queued) });
    } catch (err) {
      if (err instanceof DomainError && err.code !== 'NOT_FOUND')
        return back(reply, id, { inviteError: err.message });
      throw err;
    }
  }
}

function back(reply: FastifyReply, id: string, params: Record<string, string>) {
  return reply.redirect(`/admin/campaigns/${id}?${new URLSearchParams(params).toString()}`, 303);
}
