import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { invalid } from '../common/domain-error.js';
import { Roles } from '../auth/auth.decorators.js';
import { CampaignDefinitionService } from './campaign-definition.service.js';
import { CampaignDigestService } from './campaign-digest.service.js';
import { CampaignLifecycleService } from './campaign-lifecycle.service.js';
import type { ScheduleChange } from './campaign-schedule.js';
import {
  CampaignDefinitionDto,
  CampaignScheduleDto,
  CopyCampaignDto,
  DigestRecipientsDto,
  ListCampaignsQueryDto,
  toCampaignJson,
  type CampaignJson,
  type CampaignSummaryView,
} from './campaigns.dto.js';
import { CampaignsService } from './campaigns.service.js';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly definitions: CampaignDefinitionService,
    private readonly lifecycle: CampaignLifecycleService,
    private readonly digest: CampaignDigestService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a draft campaign',
    description:
      'Extensions (issue 8): opensAt (the draft is then "scheduled" and opens by itself at that ' +
      'time) and reminderPlan ({ afterDays, maxReminders }: automatic reminder rounds). 400 with ' +
      'field errors when opensAt is not in the future or not before closesAt.',
  })
  async create(@Body() body: CampaignDefinitionDto): Promise<CampaignJson> {
    const schedule = scheduleOf(body);
    if (schedule) {
      const errors = this.lifecycle.scheduleErrors(schedule, {
        status: 'draft',
        closesAt: body.closesAt ? new Date(body.closesAt).toISOString() : null,
        launchedAt: null,
      });
      if (errors.length) throw invalid('The campaign definition is not valid', errors);
    }
    if (body.digestRecipients) await this.digest.checkRecipients(body.digestRecipients);
    const created = await this.definitions.create(body);
    if (schedule) await this.lifecycle.setSchedule(created.id, schedule);
    if (body.digestRecipients) await this.digest.setRecipients(created.id, body.digestRecipients);
    return toCampaignJson(await this.campaigns.get(created.id));
  }

  @Roles('analyst')
  @Get()
  list(@Query() query: ListCampaignsQueryDto): Promise<CampaignSummaryView[]> {
    return this.campaigns.list({ status: query.status, audience: query.audience });
  }

  @Roles('analyst')
  @Get(':id')
  async get(@Param('id') id: string): Promise<CampaignJson> {
    return toCampaignJson(await this.campaigns.get(id));
  }

  /** Replaces the whole definition; drafts only. */
  @Patch(':id')
  @ApiOperation({
    summary: 'Replace the definition of a draft',
    description:
      'opensAt and reminderPlan are set when present (null clears them) and left as they are ' +
      'when absent; closesAt is part of the definition as before. 409 once the campaign is open.',
  })
  async replace(
    @Param('id') id: string,
    @Body() body: CampaignDefinitionDto,
  ): Promise<CampaignJson> {
    const schedule = scheduleOf(body);
    if (schedule) {
      const current = await this.campaigns.get(id);
      if (current.status === 'draft') {
        const errors = this.lifecycle.scheduleErrors(schedule, {
          ...current,
          closesAt: body.closesAt ? new Date(body.closesAt).toISOString() : null,
        });
        if (errors.length) throw invalid('The campaign definition is not valid', errors);
      }
    }
    if (body.digestRecipients) await this.digest.checkRecipients(body.digestRecipients);
    await this.definitions.replace(id, body, schedule?.opensAt);
    if (schedule) await this.lifecycle.setSchedule(id, schedule);
    if (body.digestRecipients) await this.digest.setRecipients(id, body.digestRecipients);
    return toCampaignJson(await this.campaigns.get(id));
  }

  /** The schedule of a draft or open campaign (an extension of the contract, issue 8). */
  @Patch(':id/schedule')
  @ApiOperation({
    summary: 'Change the opening date, closing date or reminder plan',
    description:
      'Drafts and open campaigns. An absent key stays as it is, null clears it. opensAt only ' +
      'for drafts (a draft with opensAt is scheduled and opens by itself then), in the future ' +
      'and before closesAt; closesAt may move later or earlier but not into the past; ' +
      'reminderPlan { afterDays 1–90, maxReminders 1–10 } sends the first automatic reminder ' +
      'round afterDays after launch, then every afterDays, at most maxReminders rounds, never ' +
      'within REMIND_INTERVAL_HOURS of the previous round and never after closing. Answers the ' +
      'campaign like GET /api/campaigns/:id.',
  })
  @ApiBadRequestResponse({ description: 'field errors: { message, errors: [{ field, message }] }' })
  @ApiConflictResponse({ description: 'the campaign is closed (CAMPAIGN_ALREADY_CLOSED)' })
  async schedule(
    @Param('id') id: string,
    @Body() body: CampaignScheduleDto,
  ): Promise<CampaignJson> {
    await this.lifecycle.setSchedule(id, body);
    return toCampaignJson(await this.campaigns.get(id));
  }

  /** Who gets the close digest (an extension of the contract, issue 9). */
  @Patch(':id/digest-recipients')
  @ApiOperation({
    summary: 'Choose who gets the e-mail digest when the campaign closes',
    description:
      'Drafts and open campaigns. digestRecipients: user ids of admins and analysts who are not ' +
      'disabled ([] for nobody). When the campaign closes (by hand or at closesAt) each gets, ' +
      'once, a short e-mail in their language with the headline, its change since the previous ' +
      'wave and a link to the report. Answers the campaign like GET /api/campaigns/:id.',
  })
  @ApiBadRequestResponse({ description: 'field errors: { message, errors: [{ field, message }] }' })
  @ApiConflictResponse({ description: 'the campaign is closed (CAMPAIGN_ALREADY_CLOSED)' })
  async digestRecipients(
    @Param('id') id: string,
    @Body() body: DigestRecipientsDto,
  ): Promise<CampaignJson> {
    await this.digest.setRecipients(id, body.digestRecipients);
    return toCampaignJson(await this.campaigns.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted (drafts without responses only)' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.definitions.remove(id);
  }

  /** Copy to next wave: a new draft with the same questionnaire (an extension of the contract). */
  @Post(':id/copy')
  @ApiOperation({
    summary: 'Copy a campaign to a new wave',
    description:
      'Creates a new draft with the same questions, audience, languages, headline and anonymity ' +
      'under the given wave label (and name; by default the old name with the wave replaced). ' +
      'The closing time is not copied. 404 when the campaign does not exist, 400 on a bad wave.',
  })
  @ApiCreatedResponse({ description: 'the new draft, shaped like GET /api/campaigns/:id' })
  async copy(@Param('id') id: string, @Body() body: CopyCampaignDto): Promise<CampaignJson> {
    return toCampaignJson(await this.definitions.copy(id, body));
  }

  @Post(':id/launch')
  @HttpCode(200)
  launch(@Param('id') id: string) {
    return this.lifecycle.launch(id);
  }

  @Post(':id/close')
  @HttpCode(200)
  close(@Param('id') id: string) {
    return this.lifecycle.close(id);
  }
}

/** The schedule keys a definition body carries (null when it carries none). */
function scheduleOf(body: CampaignDefinitionDto): ScheduleChange | null {
  const change: ScheduleChange = {};
  if (body.opensAt !== undefined) change.opensAt = body.opensAt;
  if (body.reminderPlan !== undefined) change.reminderPlan = body.reminderPlan;
  return Object.keys(change).length ? change : null;
}
