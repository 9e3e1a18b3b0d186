import { ApiTokenEntity, SessionEntity, ThrottleCounterEntity } from '../auth/auth.entities.js';
import { CampaignEntity, QuestionEntity } from '../campaigns/campaign.entities.js';
import {
  InvitationEntity,
  InvitationLinkEntity,
  OutboxEntity,
} from '../invitations/invitation.entities.js';
import { ContactEntity, UnitEntity } from '../organisation/organisation.entities.js';
import { AnswerEntity, ResponseEntity } from '../responses/response.entities.js';
import { UserEntity } from '../users/user.entity.js';

export const ENTITIES = [
  UserEntity,
  ApiTokenEntity,
  SessionEntity,
  ThrottleCounterEntity,
  UnitEntity,
  ContactEntity,
  CampaignEntity,
  QuestionEntity,
  InvitationEntity,
  InvitationLinkEntity,
  OutboxEntity,
  ResponseEntity,
  AnswerEntity,
];
