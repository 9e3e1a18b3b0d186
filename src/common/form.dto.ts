import { IsOptional, IsString, MaxLength } from 'class-validator';

/** HTML form posts carry the CSRF field; the CSRF hook has checked it before validation runs. */
export class CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(300) _csrf?: string;
}
