import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { CampaignProgressDoc, type CampaignProgressJson } from './progress.dto.js';
import { ProgressService } from './progress.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/campaigns')
export class ProgressController {
  constructor(private readonly progress: ProgressService) {}

  /** Admins and analysts, like the report. */
  @Roles('analyst')
  @Get(':id/progress')
  @ApiOperation({
    summary: 'Live progress of a campaign',
    description:
      'Invited, responses, rate, reminders sent, days left and responses per day, campaign-wide. ' +
      'Per unit: exact counts for external campaigns; for internal campaigns only invited and a ' +
      'status (never a count of a group that could be below MIN_GROUP_SIZE).',
  })
  @ApiOkResponse({ type: CampaignProgressDoc })
  get(@Param('id') id: string): Promise<CampaignProgressJson> {
    return this.progress.progress(id);
  }
}
