import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { CampaignDefinitionService } from './campaign-definition.service.js';
import { CampaignLifecycleService } from './campaign-lifecycle.service.js';
import {
  CampaignDefinitionDto,
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
