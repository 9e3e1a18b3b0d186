import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CsrfFormDto } from '../common/form.dto.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import { OutboxQueryDto } from './invitations.dto.js';

/** The outbox page's query: the API's filters and the result of a retry (after its redirect). */
export class OutboxPageQueryDto extends OutboxQueryDto {
  @IsOptional() @IsIn(['1']) retried?: string;
  @IsOptional() @IsString() @Matches(/^[a-z-]{1,20}$/) retryError?: string;
  /** The page's language for this view (read by the guard). */
  @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

/** The retry button: the page to come back to (an outbox page; anything else is ignored). */
export class RetryFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(500) returnTo?: string;
}

export class RetryResultView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['queued'] }) status: 'queued';
}
