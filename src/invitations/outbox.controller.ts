import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OUTBOX_STATUSES, OutboxListView, OutboxQueryDto } from './invitations.dto.js';
import { OutboxService } from './outbox.service.js';

@ApiTags('outbox')
@ApiBearerAuth()
@Controller('api/outbox')
export class OutboxApiController {
  constructor(private readonly outbox: OutboxService) {}

  /** Admin only. Never returns a message body: it holds a raw link token. */
  @Get()
  @ApiOkResponse({ type: OutboxListView })
  list(@Query() query: OutboxQueryDto): Promise<OutboxListView> {
    return this.outbox.list(query);
  }
}

@Controller('admin/outbox')
export class OutboxPageController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  async page(@Query() query: OutboxQueryDto, @Res() reply: FastifyReply) {
    const view = await this.outbox.page(query);
    const link = (page: number) => {
      const q = new URLSearchParams();
      if (query.campaignId) q.set('campaignId', query.campaignId);
      if (query.status) q.set('status', query.status);
      if (query.pageSize) q.set('pageSize', String(query.pageSize));
      q.set('page', String(page));
      return `/admin/outbox?${q.toString()}`;
    };
    return reply.view('admin/outbox', {
      title: 'Outbox',
      nav: true,
      wide: true,
      ...view,
      statuses: OUTBOX_STATUSES,
      selectedCampaign: query.campaignId ?? '',
      selectedStatus: query.status ?? '',
      previous: view.page > 1 ? link(view.page - 1) : null,
      next: view.page < view.pages ? link(view.page + 1) : null,
    });
  }
}
