import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CsrfFormDto } from '../common/form.dto.js';
import { LANGUAGES } from '../domain/language.js';
import { MAIL_KINDS, type MailKind } from '../invitations/mail-templates.js';

/** PUT /api/settings: both names; an empty or missing one is cleared. */
export class UpdateSettingsDto {
  @ApiPropertyOptional({
    nullable: true,
    maxLength: 120,
    description: 'Shown on respondent pages and in mails; empty or null: none',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  organisationName?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    maxLength: 80,
    description: "The From display name of survey mails (the address stays MAIL_FROM's)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  senderName?: string | null;
}

class LogoInfoDto {
  @ApiProperty({ enum: ['image/png', 'image/jpeg', 'image/webp'] }) type: string;
  @ApiProperty({ description: 'When the logo was uploaded (ISO 8601)' }) updatedAt: string;
  @ApiProperty({ description: 'Its public URL, versioned: /brand/logo?v=…' }) url: string;
}

export class SettingsDto {
  @ApiProperty({ nullable: true, type: String }) organisationName: string | null;
  @ApiProperty({ nullable: true, type: String }) senderName: string | null;
  @ApiProperty({ description: 'The address mails come from (MAIL_FROM)' }) senderAddress: string;
  @ApiProperty({
    nullable: true,
    type: LogoInfoDto,
    description: 'Uploaded on /admin/settings (PNG, JPEG or WebP, at most 200 KB)',
  })
  logo: LogoInfoDto | null;
}

/** The names form of /admin/settings. */
export class SettingsFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(1000) organisationName?: string;
  @IsOptional() @IsString() @MaxLength(1000) senderName?: string;
}

export class MailTextChangeDto {
  @ApiProperty({ enum: LANGUAGES }) @IsIn(LANGUAGES) language: string;
  @ApiProperty({ enum: MAIL_KINDS }) @IsIn(MAIL_KINDS) kind: MailKind;

  @ApiPropertyOptional({ description: 'Required unless reset' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  subject?: string;

  @ApiPropertyOptional({ description: 'Plain text; must contain {link}. Required unless reset' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  body?: string;

  @ApiPropertyOptional({ description: 'true: use the built-in text again' })
  @IsOptional()
  @IsBoolean()
  reset?: boolean;
}

/** PUT /api/campaigns/:id/mail-texts: the texts to change; the others stay as they are. */
export class UpdateMailTextsDto {
  @ApiProperty({ type: [MailTextChangeDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MailTextChangeDto)
  texts: MailTextChangeDto[];
}

class MailTextDto {
  @ApiProperty({ enum: LANGUAGES }) language: string;
  @ApiProperty({ enum: MAIL_KINDS }) kind: MailKind;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ description: "true: the campaign's own text; false: the built-in one" })
  custom: boolean;
}

class PlaceholdersDto {
  @ApiProperty({ type: [String] }) body: string[];
  @ApiProperty({ type: [String] }) subject: string[];
}

export class MailTextsDto {
  @ApiProperty() campaignId: string;
  @ApiProperty({ description: 'Drafts and open campaigns; closed ones are read-only' })
  editable: boolean;
  @ApiProperty({ type: PlaceholdersDto }) placeholders: PlaceholdersDto;
  @ApiProperty({ type: [MailTextDto] }) texts: MailTextDto[];
}

/** The form of /admin/campaigns/:id/mail: subject_<lang>_<kind> and body_<lang>_<kind>. */
export class CampaignMailFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(2000) subject_en_invitation?: string;
  @IsOptional() @IsString() @MaxLength(20000) body_en_invitation?: string;
  @IsOptional() @IsString() @MaxLength(2000) subject_en_reminder?: string;
  @IsOptional() @IsString() @MaxLength(20000) body_en_reminder?: string;
  @IsOptional() @IsString() @MaxLength(2000) subject_it_invitation?: string;
  @IsOptional() @IsString() @MaxLength(20000) body_it_invitation?: string;
  @IsOptional() @IsString() @MaxLength(2000) subject_it_reminder?: string;
  @IsOptional() @IsString() @MaxLength(20000) body_it_reminder?: string;
  /** "<lang>_<kind>": the Reset button of that text. */
  @IsOptional() @IsString() @MaxLength(40) reset?: string;
}
