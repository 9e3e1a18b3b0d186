import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CsrfFormDto } from '../common/form.dto.js';
import { IsCleanText } from '../common/text.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import { ROLES, type Role } from '../domain/roles.js';

export class CreateUserDto {
  @ApiProperty() @IsString() @IsEmail() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @IsCleanText() @MaxLength(1024) password: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
  @ApiPropertyOptional({
    description:
      'Role manager only (and then required): the code of the unit whose subtree the manager sees',
  })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(64)
  scopeUnitCode?: string;
}

/**
 * The admin page's "add a user" form. E-mail and password are checked by the users service, so
 * the form shows those errors next to the input; the bounds here only stop absurd input.
 */
export class CreateUserFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(1000) email?: string;
  @IsOptional() @IsString() @MaxLength(4096) password?: string;
  @IsOptional() @IsString() @MaxLength(100) role?: string;
  /** A manager's scope unit (its code); ignored for other roles. */
  @IsOptional() @IsString() @MaxLength(100) scopeUnit?: string;
}

/** The form's role: one of ROLES, else the least powerful. */
export const formRole = (value: unknown): Role => ROLES.find((r) => r === value) ?? 'analyst';

/** The form's scope unit: only a manager's, and only when one was chosen. */
export const formScope = (role: Role, value: string | undefined): string | undefined =>
  role === 'manager' && value ? value : undefined;

/** PATCH /api/users/:id: a new role, disabled (sessions and tokens revoked at once) or enabled. */
export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ description: 'true disables (revokes sessions and API tokens)' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
  @ApiPropertyOptional({
    description:
      "A manager's new scope unit (code); required when the role becomes manager. Other roles have none.",
  })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(64)
  scopeUnitCode?: string;
}

/** PATCH /api/account: the signed-in user's own settings. */
export class UpdateAccountDto {
  @ApiProperty({ enum: LANGUAGES, description: 'Interface language of the pages, remembered' })
  @IsIn(LANGUAGES)
  language: Language;
}

export class AccountView {
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: LANGUAGES, nullable: true, description: "Null: the browser's language" })
  language: Language | null;
}

/** An admin's reset: a temporary password the admin tells the user; sessions and tokens end. */
export class ResetPasswordDto {
  @ApiProperty({ minLength: 12 }) @IsString() @IsCleanText() @MaxLength(1024) password: string;
}

/** The per-user forms of /admin/users/:id (role, reset, disable/enable, delete). */
export class UserActionFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(100) role?: string;
  @IsOptional() @IsString() @MaxLength(100) scopeUnit?: string;
  @IsOptional() @IsString() @MaxLength(4096) password?: string;
  @IsOptional() @IsString() @MaxLength(10) confirm?: string;
}

/** The own-password form of /account/password. */
export class OwnPasswordFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(4096) current?: string;
  @IsOptional() @IsString() @MaxLength(4096) password?: string;
}

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'False while the user is disabled' }) active: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Managers: the code of their scope unit (null for other roles)',
  })
  scopeUnitCode?: string | null;
}

/** `codes`: unit id → code, to name a manager's scope unit (left out without it). */
export const mapUser = (u: UserEntity, codes?: ReadonlyMap<string, string>): UserView => ({
  id: u.id,
  email: u.email,
  role: u.role,
  createdAt: u.createdAt,
  active: u.disabledAt === null,
  ...(codes ? { scopeUnitCode: u.scopeUnitId ? (codes.get(u.scopeUnitId) ?? null) : null } : {}),
});
