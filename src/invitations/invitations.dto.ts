import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CsrfFormDto } from '../common/form.dto.js';
import { IsCleanText } from '../common/text.js';
import type { OutboxEntity } from '../database/schema/outbox.entity.js';
import type { OutboxStatus } from '../domain/delivery.js';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = [
  'queued',
  'sending',
  'sent',
  'failed',
  'cancelled',
];
export const MAX_CONTACT_IDS = 10_000;
export const MAX_UNIT_CODES = 1_000;

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** Any combination of selectors (their union); at least one must be given. */
export class CreateInvitationsDto {
  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_CONTACT_IDS,
    description: 'Contact ids (UUIDs)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CONTACT_IDS)
  @IsUUID('all', { each: true })
  contactIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_UNIT_CODES,
    description:
      'Unit codes; each selects the contacts of the unit and of all its descendant units',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_UNIT_CODES)
  @IsString({ each: true })
  @IsCleanText({ each: true })
  @MaxLength(64, { each: true })
  unitCodes?: string[];

  @ApiPropertyOptional({ description: 'true: every contact of the campaign audience' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}

export class SendRemindersDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 8760,
    default: 0,
    description: 'Skip invitees mailed less than this many hours ago (0 = no limit)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(8760)
  minHoursSinceLastMail?: number;
}

export class OutboxQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUUID('all')
  campaignId?: string;

  @ApiPropertyOptional({ enum: OUTBOX_STATUSES })
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

/**
 * The invitation form of the campaign page: "all" or "units" with the codes as typed (separated
 * by spaces, commas or semicolons). The service refuses unknown codes; the page shows why.
 */
export class InviteFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(20) scope?: string;
  @IsOptional() @IsString() @MaxLength(65_000) unitCodes?: string;
}

/** The invitation form as the service takes it; "units" without a code is `undefined`. */
export function inviteSelection(
  form: InviteFormDto,
): { unitCodes: string[] } | { all: true } | undefined {
  if (form.scope !== 'units') return { all: true };
  const unitCodes = (form.unitCodes ?? '')
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);
  return unitCodes.length ? { unitCodes } : undefined;
}

/** What the campaign page reports after the invitation form: how many, and skips by reason. */
export function inviteOutcome(result: {
  created: number;
  skipped: Array<{ reason: string }>;
}): Record<string, string> {
  const reasons = new Map<string, number>();
  for (const s of result.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const skipped = [...reasons].map(([reason, n]) => `${n} ${reason}`).join(', ');
  return { invited: String(result.created), ...(skipped ? { skipped } : {}) };
}

/** The reminder button: only the CSRF field. */
export class RemindFormDto extends CsrfFormDto {}

/** The one-button opt-out form: only the CSRF field. */
export class UnsubscribeFormDto extends CsrfFormDto {}

export class SkippedView {
  @ApiProperty() contactId: string;
  @ApiProperty({
    description:
      "'unknown contact' | 'wrong audience' | 'erased' | 'opted out' | 'already invited' | " +
      "'fatigue: invited to another campaign within N days'",
  })
  reason: string;
}

export class CreatedInvitationView {
  @ApiProperty() contactId: string;
  @ApiProperty() email: string;
  @ApiProperty({
    description: 'PUBLIC_URL/s/<token>; the raw token is shown only here and in the e-mail',
  })
  url: string;
}

export class InvitationResultView {
  @ApiProperty() created: number;
  @ApiProperty({ type: [SkippedView] }) skipped: SkippedView[];
  @ApiProperty({ type: [CreatedInvitationView] }) invitations: CreatedInvitationView[];
}

export class OutboxItemView {
  @ApiProperty() id: string;
  @ApiProperty() to: string;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: OUTBOX_STATUSES }) status: OutboxStatus;
  @ApiProperty({ enum: ['invitation', 'reminder', 'digest'] }) kind:
    'invitation' | 'reminder' | 'digest';
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) campaignId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
}

/** One reminder round of an anonymous campaign: how many of its reminders are in each status. */
export class ReminderRoundView {
  @ApiProperty() campaignId: string;
  @ApiProperty({ description: "1 for the campaign's first reminder round, then 2, …" })
  round: number;
  @ApiProperty({ description: 'When the round was queued' }) createdAt: string;
  @ApiProperty() queued: number;
  @ApiProperty() sending: number;
  @ApiProperty() sent: number;
  @ApiProperty() failed: number;
  @ApiProperty() cancelled: number;
  @ApiProperty({ description: 'Reminders the round queued, whatever became of them' })
  total: number;
}

export class OutboxListView {
  @ApiProperty({
    type: [OutboxItemView],
    description:
      'Reminders of anonymous campaigns are not listed (who got one had not answered yet): ' +
      'see reminderRounds',
  })
  items: OutboxItemView[];
  @ApiProperty({ description: 'Messages matching the filter that can be listed' }) total: number;
  @ApiProperty({ description: 'The page returned (1-based)' }) page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ description: 'Pages of pageSize messages (at least 1)' }) pages: number;
  @ApiProperty({
    type: [ReminderRoundView],
    description:
      'Reminder rounds of anonymous campaigns (of the campaignId filter, if given), oldest ' +
      'first, as counts per status only',
  })
  reminderRounds: ReminderRoundView[];
}

/** Reminder counts of anonymous campaigns, one entry per campaign and round, oldest first. */
export function mapReminderRounds(
  rows: ReadonlyArray<{ campaignId: string; createdAt: string; status: OutboxStatus; n: number }>,
): ReminderRoundView[] {
  const byRound = new Map<string, ReminderRoundView>();
  for (const r of rows) {
    const key = `${r.campaignId} ${r.createdAt}`;
    let round = byRound.get(key);
    if (!round) {
      round = {
        campaignId: r.campaignId,
        round: 0,
        createdAt: r.createdAt,
        queued: 0,
        sending: 0,
        sent: 0,
        failed: 0,
        cancelled: 0,
        total: 0,
      };
      byRound.set(key, round);
    }
    round[r.status] += r.n;
    round.total += r.n;
  }
  const rounds = [...byRound.values()].sort(
    (a, b) => a.campaignId.localeCompare(b.campaignId) || a.createdAt.localeCompare(b.createdAt),
  );
  const seen = new Map<string, number>();
  for (const round of rounds) {
    round.round = (seen.get(round.campaignId) ?? 0) + 1;
    seen.set(round.campaignId, round.round);
  }
  return rounds;
}

/** Never the bodies: they hold a raw link token. */
export const mapOutboxItem = (o: OutboxEntity): OutboxItemView => ({
  id: o.id,
  to: o.toAddress,
  subject: o.subject,
  status: o.status,
  kind: o.kind,
  attempts: o.attempts,
  lastError: o.lastError,
  campaignId: o.campaignId,
  createdAt: o.createdAt,
  sentAt: o.sentAt,
});
