import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { CampaignDefinitionService } from './campaign-definition.service.js';
import { CampaignLifecycleService } from './campaign-lifecycle.service.js';
import {
  CampaignDefinitionDto,
  CopyCampaignDto,
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
  ) {}

  @Post()
  async create(@Body() body: CampaignDefinitionDto): Promise<CampaignJson> {
    return toCampaignJson(await this.definitions.create(body));
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
  async replace(
    @Param('id') id: string,
    @Body() body: CampaignDefinitionDto,
  ): Promise<CampaignJson> {
    return toCampaignJson(await this.definitions.replace(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
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
