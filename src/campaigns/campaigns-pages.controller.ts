import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode, invalid } from '../common/domain-error.js';
import { CsrfFormDto } from '../common/form.dto.js';
import { formPost } from '../common/form-post.js';
import { CampaignDefinitionService } from './campaign-definition.service.js';
import { campaignFormValues, emptyCampaignForm, parseCampaignForm } from './campaign-form.js';
import { CampaignLifecycleService, LIFECYCLE_REFUSALS } from './campaign-lifecycle.service.js';
import { campaignDetail, campaignForm, campaignRows } from './campaigns-pages.view.js';
import { CampaignFormDto } from './campaigns.dto.js';
import { CampaignsService } from './campaigns.service.js';

/** Admin pages for campaigns (session login, admins only). Every post ends in a 303 or a re-render. */
@ApiExcludeController()
@Controller('admin/campaigns')
export class CampaignPagesController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly definitions: CampaignDefinitionService,
    private readonly lifecycle: CampaignLifecycleService,
  ) {}

  @Get()
  async index(@Res() reply: FastifyReply) {
    const campaigns = campaignRows(await this.campaigns.list());
    return reply.view('admin/campaigns', { title: 'Campaigns', nav: true, wide: true, campaigns });
  }

  @Get('new')
  newForm(@Res() reply: FastifyReply) {
    return reply.view('admin/campaigns-new', campaignForm(emptyCampaignForm()));
  }

  @Post()
  async create(@Body() form: CampaignFormDto, @Res() reply: FastifyReply) {
    return formPost(
      async () => {
        const parsed = parseCampaignForm(form);
        if (!parsed.definition)
          throw invalid('The campaign definition is not valid', parsed.errors);
        const campaign = await this.definitions.create(parsed.definition);
        return reply.redirect(`/admin/campaigns/${campaign.id}?done=created`, 303);
      },
      [ErrorCode.Validation],
      (err, status) =>
        reply
          .status(status)
          .view('admin/campaigns-new', campaignForm(campaignFormValues(form), err.errors ?? [])),
    );
  }

  @Get(':id')
  async detail(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ) {
    const view = await this.detailView(id, query.done);
    return reply.view('admin/campaigns-detail', {
      ...view,
      invitationOutcome: invitationOutcome(query),
    });
  }

  @Post(':id/launch')
  launch(@Param('id') id: string, @Body() _form: CsrfFormDto, @Res() reply: FastifyReply) {
    return this.transition(id, 'launched', () => this.lifecycle.launch(id), reply);
  }

  @Post(':id/close')
  close(@Param('id') id: string, @Body() _form: CsrfFormDto, @Res() reply: FastifyReply) {
    return this.transition(id, 'closed', () => this.lifecycle.close(id), reply);
  }

  /** A refused move (409) re-renders the detail page with the reason. */
  private transition(id: string, done: string, move: () => Promise<unknown>, reply: FastifyReply) {
    return formPost(
      async () => {
        await move();
        return reply.redirect(`/admin/campaigns/${id}?done=${done}`, 303);
      },
      LIFECYCLE_REFUSALS,
      async (err, status) =>
        reply
          .status(status)
          .view('admin/campaigns-detail', await this.detailView(id, undefined, err.message)),
    );
  }

  private async detailView(id: string, done?: unknown, error?: string) {
    const campaign = await this.campaigns.get(id);
    return campaignDetail(campaign, await this.campaigns.counts(id), done, error);
  }
}

/** What the invitation buttons (owned by the invitations module) reported back in the query. */
function invitationOutcome(query: Record<string, unknown>) {
  const text = (v: unknown) => (typeof v === 'string' && v.length <= 500 ? v : undefined);
  const outcome = {
    invited: text(query.invited),
    skipped: text(query.skipped),
    reminded: text(query.reminded),
    error: text(query.inviteError),
  };
  return Object.values(outcome).some((v) => v !== undefined) ? outcome : undefined;
}
