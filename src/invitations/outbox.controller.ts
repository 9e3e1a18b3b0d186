import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../common/domain-error.js';
import { formPost } from '../common/form-post.js';
import { OUTBOX_STATUSES, OutboxListView, OutboxQueryDto } from './invitations.dto.js';
import { OutboxPageQueryDto, RetryFormDto, RetryResultView } from './outbox.dto.js';
import { OutboxService, retryRefusalOf } from './outbox.service.js';
import {
  labelledItems,
  outboxLink,
  outboxPaging,
  outboxReturn,
  retryNotice,
  statusLabel,
  statusOptions,
  withResult,
} from './outbox.view.js';
import { replyLanguage } from '../auth/page-language.js';
import { translate } from '../common/messages.js';

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

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Queue a failed message again',
    description:
      "Composed afresh for the contact's current address with a new personal link. 409 when the " +
      'message is not failed, the campaign is not open, or the contact was erased, opted out or ' +
      'answered.',
  })
  @ApiOkResponse({ type: RetryResultView })
  @ApiNotFoundResponse({ description: 'Unknown message (or a reminder of an anonymous campaign)' })
  @ApiConflictResponse({ description: 'The message cannot be retried; the message says why' })
  retry(@Param('id') id: string): Promise<RetryResultView> {
    return this.outbox.retry(id);
  }
}

@Controller('admin/outbox')
export class OutboxPageController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  async page(@Query() query: OutboxPageQueryDto, @Res() reply: FastifyReply) {
    const lang = replyLanguage(reply);
    const view = await this.outbox.page(query);
    const filters = {
      campaignId: query.campaignId,
      status: query.status,
      pageSize: query.pageSize,
    };
    return reply.view('admin/outbox', {
      title: translate(lang, 'outbox.title'),
      nav: true,
      wide: true,
      ...view,
      items: labelledItems(lang, view.items),
      statuses: statusOptions(lang, OUTBOX_STATUSES),
      selectedCampaign: query.campaignId ?? '',
      selectedStatus: query.status ?? '',
      selectedStatusLabel: query.status ? statusLabel(lang, query.status) : '',
      notice: retryNotice(lang, query),
      here: outboxLink(filters, view.page),
      ...outboxPaging(filters, view.page, view.pages),
    });
  }

  /** Post/Redirect/Get back to the page the button was on, with what happened. */
  @Post(':id/retry')
  async retry(@Param('id') id: string, @Body() form: RetryFormDto, @Res() reply: FastifyReply) {
    const back = outboxReturn(form.returnTo);
    return formPost(
      async () => {
        await this.outbox.retry(id);
        return reply.redirect(withResult(back, 'retried', '1'), 303);
      },
      [ErrorCode.Conflict, ErrorCode.NotFound],
      (err) =>
        reply.redirect(
          withResult(back, 'retryError', retryRefusalOf(err.message) ?? 'unknown'),
          303,
        ),
    );
  }
}
