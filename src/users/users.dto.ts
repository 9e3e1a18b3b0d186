import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength } from 'class-validator';
import { IsCleanText } from '../common/text.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import { ROLES, type Role } from '../domain/roles.js';

export class CreateUserDto {
  @ApiProperty() @IsString() @IsEmail() @MaxLength(320) email: string;
  @ApiProperty() @IsString() @IsCleanText() @MaxLength(1024) password: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
}

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
