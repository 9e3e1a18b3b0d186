import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { replyLanguage } from '../auth/page-language.js';
import { ErrorCode, invalid, type DomainError, type FieldError } from '../common/domain-error.js';
import type { Language } from '../domain/language.js';
import { CsrfFormDto } from '../common/form.dto.js';
import { translate } from '../common/messages.js';
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
import type { ScheduleChange } from './campaign-schedule.js';
import {
  campaignDetail,
  campaignRows,
  confirmView,
  copyView,
  invitationOutcome,
  isConfirmAction,
  listNotice,
  refusalText,
  type DetailExtras,
  type ScheduleFormValues,
} from './campaigns-pages.view.js';
import {
  BuilderFormDto,
  CopyFormDto,
  DigestFormDto,
  LaunchFormDto,
  ScheduleFormDto,
} from './campaigns.dto.js';
import { CampaignDigestService } from './campaign-digest.service.js';
import { digestSection } from './campaign-digest.view.js';
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
    private readonly digest: CampaignDigestService,
  ) {}

  @Get()
  async index(@Query('done') done: unknown, @Res() reply: FastifyReply) {
    const lang = replyLanguage(reply);
    const campaigns = campaignRows(await this.campaigns.list(), lang);
    return reply.view('admin/campaigns', {
      title: translate(lang, 'campaigns.title'),
      nav: true,
      wide: true,
      campaigns,
      notice: listNotice(done, lang),
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
    const lang = replyLanguage(reply);
    return reply.view(
      'admin/campaigns-detail',
      await this.detailView(id, lang, {
        done: query.done,
        outcome: invitationOutcome(query, lang),
      }),
    );
  }

  /** The digest section of the campaign page (issue 9): PRG; a refusal shows the page again. */
  @Post(':id/digest')
  async saveDigest(
    @Param('id') id: string,
    @Body() form: DigestFormDto,
    @Res() reply: FastifyReply,
  ) {
    const raw = form.recipients ?? [];
    const ids = (Array.isArray(raw) ? raw : [raw]).filter((v) => typeof v === 'string');
    const lang = replyLanguage(reply);
    return formPost(
      async () => {
        await this.digest.setRecipients(id, ids);
        return reply.redirect(`/admin/campaigns/${id}?done=digestSaved#digest`, 303);
      },
      [ErrorCode.Validation, ErrorCode.CampaignAlreadyClosed],
      async (err, status) =>
        reply
          .status(status)
          .view(
            'admin/campaigns-detail',
            await this.detailView(id, lang, { error: refusalText(err, lang) }),
          ),
    );
  }

  /** The schedule section of the campaign page: PRG, or the page again with the input kept. */
  @Post(':id/schedule')
  async saveSchedule(
    @Param('id') id: string,
    @Body() form: ScheduleFormDto,
    @Res() reply: FastifyReply,
  ) {
    const campaign = await this.campaigns.get(id);
    const values: ScheduleFormValues = {
      opensAt: (form.opensAt ?? '').trim(),
      closesAt: (form.closesAt ?? '').trim(),
      remind: form.remind === 'on',
      afterDays: (form.afterDays ?? '').trim(),
      maxReminders: (form.maxReminders ?? '').trim(),
    };
    const lang = replyLanguage(reply);
    return formPost(
      async () => {
        const { change, errors } = scheduleChangeOf(values, campaign.status === 'draft');
        if (errors.length) {
          // Every problem at once: the rules on what could be read, beside what could not.
          const more = this.lifecycle.scheduleErrors(change, campaign);
          errors.push(...more.filter((e) => !errors.some((x) => x.field === e.field)));
          throw invalid('The schedule is not valid', errors);
        }
        await this.lifecycle.setSchedule(id, change);
        return reply.redirect(`/admin/campaigns/${id}?done=scheduleSaved#schedule`, 303);
      },
      [ErrorCode.Validation, ErrorCode.CampaignAlreadyClosed, ErrorCode.CampaignChanged],
      async (err, status) =>
        reply.status(status).view(
          'admin/campaigns-detail',
          await this.detailView(id, lang, {
            ...(err.code === ErrorCode.Validation
              ? { schedule: { values, errors: formErrors(err, 'closesAt') } }
              : { error: refusalText(err, lang), schedule: { values, errors: [] } }),
          }),
        ),
    );
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
    const remind = { intervalHours: this.campaigns.remindIntervalHours, wait };
    return reply.view(
      'admin/campaign-confirm',
      confirmView(campaign, action, mailing, remind, replyLanguage(reply)),
    );
  }

  /** Launch now, or (`when=schedule`) schedule the draft to open by itself at `opensAt`. */
  @Post(':id/launch')
  async launch(@Param('id') id: string, @Body() form: LaunchFormDto, @Res() reply: FastifyReply) {
    if (form.when !== 'schedule')
      return this.transition(id, 'launched', () => this.lifecycle.launch(id), reply);
    const campaign = await this.campaigns.get(id);
    const value = (form.opensAt ?? '').trim();
    const lang = replyLanguage(reply);
    return formPost(
      async () => {
        const opensAt = localDateTime(value);
        if (!opensAt)
          throw invalid('The schedule is not valid', [
            { field: 'opensAt', message: 'opensAt must be a date-time' },
          ]);
        await this.lifecycle.setSchedule(id, { opensAt });
        return reply.redirect(`/admin/campaigns/${id}?done=scheduled`, 303);
      },
      [ErrorCode.Validation, ErrorCode.CampaignAlreadyClosed, ErrorCode.CampaignChanged],
      async (err, status) => {
        const mailing = await this.builder.mailing(id);
        const remind = { intervalHours: this.campaigns.remindIntervalHours };
        const errors: FieldError[] =
          err.code === ErrorCode.Validation
            ? formErrors(err, 'opensAt')
            : [{ field: 'closed', message: err.message }];
        return reply
          .status(status)
          .view(
            'admin/campaign-confirm',
            confirmView(campaign, 'launch', mailing, remind, lang, { value, errors }),
          );
      },
    );
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
      async (err, status) => this.refused(reply, id, err, status, 'delete'),
    );
  }

  @Get(':id/copy')
  async copyForm(@Param('id') id: string, @Res() reply: FastifyReply) {
    const c = await this.campaigns.get(id);
    const wave = nextWave(c.wave);
    return reply.view(
      'admin/campaign-copy',
      copyView(c, { wave, name: renamedForWave(c.name, c.wave, wave) }, replyLanguage(reply)),
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
          .view(
            'admin/campaign-copy',
            copyView(c, values, replyLanguage(reply), formErrors(err, 'wave')),
          ),
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
      async (err, status) => this.refused(reply, id, err, status),
    );
  }

  /** The campaign page again with why the action was refused, in the page's language. */
  private async refused(
    reply: FastifyReply,
    id: string,
    err: DomainError,
    status: number,
    action?: 'delete',
  ) {
    const lang = replyLanguage(reply);
    const current = await this.campaigns.get(id);
    return reply
      .status(status)
      .view(
        'admin/campaigns-detail',
        await this.detailView(id, lang, { error: refusalText(err, lang, current.status, action) }),
      );
  }

  private async detailView(
    id: string,
    lang: Language,
    extras: Omit<DetailExtras, 'reminders' | 'intervalHours'> = {},
  ) {
    const campaign = await this.campaigns.get(id);
    const [counts, reminders, users] = await Promise.all([
      this.campaigns.counts(id),
      this.campaigns.reminderSchedule(campaign),
      this.digest.choices(),
    ]);
    return {
      ...campaignDetail(campaign, counts, lang, {
        ...extras,
        reminders,
        intervalHours: this.campaigns.remindIntervalHours,
      }),
      digest: digestSection(campaign, users, lang),
    };
  }
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** A datetime-local value, read as UTC (the form says so); null when it is not one. */
function localDateTime(value: string): string | null {
  if (!LOCAL_DATE_TIME.test(value)) return null;
  const ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The schedule form as a change (the opening date only for drafts), and what it cannot be. */
function scheduleChangeOf(
  v: ScheduleFormValues,
  draft: boolean,
): { change: ScheduleChange; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const change: ScheduleChange = {};
  const date = (field: 'opensAt' | 'closesAt') => {
    if (v[field] === '') return (change[field] = null);
    const parsed = localDateTime(v[field]);
    if (parsed === null) errors.push({ field, message: `${field} must be a date-time` });
    else change[field] = parsed;
  };
  if (draft) date('opensAt');
  date('closesAt');
  if (!v.remind) change.reminderPlan = null;
  else {
    const int = (s: string) => (/^\d{1,3}$/.test(s) ? Number(s) : NaN);
    change.reminderPlan = { afterDays: int(v.afterDays), maxReminders: int(v.maxReminders) };
  }
  return { change, errors };
}
