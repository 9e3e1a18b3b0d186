import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CsrfFormDto } from '../common/form.dto.js';
import { IsCleanText } from '../common/text.js';
import type { CsvLineError } from './csv-table.js';
import type { ContactEntity } from '../database/schema/contact.entity.js';
import { AUDIENCES, type Audience } from '../domain/audience.js';
import { LANGUAGES, type Language } from '../domain/language.js';

/*
 * Request DTOs check types and rough sizes; the exact field rules (trimming, code pattern,
 * 200-character names, e-mail syntax) live in organisation.rules.ts, shared with the CSV imports.
 */

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toInt = ({ value }: { value: unknown }) =>
  value === '' || value === undefined ? undefined : typeof value === 'string' ? Number(value) : NaN;

// ---------------------------------------------------------------------------------------------
// Units

export class CreateUnitDto {
  @ApiProperty({ example: 'B01', description: '1–64 of A–Z a–z 0–9 _ . -, trimmed' })
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  code: string;

  @ApiProperty({ example: 'Milan branch', maxLength: 200 })
  @IsString()
  @IsCleanText()
  @MaxLength(1000)
  name: string;

  @ApiPropertyOptional({ example: 'NORTH', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  parentCode?: string | null;
}

export class UpdateUnitDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(1000)
  name?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'null or "" makes the unit a root',
  })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  parentCode?: string | null;
}

export interface UnitView {
  id: string;
  code: string;
  name: string;
  parentCode: string | null;
}

export const mapUnit = (
  u: { id: string; code: string; name: string },
  parentCode: string | null,
): UnitView => ({
  id: u.id,
  code: u.code,
  name: u.name,
  parentCode,
});

// ---------------------------------------------------------------------------------------------
// Contacts

export class CreateContactDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @IsCleanText()
  @MaxLength(400)
  email: string;
  @ApiProperty({ example: 'Ada Lovelace', maxLength: 200 })
  @IsString()
  @IsCleanText()
  @MaxLength(1000)
  name: string;
  @ApiProperty({ enum: AUDIENCES }) @IsIn(AUDIENCES) audience: Audience;
  @ApiProperty({ example: 'B01' }) @IsString() @IsCleanText() @MaxLength(200) unitCode: string;
  @ApiPropertyOptional({ enum: LANGUAGES, default: 'en' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
}

export class UpdateContactDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(1000)
  name?: string;
  @ApiPropertyOptional({ enum: AUDIENCES }) @IsOptional() @IsIn(AUDIENCES) audience?: Audience;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsCleanText() @MaxLength(200) unitCode?: string;
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) language?: Language;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() optedOut?: boolean;
}

export class ContactListQueryDto {
  @ApiPropertyOptional({ enum: AUDIENCES })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(AUDIENCES)
  audience?: Audience;

  @ApiPropertyOptional()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  unitCode?: string;

  @ApiPropertyOptional({ description: 'Part of the name or e-mail address (any case)' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'page must be a whole number from 1' })
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'pageSize must be a whole number from 1 to 200' })
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export interface ContactView {
  id: string;
  email: string;
  name: string;
  audience: Audience;
  unitCode: string;
  language: Language;
  optedOut: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Only live contacts are mapped: an erased one has no e-mail or name to show. */
export const mapContact = (c: ContactEntity, unitCode: string): ContactView => ({
  id: c.id,
  email: c.email ?? '',
  name: c.name ?? '',
  audience: c.audience,
  unitCode,
  language: c.language,
  optedOut: Boolean(c.optedOut),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

export interface ContactPageView {
  items: ContactView[];
  total: number;
  page: number;
  pageSize: number;
}

// ---------------------------------------------------------------------------------------------
// CSV imports

export class ImportQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'validate and report without writing',
  })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'])
  dryRun?: string;
}

export const isDryRun = (q: ImportQueryDto): boolean => q.dryRun === 'true' || q.dryRun === '1';

export interface ImportReport {
  created: number;
  updated: number;
  errors: CsvLineError[];
  dryRun: boolean;
  /** Only for the admin pages' preview: what each accepted line does. */
  lines?: Array<{ line: number; action: 'create' | 'update'; key: string }>;
}

// ---------------------------------------------------------------------------------------------
// Admin page forms (the CSRF field is checked by the hook; the rules above decide the rest)

export class UnitFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) code?: string;
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) name?: string;
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) parentCode?: string;
}

export class ContactFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) email?: string;
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) name?: string;
  @IsOptional() @IsString() @MaxLength(20) audience?: string;
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) unitCode?: string;
  @IsOptional() @IsString() @MaxLength(20) language?: string;
}

export class ImportFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @IsCleanText() @MaxLength(6_000_000) csv?: string;
  @IsOptional() @IsIn(['on', 'true', '1']) dryRun?: string;
  /** The seal of the previewed text (import-preview-seal.ts); Import needs it. */
  @IsOptional() @IsString() @MaxLength(100) previewSeal?: string;
}

export class EraseFormDto extends CsrfFormDto {}

/** The contact's edit page: everything but the address; the checkbox is absent when unticked. */
export class ContactEditFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) name?: string;
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) audience?: string;
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) unitCode?: string;
  @IsOptional() @IsString() @IsCleanText() @MaxLength(1000) language?: string;
  @IsOptional() @IsString() @MaxLength(10) optedOut?: string;
}
