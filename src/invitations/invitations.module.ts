import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module.js';
import { InvitationSweepService } from './invitation-sweep.service.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InvitationsService } from './invitations.service.js';
import { MailComposer } from './mail-composer.service.js';
import { MailDeliveryService } from './mail-delivery.service.js';
import { MailSender } from './mail-sender.service.js';
import { MailWorker } from './mail.worker.js';
import { OneClickBodyParser } from './one-click-body-parser.js';
import { OutboxApiController, OutboxPageController } from './outbox.controller.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxService } from './outbox.service.js';
import { ReminderPlanWorker } from './reminder-plan.worker.js';
import { RemindersService } from './reminders.service.js';
import { UnsubscribeApiController, UnsubscribePageController } from './unsubscribe.controller.js';
import { UnsubscribeRepository } from './unsubscribe.repository.js';
import { UnsubscribeService } from './unsubscribe.service.js';

import { InvitationPagesController } from './invitations-pages.controller.js';

/** Invitations and their links, reminders, the mail outbox and its sender, opt-out. */
@Module({
  imports: [CampaignsModule],
  controllers: [
    InvitationsController,
    InvitationPagesController,
    OutboxApiController,
    OutboxPageController,
    UnsubscribePageController,
    UnsubscribeApiController,
  ],
  providers: [
    InvitationsRepository,
    OutboxRepository,
    UnsubscribeRepository,
    MailComposer,
    MailSender,
    InvitationsService,
    RemindersService,
    OutboxService,
    UnsubscribeService,
    InvitationSweepService,
    MailDeliveryService,
    MailWorker,
    ReminderPlanWorker,
    OneClickBodyParser,
  ],
  exports: [MailWorker],
})
export class InvitationsModule {}
