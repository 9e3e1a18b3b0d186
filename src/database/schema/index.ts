/** Every table the application maps; the migrations in migrations/ are what create them. */
import { AnswerCountEntity } from './answer-count.entity.js';
import { AnswerEntity } from './answer.entity.js';
import { ApiTokenEntity } from './api-token.entity.js';
import { CampaignUnitEntity } from './campaign-unit.entity.js';
import { CampaignEntity } from './campaign.entity.js';
import { CampaignMailTextEntity } from './campaign-mail-text.entity.js';
import { ContactEntity } from './contact.entity.js';
import { InvitationLinkEntity } from './invitation-link.entity.js';
import { InvitationEntity } from './invitation.entity.js';
import { OrganisationSettingsEntity } from './organisation-settings.entity.js';
import { OutboxEntity } from './outbox.entity.js';
import { QuestionEntity } from './question.entity.js';
import { ResponseEntity } from './response.entity.js';
import { SessionEntity } from './session.entity.js';
import { ThrottleCounterEntity } from './throttle-counter.entity.js';
import { UnitEntity } from './unit.entity.js';
import { UnsubscribeLinkEntity } from './unsubscribe-link.entity.js';
import { UserEntity } from './user.entity.js';

export const ENTITIES = [
  UserEntity,
  ApiTokenEntity,
  SessionEntity,
  ThrottleCounterEntity,
  UnitEntity,
  ContactEntity,
  CampaignEntity,
  CampaignUnitEntity,
  QuestionEntity,
  InvitationEntity,
  InvitationLinkEntity,
  UnsubscribeLinkEntity,
  OutboxEntity,
  ResponseEntity,
  AnswerEntity,
  AnswerCountEntity,
  OrganisationSettingsEntity,
  CampaignMailTextEntity,
];
