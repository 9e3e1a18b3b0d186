import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsCleanText } from '../common/text.js';

export class TokenRequestDto {
  @ApiProperty() @IsString() @IsCleanText() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @IsCleanText() @MaxLength(1024) password: string;
}

/** Only same-origin relative paths: "/x" but never "//host" or "/\host" (open redirect). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/admin';
  if (!/^\/(?![/\\])[^\s\\]*$/.test(next)) return '/admin';
  if (/^\/%2f/i.test(next) || /^\/%5c/i.test(next)) return '/admin';
  return next;
}
