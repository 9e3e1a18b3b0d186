import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Audience } from '../domain/audience.js';
import type { CampaignStatus } from '../domain/campaign-status.js';

/**
 * What an internal campaign's unit row says instead of a count:
 * - `too_few_invited`: fewer than k people of the unit were invited, it can never be reported on
 *   its own (its answers count in the groups above it);
 * - `on_track` / `not_yet` (open campaign): whether the unit would be reported if the campaign
 *   closed with the answers of the last checkpoint (see progress-checkpoint.ts);
 * - `reported` / `not_reported` (closed campaign): the report's own decision.
 */
export const UNIT_STATUSES = [
  'too_few_invited',
  'on_track',
  'not_yet',
  'reported',
  'not_reported',
] as const;
export type UnitProgressStatus = (typeof UNIT_STATUSES)[number];

/** One unit's row. External campaigns: exact counts. Internal: invited and a status only. */
export interface UnitProgressJson {
  unitCode: string;
  unitName: string;
  invited: number;
  /** External campaigns only. */
  responses?: number;
  /** External campaigns only. */
  responseRate?: number | null;
  /** Internal campaigns only. */
  status?: UnitProgressStatus;
}

/** `GET /api/campaigns/:id/progress`. */
export interface CampaignProgressJson {
  campaign: {
    id: string;
    name: string;
    audience: Audience;
    wave: string;
    status: CampaignStatus;
    closesAt: string | null;
  };
  invited: number;
  /** Campaign-wide, always exact (it tells that someone answered, never what). */
  responses: number;
  responseRate: number | null;
  remindersSent: number;
  /** Whole days until closesAt (0 once closed), null without a closing date or for a draft. */
  daysLeft: number | null;
  /** Campaign-wide responses per UTC day, oldest first. */
  daily: { day: string; responses: number }[];
  /** MIN_GROUP_SIZE for internal campaigns, null for external ones. */
  minGroupSize: number | null;
  /**
   * Open internal campaigns: the last day whose answers the unit statuses reflect, the checkpoint
   * of progress-checkpoint.ts (null: not enough answers yet). Absent otherwise.
   */
  statusAsOf?: string | null;
  units: UnitProgressJson[];
}

class ProgressCampaignDoc {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['internal', 'external'] }) audience!: string;
  @ApiProperty() wave!: string;
  @ApiProperty({ enum: ['draft', 'open', 'closed'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) closesAt!: string | null;
}

class ProgressDayDoc {
  @ApiProperty({ example: '2026-03-02' }) day!: string;
  @ApiProperty() responses!: number;
}

class UnitProgressDoc {
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ description: 'Invitations of contacts of this unit (not confidential).' })
  invited!: number;
  @ApiPropertyOptional({ description: 'External campaigns only: exact responses of the unit.' })
  responses?: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'External campaigns only.' })
  responseRate?: number | null;
  @ApiPropertyOptional({
    enum: UNIT_STATUSES,
    description:
      'Internal campaigns only, instead of any count: too_few_invited (fewer than MIN_GROUP_SIZE ' +
      'invited), on_track / not_yet (open: would the unit be reported with the answers up to ' +
      'statusAsOf), reported / not_reported (closed: the report’s decision).',
  })
  status?: string;
}

export class CampaignProgressDoc {
  @ApiProperty({ type: ProgressCampaignDoc }) campaign!: ProgressCampaignDoc;
  @ApiProperty() invited!: number;
  @ApiProperty({ description: 'Campaign-wide responses, exact.' }) responses!: number;
  @ApiProperty({ type: Number, nullable: true }) responseRate!: number | null;
  @ApiProperty({ description: 'Reminder e-mails sent so far.' }) remindersSent!: number;
  @ApiProperty({ type: Number, nullable: true }) daysLeft!: number | null;
  @ApiProperty({ type: [ProgressDayDoc] }) daily!: ProgressDayDoc[];
  @ApiProperty({ type: Number, nullable: true }) minGroupSize!: number | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Open internal campaigns: the unit statuses reflect the answers of whole days up to this ' +
      'one (a day at least MIN_GROUP_SIZE answers after the previous one, shown once at least ' +
      'MIN_GROUP_SIZE more have come in campaign-wide), so no unit count below MIN_GROUP_SIZE ' +
      'can be worked out from any two reads, nor from a read and the report at close. null: ' +
      'not enough answers yet.',
  })
  statusAsOf?: string | null;
  @ApiProperty({
    type: [UnitProgressDoc],
    description:
      'External campaigns: exact invited, responses and rate per unit. Internal campaigns: ' +
      'invited and a status per unit, never a response count.',
  })
  units!: UnitProgressDoc[];
}
