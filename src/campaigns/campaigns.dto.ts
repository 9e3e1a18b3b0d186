import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { CsrfFormDto } from '../common/form.dto.js';
import { IsCleanText } from '../common/text.js';
import {
  isDateTime,
  KEY_PATTERN,
  OPTION_VALUE_PATTERN,
  WAVE_PATTERN,
  type CampaignDefinitionInput,
  type LocalisedText,
  type OptionInput,
  type QuestionInput,
} from './campaign-definition.js';
import { PLAN_LIMITS, planOf, type ReminderPlan } from './campaign-schedule.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { QuestionEntity } from '../database/schema/question.entity.js';
import { AUDIENCES, type Audience } from '../domain/audience.js';
import type { CampaignStatus } from '../domain/campaign-status.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import { type QuestionType, QUESTION_TYPES } from '../domain/questions.js';

/** An ISO 8601 date-time with a zone, e.g. 2026-03-31T23:59:59Z. */
function IsDateTime(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isDateTime',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be an ISO 8601 date-time with a zone, e.g. 2026-03-31T23:59:59Z`,
        ...options,
      },
      validator: { validate: (v: unknown) => v === undefined || v === null || isDateTime(v) },
    });
}

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['draft', 'open', 'closed'];

// ---------------------------------------------------------------------------------------------
// Requests. Shape and per-field format here; cross-field rules in validateDefinition().
// Every nested object is a class, so the strict global pipe refuses unknown keys at any depth.
// ---------------------------------------------------------------------------------------------

/** A question text: one string per language; keys other than the supported languages are refused. */
export class QuestionTextDto implements LocalisedText {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(1000)
  en?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(1000)
  it?: string;
}

export class OptionLabelDto implements LocalisedText {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  en?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  it?: string;
}

export class OptionDto implements OptionInput {
  @ApiProperty({ pattern: OPTION_VALUE_PATTERN.source, example: 'web' })
  @IsString()
  @Matches(OPTION_VALUE_PATTERN, { message: 'value must be 1–40 characters of a-z, 0-9, _ or -' })
  value: string;

  @ApiProperty({ type: () => OptionLabelDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OptionLabelDto)
  label: OptionLabelDto;
}

export class QuestionDto implements QuestionInput {
  @ApiProperty({ pattern: KEY_PATTERN.source, example: 'sat' })
  @IsString()
  @Matches(KEY_PATTERN, { message: 'key must be 1–40 characters of a-z, 0-9 or _' })
  key: string;

  @ApiProperty({ enum: QUESTION_TYPES })
  @IsIn(QUESTION_TYPES)
  type: QuestionType;

  @ApiPropertyOptional({ type: Boolean, default: false })
  @IsOptional()
  @IsBoolean()
  required?: boolean | null;

  @ApiProperty({ type: () => QuestionTextDto })
  @IsObject()
  @ValidateNested()
  @Type(() => QuestionTextDto)
  text: QuestionTextDto;

  @ApiPropertyOptional({ type: Boolean, description: 'choice questions only', default: false })
  @IsOptional()
  @IsBoolean()
  multiple?: boolean | null;

  @ApiPropertyOptional({
    type: () => [OptionDto],
    nullable: true,
    description: 'choice questions only: 2–50',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OptionDto)
  options?: OptionDto[] | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'internal campaigns, numeric questions: the code of the unit rated',
  })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(64)
  providerUnitCode?: string | null;
}

/** An automatic reminder plan: the first round `afterDays` after launch, then every `afterDays`. */
export class ReminderPlanDto implements ReminderPlan {
  @ApiProperty({
    minimum: PLAN_LIMITS.afterDays.min,
    maximum: PLAN_LIMITS.afterDays.max,
    example: 3,
    description: 'days from launch to the first automatic round, and between rounds',
  })
  @IsInt()
  @Min(PLAN_LIMITS.afterDays.min)
  @Max(PLAN_LIMITS.afterDays.max)
  afterDays: number;

  @ApiProperty({
    minimum: PLAN_LIMITS.maxReminders.min,
    maximum: PLAN_LIMITS.maxReminders.max,
    example: 2,
    description: 'at most this many automatic rounds',
  })
  @IsInt()
  @Min(PLAN_LIMITS.maxReminders.min)
  @Max(PLAN_LIMITS.maxReminders.max)
  maxReminders: number;
}

const OPENS_AT_DOC =
  'When the campaign opens by itself (a draft with it is "scheduled"; the close sweep launches ' +
  'it when the time comes and its invitations are mailed as after a manual launch). Must be in ' +
  'the future and before closesAt; only drafts can have it set or changed. null: launched by hand.';
const PLAN_DOC =
  'Automatic reminders: the first round afterDays after launch, then every afterDays, at most ' +
  'maxReminders rounds; never within REMIND_INTERVAL_HOURS of the previous round (manual ones ' +
  'count too) and never after closing. Sent to the same people as the Remind button. null: none.';

/**
 * PATCH /api/campaigns/:id/schedule: the opening date, the closing date and the reminder plan of
 * a draft or open campaign. An absent key leaves that part as it is; null clears it.
 */
export class CampaignScheduleDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2026-12-01T09:00:00Z',
    description: OPENS_AT_DOC,
  })
  @IsOptional()
  @IsString()
  @IsDateTime()
  opensAt?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2026-12-31T23:59:59Z',
    description:
      'When the campaign closes by itself. Must be in the future and after opensAt; an open ' +
      'campaign may move it later or earlier (but not into the past).',
  })
  @IsOptional()
  @IsString()
  @IsDateTime()
  closesAt?: string | null;

  @ApiPropertyOptional({ type: () => ReminderPlanDto, nullable: true, description: PLAN_DOC })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReminderPlanDto)
  reminderPlan?: ReminderPlanDto | null;
}

/** The whole campaign definition: the body of POST /api/campaigns and PATCH /api/campaigns/:id. */
export class CampaignDefinitionDto implements CampaignDefinitionInput {
  @ApiProperty({ maxLength: 200, example: 'Internal service 2026-Q1' })
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  @Matches(/^[^\r\n]*$/, { message: 'name must be a single line' })
  name: string;

  @ApiProperty({ enum: AUDIENCES })
  @IsIn(AUDIENCES)
  audience: Audience;

  @ApiProperty({ example: '2026-Q1', pattern: WAVE_PATTERN.source })
  @IsString()
  @Matches(WAVE_PATTERN, {
    message:
      'wave must be 1–40 characters of letters, digits, space, _, . or - (no space at either end)',
  })
  wave: string;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'default: true for internal, false for external',
  })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean | null;

  @ApiProperty({ enum: LANGUAGES, isArray: true, description: 'the first is the default' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LANGUAGES.length)
  @ArrayUnique({ message: 'languages must not repeat' })
  @IsIn(LANGUAGES, { each: true })
  languages: Language[];

  @ApiPropertyOptional({ type: String, example: '2026-03-31T23:59:59Z', nullable: true })
  @IsOptional()
  @IsString()
  @IsDateTime()
  closesAt?: string | null;

  @ApiProperty({ description: 'key of a numeric question that is not a provider question' })
  @IsString()
  @Matches(KEY_PATTERN, { message: 'headline must be a question key' })
  headline: string;

  @ApiProperty({ type: () => [QuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions: QuestionDto[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2026-12-01T09:00:00Z',
    description: `${OPENS_AT_DOC} On PATCH an absent key leaves it as it is.`,
  })
  @IsOptional()
  @IsString()
  @IsDateTime()
  opensAt?: string | null;

  @ApiPropertyOptional({
    type: () => ReminderPlanDto,
    nullable: true,
    description: `${PLAN_DOC} On PATCH an absent key leaves it as it is.`,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReminderPlanDto)
  reminderPlan?: ReminderPlanDto | null;

  @ApiPropertyOptional({
    type: [String],
    description:
      'Issue 9: the users who get the close digest (as PATCH /api/campaigns/:id/digest-recipients); ' +
      'an absent key leaves them as they are.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(36, { each: true })
  digestRecipients?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Read-only (when the digest was sent): accepted so that a GET can be sent back, ignored.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  digestSentAt?: string | null;
}

/** The schedule section of the campaign page (/admin/campaigns/:id/schedule). */
export class ScheduleFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(100) opensAt?: string;
  @IsOptional() @IsString() @MaxLength(100) closesAt?: string;
  @IsOptional() @IsString() @MaxLength(10) remind?: string;
  @IsOptional() @IsString() @MaxLength(20) afterDays?: string;
  @IsOptional() @IsString() @MaxLength(20) maxReminders?: string;
}

/** The launch confirmation's "schedule for" form. */
export class LaunchFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(20) when?: string;
  @IsOptional() @IsString() @MaxLength(100) opensAt?: string;
}

export class ListCampaignsQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;

  @ApiPropertyOptional({ enum: AUDIENCES })
  @IsOptional()
  @IsIn(AUDIENCES)
  audience?: Audience;
}

/** A form list field: one value arrives as a string, several as an array. */
type FormList = string | string[];

/**
 * The questionnaire builder's form (/admin/campaigns/new and /admin/campaigns/:id/edit): plain
 * fields, the questions as parallel lists (one entry per question, one per option row). It is
 * turned into a CampaignDefinitionDto and validated the same way by the builder.
 */
export class BuilderFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(1000) name?: string;
  @IsOptional() @IsString() @MaxLength(100) audience?: string;
  @IsOptional() @IsString() @MaxLength(100) wave?: string;
  @IsOptional() @IsString() @MaxLength(10) anonymous?: string;
  @IsOptional() @IsString({ each: true }) @MaxLength(10, { each: true }) languages?: FormList;
  @IsOptional() @IsString() @MaxLength(100) closesAt?: string;
  @IsOptional() @IsString() @MaxLength(100) headline?: string;
  @IsOptional() @IsString() @MaxLength(100) op?: string;

  @IsOptional() @IsString({ each: true }) @MaxLength(100, { each: true }) qKey?: FormList;
  @IsOptional() @IsString({ each: true }) @MaxLength(20, { each: true }) qType?: FormList;
  @IsOptional() @IsString({ each: true }) @MaxLength(5, { each: true }) qRequired?: FormList;
  @IsOptional() @IsString({ each: true }) @MaxLength(5, { each: true }) qMultiple?: FormList;
  @IsOptional() @IsString({ each: true }) @MaxLength(100, { each: true }) qProvider?: FormList;
  @IsOptional() @IsString({ each: true }) @MaxLength(2000, { each: true }) qTextEn?: FormList;
  @IsOptional() @IsString({ each: true }) @MaxLength(2000, { each: true }) qTextIt?: FormList;

  @IsOptional() @IsString({ each: true }) @MaxLength(10, { each: true }) optQ?: FormList;
  @IsOptional() @IsString({ each: true }) @MaxLength(100, { each: true }) optValue?: FormList;
  @IsOptional() @IsString({ each: true }) @MaxLength(400, { each: true }) optEn?: FormList;
  @IsOptional() @IsString({ each: true }) @MaxLength(400, { each: true }) optIt?: FormList;

  @IsOptional() @IsString() @MaxLength(100) nKey?: string;
  @IsOptional() @IsString() @MaxLength(20) nType?: string;
  @IsOptional() @IsString() @MaxLength(5) nRequired?: string;
  @IsOptional() @IsString() @MaxLength(5) nMultiple?: string;
  @IsOptional() @IsString() @MaxLength(100) nProvider?: string;
  @IsOptional() @IsString() @MaxLength(2000) nTextEn?: string;
  @IsOptional() @IsString() @MaxLength(2000) nTextIt?: string;
}

/** PATCH /api/campaigns/:id/digest-recipients (issue 9): who gets the close digest. */
export class DigestRecipientsDto {
  @ApiProperty({
    type: [String],
    example: ['3f6c1c9e-0000-4000-8000-000000000001'],
    description:
      'User ids (admins and analysts, not disabled) that get the short e-mail digest when the ' +
      'campaign closes; [] for nobody. Drafts and open campaigns only.',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(36, { each: true })
  digestRecipients: string[];
}

/** The digest section of the campaign page: the ticked user ids (one field, repeated). */
export class DigestFormDto extends CsrfFormDto {
  @IsOptional() recipients?: string | string[];
}

/** POST /api/campaigns/:id/copy: a new draft with the same questionnaire for another wave. */
export class CopyCampaignDto {
  @ApiProperty({ example: '2026-Q2', pattern: WAVE_PATTERN.source })
  @IsString()
  @Matches(WAVE_PATTERN, {
    message:
      'wave must be 1–40 characters of letters, digits, space, _, . or - (no space at either end)',
  })
  wave: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'default: the original name with its wave label replaced by the new one',
  })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  @Matches(/^[^\r\n]*$/, { message: 'name must be a single line' })
  name?: string;
}

/** The "copy to next wave" form of the campaign page. */
export class CopyFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(100) wave?: string;
  @IsOptional() @IsString() @MaxLength(1000) name?: string;
}

// ---------------------------------------------------------------------------------------------
// Views: the read model other modules use (CampaignsService.get) and the JSON the API returns.
// ---------------------------------------------------------------------------------------------

export type LocalisedTexts = Partial<Record<Language, string>>;

export interface OptionView {
  value: string;
  label: LocalisedTexts;
}

export interface QuestionView {
  key: string;
  type: QuestionType;
  /** 0-based order in the questionnaire. */
  position: number;
  required: boolean;
  /** Only ever true for choice questions. */
  multiple: boolean;
  /** Choice questions: the options in order; null for every other type. */
  options: OptionView[] | null;
  /** One string per campaign language. */
  text: LocalisedTexts;
  providerUnitId: string | null;
  providerUnitCode: string | null;
}

export interface CampaignView {
  id: string;
  name: string;
  audience: Audience;
  wave: string;
  anonymous: boolean;
  /** The first is the default language. */
  languages: Language[];
  headline: string;
  status: CampaignStatus;
  closesAt: string | null;
  createdAt: string;
  launchedAt: string | null;
  closedAt: string | null;
  questions: QuestionView[];
  /** A draft with an opening date is scheduled: it opens by itself then. */
  opensAt: string | null;
  reminderPlan: ReminderPlan | null;
  /** Automatic reminder rounds sent so far, and when the last went. */
  autoReminders: number;
  lastAutoReminderAt: string | null;
  /** Issue 9: the users the close digest goes to, and when it was claimed for sending. */
  digestRecipients?: string[];
  digestSentAt?: string | null;
}

export interface CampaignSummaryView {
  id: string;
  name: string;
  audience: Audience;
  wave: string;
  anonymous: boolean;
  status: CampaignStatus;
  closesAt: string | null;
  createdAt: string;
  invited: number;
  responses: number;
  /** A draft with an opening date is scheduled (optional for older callers' fixtures). */
  opensAt?: string | null;
}

export interface CampaignCounts {
  invited: number;
  responses: number;
}

/** A stored campaign as the repository reads it. */
export interface CampaignRecord {
  campaign: CampaignEntity;
  questions: QuestionEntity[];
  /** provider unit id → unit code */
  unitCodes: ReadonlyMap<string, string>;
}

export const mapCampaign = ({
  campaign: c,
  questions,
  unitCodes,
}: CampaignRecord): CampaignView => ({
  id: c.id,
  name: c.name,
  audience: c.audience,
  wave: c.wave,
  anonymous: Boolean(c.anonymous),
  languages: c.languages.split(',') as Language[],
  headline: c.headline,
  status: c.status,
  closesAt: c.closesAt,
  createdAt: c.createdAt,
  launchedAt: c.launchedAt,
  closedAt: c.closedAt,
  questions: [...questions]
    .sort((a, b) => a.position - b.position)
    .map((q) => mapQuestion(q, unitCodes)),
  opensAt: c.opensAt ?? null,
  reminderPlan: planOf(c),
  autoReminders: c.autoReminders ?? 0,
  lastAutoReminderAt: c.lastAutoReminderAt ?? null,
  digestRecipients: c.digestRecipients ? (JSON.parse(c.digestRecipients) as string[]) : [],
  digestSentAt: c.digestSentAt ?? null,
});

export const mapQuestion = (
  q: QuestionEntity,
  unitCodes: ReadonlyMap<string, string>,
): QuestionView => ({
  key: q.key,
  type: q.type,
  position: q.position,
  required: Boolean(q.required),
  multiple: q.type === 'choice' && Boolean(q.multiple),
  options: q.optionsJson === null ? null : (JSON.parse(q.optionsJson) as OptionView[]),
  text: JSON.parse(q.textJson) as LocalisedTexts,
  providerUnitId: q.providerUnitId,
  providerUnitCode: q.providerUnitId === null ? null : (unitCodes.get(q.providerUnitId) ?? null),
});

export const mapCampaignSummary = (
  c: CampaignEntity,
  counts: CampaignCounts,
): CampaignSummaryView => ({
  id: c.id,
  name: c.name,
  audience: c.audience,
  wave: c.wave,
  anonymous: Boolean(c.anonymous),
  status: c.status,
  closesAt: c.closesAt,
  createdAt: c.createdAt,
  invited: counts.invited,
  responses: counts.responses,
  opensAt: c.opensAt ?? null,
});

/** A question as the API returns it: the input shape, plus providerUnitCode (null when none). */
export interface QuestionJson {
  key: string;
  type: QuestionType;
  required: boolean;
  text: LocalisedTexts;
  providerUnitCode: string | null;
  multiple?: boolean;
  options?: OptionView[];
}

export interface CampaignJson {
  id: string;
  status: CampaignStatus;
  name: string;
  audience: Audience;
  wave: string;
  anonymous: boolean;
  languages: Language[];
  closesAt: string | null;
  headline: string;
  questions: QuestionJson[];
  createdAt: string;
  launchedAt: string | null;
  closedAt: string | null;
  /**
   * Extensions (issue 8): the schedule, in the shape PATCH accepts back. A draft with opensAt is
   * scheduled: it opens by itself then.
   */
  opensAt: string | null;
  reminderPlan: ReminderPlan | null;
  /**
   * Extensions (issue 9): the user ids the close digest goes to (PATCH
   * /api/campaigns/:id/digest-recipients), and when it was sent (null: not yet).
   */
  digestRecipients: string[];
  digestSentAt: string | null;
}

export const toQuestionJson = (q: QuestionView): QuestionJson => ({
  key: q.key,
  type: q.type,
  required: q.required,
  text: q.text,
  providerUnitCode: q.providerUnitCode,
  ...(q.type === 'choice' ? { multiple: q.multiple, options: q.options ?? [] } : {}),
});

export const toCampaignJson = (c: CampaignView): CampaignJson => ({
  id: c.id,
  status: c.status,
  name: c.name,
  audience: c.audience,
  wave: c.wave,
  anonymous: c.anonymous,
  languages: c.languages,
  closesAt: c.closesAt,
  headline: c.headline,
  questions: c.questions.map(toQuestionJson),
  createdAt: c.createdAt,
  launchedAt: c.launchedAt,
  closedAt: c.closedAt,
  opensAt: c.opensAt,
  reminderPlan: c.reminderPlan,
  digestRecipients: c.digestRecipients ?? [],
  digestSentAt: c.digestSentAt ?? null,
});

/** True while answers may be accepted: open and not past closesAt (the sweep may lag behind). */
export const acceptsAnswers = (
  c: Pick<CampaignView, 'status' | 'closesAt'>,
  now: string,
): boolean => c.status === 'open' && (c.closesAt === null || c.closesAt > now);
