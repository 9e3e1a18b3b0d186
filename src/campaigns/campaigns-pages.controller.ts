import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { replyLanguage } from '../auth/page-language.js';
import { ErrorCode } from '../common/domain-error.js';
import { CsrfFormDto } from '../common/form.dto.js';
import { formErrors, formPost } from '../common/form-post.js';
import {
  applyStep,
  builderStateFromForm,
  builderStateOf,
  doneOf,
  newBuilderState,
  nextWave,
  parseStep,
  type BuilderState,
} from './campaign-builder.js';
import { CampaignBuilderService } from './campaign-builder.service.js';
import { builderView } from './campaign-builder.view.js';
import { CampaignDefinitionService, renamedForWave } from './campaign-definition.service.js';
import { CampaignLifecycleService, LIFECYCLE_REFUSALS } from './campaign-lifecycle.service.js';
import { previewView } from './campaign-preview.view.js';
import {
  campaignDetail,
  campaignRows,
  confirmView,
  copyView,
  isConfirmAction,
  listNotice,
} from './campaigns-pages.view.js';
import { BuilderFormDto, CopyFormDto } from './campaigns.dto.js';
import { CampaignsService } from './campaigns.service.js';

/** Admin pages for campaigns (session login, admins only). Every post ends in a 303 or a re-render. */
@ApiExcludeController()
@Controller('admin/campaigns')
export class CampaignPagesController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly definitions: CampaignDefinitionService,
    private readonly lifecycle: CampaignLifecycleService,
    private readonly builder: CampaignBuilderService,
  ) {}

  @Get()
  async index(@Query('done') done: unknown, @Res() reply: FastifyReply) {
    const campaigns = campaignRows(await this.campaigns.list());
    return reply.view('admin/campaigns', {
      title: 'Campaigns',
      nav: true,
      wide: true,
      campaigns,
      notice: listNotice(done),
    });
  }

  @Get('new')
  async newForm(@Query('audience') audience: unknown, @Res() reply: FastifyReply) {
    const units = await this.builder.units();
    return reply.view(
      'admin/campaign-builder',
      builderView({ state: newBuilderState(audience), units, lang: replyLanguage(reply) }),
    );
  }

  /** The builder's first step: creates the draft. */
  @Post()
  create(@Body() form: BuilderFormDto, @Res() reply: FastifyReply) {
    return this.builderStep(undefined, form, reply);
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

  @Get(':id/edit')
  async edit(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ) {
    const campaign = await this.campaigns.get(id);
    if (campaign.status !== 'draft')
      return reply.redirect(`/admin/campaigns/${id}?done=frozen`, 303);
    return reply.view(
      'admin/campaign-builder',
      builderView({
        campaignId: id,
        state: builderStateOf(campaign),
        units: await this.builder.units(),
        lang: replyLanguage(reply),
        // The step's notice shows next to question `at`, where #q<at> opens the page.
        done: query.done,
        at: query.at,
      }),
    );
  }

  @Post(':id/edit')
  async saveEdit(
    @Param('id') id: string,
    @Body() form: BuilderFormDto,
    @Res() reply: FastifyReply,
  ) {
    await this.campaigns.get(id);
    return this.builderStep(id, form, reply);
  }

  /** One builder step: applied to what was typed, then saved (PRG) or re-rendered with the errors. */
  private async builderStep(id: string | undefined, form: BuilderFormDto, reply: FastifyReply) {
    const step = parseStep(form.op);
    const { state, focus } = applyStep(builderStateFromForm(form), step);
    return formPost(
      async () => {
        const saved = await this.builder.save(id, state);
        const done = doneOf(step, !id);
        const at = focus === undefined || focus < 0 ? '' : `&at=${focus}#q${focus}`;
        const target =
          step.kind === 'save'
            ? `/admin/campaigns/${saved.id}?done=${done}`
            : `/admin/campaigns/${saved.id}/edit?done=${done}${at}`;
        return reply.redirect(target, 303);
      },
      [ErrorCode.Validation, ErrorCode.CampaignFrozen],
      async (err, status) => this.rerender(reply, status, id, state, formErrors(err, 'questions')),
    );
  }

  private async rerender(
    reply: FastifyReply,
    status: number,
    id: string | undefined,
    state: BuilderState,
    errors: Array<{ field: string; message: string }>,
  ) {
    const units = await this.builder.units();
    return reply
      .status(status)
      .view(
        'admin/campaign-builder',
        builderView({ campaignId: id, state, units, errors, lang: replyLanguage(reply) }),
      );
  }

  /** What Launch, Close, Remind and Delete will do, asked once before they do it. */
  @Get(':id/confirm/:action')
  async confirm(
    @Param('id') id: string,
    @Param('action') action: string,
    @Res() reply: FastifyReply,
  ) {
    const campaign = await this.campaigns.get(id);
    if (!isConfirmAction(action)) return reply.redirect(`/admin/campaigns/${id}`, 303);
    const [mailing, wait] = await Promise.all([
      this.builder.mailing(id),
      action === 'remind' ? this.campaigns.reminderWait(id) : null,
    ]);
    const remind = { intervalHours: this.campaigns.remindIntervalHours, refusal: wait?.message };
    return reply.view('admin/campaign-confirm', confirmView(campaign, action, mailing, remind));
  }

  @Post(':id/launch')
  launch(@Param('id') id: string, @Body() _form: CsrfFormDto, @Res() reply: FastifyReply) {
    return this.transition(id, 'launched', () => this.lifecycle.launch(id), reply);
  }

  @Post(':id/close')
  close(@Param('id') id: string, @Body() _form: CsrfFormDto, @Res() reply: FastifyReply) {
    return this.transition(id, 'closed', () => this.lifecycle.close(id), reply);
  }

  @Post(':id/delete')
  remove(@Param('id') id: string, @Body() _form: CsrfFormDto, @Res() reply: FastifyReply) {
    return formPost(
      async () => {
        await this.definitions.remove(id);
        return reply.redirect('/admin/campaigns?done=deleted', 303);
      },
      [ErrorCode.CampaignNotDraft, ErrorCode.CampaignHasResponses],
      async (err, status) =>
        reply
          .status(status)
          .view('admin/campaigns-detail', await this.detailView(id, undefined, err.message)),
    );
  }

  @Get(':id/copy')
  async copyForm(@Param('id') id: string, @Res() reply: FastifyReply) {
    const c = await this.campaigns.get(id);
    const wave = nextWave(c.wave);
    return reply.view(
      'admin/campaign-copy',
      copyView(c, { wave, name: renamedForWave(c.name, c.wave, wave) }),
    );
  }

  @Post(':id/copy')
  async copy(@Param('id') id: string, @Body() form: CopyFormDto, @Res() reply: FastifyReply) {
    const c = await this.campaigns.get(id);
    const values = { wave: (form.wave ?? '').trim(), name: (form.name ?? '').trim() };
    return formPost(
      async () => {
        const copy = await this.builder.copy(id, values);
        return reply.redirect(`/admin/campaigns/${copy.id}?done=copied`, 303);
      },
      [ErrorCode.Validation],
      (err, status) =>
        reply
          .status(status)
          .view('admin/campaign-copy', copyView(c, values, formErrors(err, 'wave'))),
    );
  }

  /** The respondent's form as they will see it, per language, optionally at phone width. */
  @Get(':id/preview')
  async preview(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ) {
    const campaign = await this.campaigns.get(id);
    return reply.view('respond/form', previewView(campaign, query));
  }

  /** A preview cannot submit: its form comes back here and nothing is stored. */
  @Post(':id/preview')
  async previewSubmit(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ) {
    const campaign = await this.campaigns.get(id);
    const params = new URLSearchParams({
      lang: typeof query.lang === 'string' ? query.lang : campaign.languages[0],
      ...(query.width === 'phone' ? { width: 'phone' } : {}),
      tried: '1',
    });
    return reply.redirect(`/admin/campaigns/${id}/preview?${params.toString()}`, 303);
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
