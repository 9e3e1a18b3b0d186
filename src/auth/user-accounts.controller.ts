import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import {
  AccountView,
  ResetPasswordDto,
  UpdateAccountDto,
  UpdateUserDto,
  UserView,
  mapUser,
} from '../users/users.dto.js';
import { UsersService } from '../users/users.service.js';
import { CurrentUser, Roles } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import type { UserEntity } from '../database/schema/user.entity.js';

export class ApiTokenItemView {
  @ApiProperty({ description: 'First 16 hex digits of the token hash; names it for revocation' })
  id: string;
  @ApiProperty() userId: string;
  @ApiProperty() email: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() expiresAt: string;
}

/** Admin only: managing accounts (extensions of /api/users) and API tokens. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api')
export class UserAccountsController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  @Patch('users/:id')
  @ApiOperation({
    summary: "Change a user's role, or disable / enable them",
    description:
      'Disabling deletes every session and API token of the user at once. A role and `disabled` sent together are applied together or not at all.',
  })
  @ApiOkResponse({ type: UserView })
  @ApiConflictResponse({ description: 'Yourself, or the last active admin' })
  async update(
    @CurrentUser() actor: UserEntity,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    const user = await this.users.update(actor, id, {
      role: body.role,
      disabled: body.disabled,
      scopeUnitCode: body.scopeUnitCode,
    });
    return mapUser(user, await this.users.unitCodes());
  }

  @Delete('users/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user with their sessions and API tokens' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'Yourself, or the last active admin' })
  remove(@CurrentUser() actor: UserEntity, @Param('id') id: string): Promise<void> {
    return this.users.remove(actor, id);
  }

  @Post('users/:id/password')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a temporary password',
    description: 'Every session and API token of the user ends; tell them the password.',
  })
  @ApiNoContentResponse()
  async resetPassword(@Param('id') id: string, @Body() body: ResetPasswordDto): Promise<void> {
    await this.users.resetPassword(id, body.password);
  }

  /** Every signed-in user's own settings (the pages' language picker does the same). */
  @Roles('analyst', 'manager')
  @Patch('account')
  @ApiOperation({
    summary: 'Change your own settings: the interface language of the pages',
    description: 'Any signed-in role. The language is used by every page you open afterwards.',
  })
  @ApiOkResponse({ type: AccountView })
  async updateAccount(
    @CurrentUser() user: UserEntity,
    @Body() body: UpdateAccountDto,
  ): Promise<AccountView> {
    const language = await this.users.setLanguage(user, body.language);
    return { email: user.email, role: user.role, language };
  }

  @Get('tokens')
  @ApiOperation({ summary: 'API tokens still valid (never the token itself)' })
  @ApiOkResponse({ type: [ApiTokenItemView] })
  tokens(): Promise<ApiTokenItemView[]> {
    return this.auth.apiTokens();
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API token' })
  @ApiNoContentResponse()
  revokeToken(@Param('id') id: string): Promise<void> {
    return this.auth.revokeApiToken(id);
  }
}
