import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CsrfFormDto } from '../common/form.dto.js';
import { IsCleanText } from '../common/text.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import { ROLES, type Role } from '../domain/roles.js';

export class CreateUserDto {
  @ApiProperty() @IsString() @IsEmail() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @IsCleanText() @MaxLength(1024) password: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
}

/**
 * The admin page's "add a user" form. E-mail and password are checked by the users service, so
 * the form shows those errors next to the input; the bounds here only stop absurd input.
 */
export class CreateUserFormDto extends CsrfFormDto {
  @IsOptional() @IsString() @MaxLength(1000) email?: string;
  @IsOptional() @IsString() @MaxLength(4096) password?: string;
  @IsOptional() @IsString() @MaxLength(100) role?: string;
}

/** The form's role: one of ROLES, else the least powerful. */
export const formRole = (value: unknown): Role => ROLES.find((r) => r === value) ?? 'analyst';

export interface UserView {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
}

export const mapUser = (u: UserEntity): UserView => ({
  id: u.id,
  email: u.email,
  role: u.role,
  createdAt: u.createdAt,
});
