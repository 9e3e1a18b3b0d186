import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CsrfFormDto } from '../common/form.dto.js';
import { IsCleanText } from '../common/text.js';

export class TokenRequestDto {
  @ApiProperty() @IsString() @IsCleanText() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @IsCleanText() @MaxLength(1024) password: string;
}

/**
 * The sign-in form. Missing fields are a failed sign-in, not a malformed request; the bounds
 * only stop absurd input (the service's own checks are tighter and answer on the form).
 */
export class LoginFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(1000) email?: string;
  @IsOptional() @IsString() @MaxLength(4096) password?: string;
}

/** The setup page's first administrator; the users service checks e-mail and password. */
export class SetupFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(1000) email?: string;
  @IsOptional() @IsString() @MaxLength(4096) password?: string;
}

/** Only same-origin relative paths: "/x" but never "//host" or "/\host" (open redirect). */
export function localPath(path: unknown, fallback: string): string {
  if (typeof path !== 'string' || path.length > 2000) return fallback;
  if (!/^\/(?![/\\])[^\s\\]*$/.test(path)) return fallback;
  if (/^\/%2f/i.test(path) || /^\/%5c/i.test(path)) return fallback;
  return path;
}

export const safeNext = (next: unknown): string => localPath(next, '/admin');

/** The topbar's language picker: the language, and the local page to go back to. */
export class LanguageFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(10) lang?: string;
  @IsOptional() @IsString() @MaxLength(2000) back?: string;
}
