import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { sha256 } from '../common/crypto.js';
import { ErrorCode, type FieldError } from '../common/domain-error.js';
import { CsrfFormDto } from '../common/form.dto.js';
import { formErrors, formPost } from '../common/form-post.js';
import {
  CreateUserFormDto,
  formRole,
  formScope,
  mapUser,
  OwnPasswordFormDto,
  UserActionFormDto,
} from '../users/users.dto.js';
import { UsersService } from '../users/users.service.js';
import { CurrentUser, Roles } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { LanguageFormDto } from './auth.dto.js';
import { replyLanguage, returnPath } from './page-language.js';
import { readSessionCookie } from './session-cookie.js';
import {
  confirmation,
  type ConfirmAction,
  pageError,
  pageErrors,
  roleOptions,
  scopeUnitOptions,
  userNotice,
  type UserNotice,
  userRow,
} from './users-pages.view.js';
import { translate } from '../common/messages.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import type { Role } from '../domain/roles.js';

/** Refusals the "add a user" form shows next to its fields. */
const USER_FORM_ERRORS = [ErrorCode.Validation, ErrorCode.UserEmailTaken];
/** Refusals a user's page shows at its top (yourself, the last admin). */
const USER_REFUSALS = [ErrorCode.Conflict, ErrorCode.Validation];

const done = (reply: FastifyReply, key: UserNotice, id?: string) =>
  reply.redirect(`${id ? `/admin/users/${id}` : '/admin/users'}?done=${key}`, 303);

/**
 * /admin/users (list, add, API tokens), /admin/users/:id (role, temporary password, disable,
 * delete, each destructive one confirmed first) and /account/password for every signed-in user.
 * Every post ends in a redirect with the result at the top, or re-renders with the errors.
 */
@ApiExcludeController()
@Controller()
export class UsersPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Get('admin/users')
  usersPage(@Res() reply: FastifyReply, @Query('done') key?: string) {
    return this.renderUsers(reply, 200, { notice: userNotice(replyLanguage(reply), key) });
  }

  @Post('admin/users')
  async createUser(@Body() body: CreateUserFormDto, @Res() reply: FastifyReply) {
    const email = body.email ?? '';
    const role = formRole(body.role);
    const scopeUnit = formScope(role, body.scopeUnit);
    return formPost(
      async () => {
        await this.users.create(email, body.password ?? '', role, scopeUnit);
        return done(reply, 'created');
      },
      USER_FORM_ERRORS,
      (err, status) =>
        this.renderUsers(reply, status, {
          form: { email, role, scopeUnit },
          errors: pageErrors(replyLanguage(reply), formErrors(err, 'email')),
        }),
    );
  }

  @Get('admin/users/:id')
  async userPage(@Param('id') id: string, @Res() reply: FastifyReply, @Query('done') key?: string) {
    return this.renderUser(reply, 200, id, { notice: userNotice(replyLanguage(reply), key) });
  }

  @Post('admin/users/:id/role')
  async role(
    @CurrentUser() actor: UserEntity,
    @Param('id') id: string,
    @Body() body: UserActionFormDto,
    @Res() reply: FastifyReply,
  ) {
    const role = formRole(body.role);
    return this.act(reply, id, 'role', () =>
      this.users.changeRole(actor, id, role, formScope(role, body.scopeUnit)),
    );
  }

  @Post('admin/users/:id/password')
  async password(
    @Param('id') id: string,
    @Body() body: UserActionFormDto,
    @Res() reply: FastifyReply,
  ) {
    return this.act(reply, id, 'password', () => this.users.resetPassword(id, body.password ?? ''));
  }

  @Post('admin/users/:id/enable')
  async enable(@Param('id') id: string, @Body() _form: CsrfFormDto, @Res() reply: FastifyReply) {
    return this.act(reply, id, 'enabled', () => this.users.enable(id));
  }

  @Get('admin/users/:id/disable')
  async confirmDisable(@Param('id') id: string, @Res() reply: FastifyReply) {
    return this.renderConfirm(reply, id, 'disable', `/admin/users/${id}/disable`);
  }

  @Post('admin/users/:id/disable')
  async disable(
    @CurrentUser() actor: UserEntity,
    @Param('id') id: string,
    @Body() _form: CsrfFormDto,
    @Res() reply: FastifyReply,
  ) {
    return this.act(reply, id, 'disabled', () => this.users.disable(actor, id));
  }

  @Get('admin/users/:id/delete')
  async confirmDelete(@Param('id') id: string, @Res() reply: FastifyReply) {
    return this.renderConfirm(reply, id, 'delete', `/admin/users/${id}/delete`);
  }

  @Post('admin/users/:id/delete')
  async remove(
    @CurrentUser() actor: UserEntity,
    @Param('id') id: string,
    @Body() _form: CsrfFormDto,
    @Res() reply: FastifyReply,
  ) {
    return formPost(
      async () => {
        await this.users.remove(actor, id);
        return done(reply, 'deleted');
      },
      USER_REFUSALS,
      (err, status) =>
        this.renderUser(reply, status, id, { error: pageError(replyLanguage(reply), err.message) }),
    );
  }

  @Get('admin/tokens/:tokenId/revoke')
  async confirmRevoke(@Param('tokenId') tokenId: string, @Res() reply: FastifyReply) {
    const token = (await this.auth.apiTokens()).find((t) => t.id === tokenId);
    if (!token) return done(reply, 'revoked');
    return reply.view('admin/user-confirm', {
      nav: true,
      ...confirmation(replyLanguage(reply), 'revoke', token.email),
      action: `/admin/tokens/${tokenId}/revoke`,
    });
  }

  @Post('admin/tokens/:tokenId/revoke')
  async revoke(
    @Param('tokenId') tokenId: string,
    @Body() _form: CsrfFormDto,
    @Res() reply: FastifyReply,
  ) {
    return formPost(
      async () => {
        await this.auth.revokeApiToken(tokenId);
        return done(reply, 'revoked');
      },
      [ErrorCode.NotFound],
      () => done(reply, 'revoked'),
    );
  }

  /** Every signed-in user's own password. */
  @Roles('analyst', 'manager')
  @Get('account/password')
  ownPasswordPage(@Res() reply: FastifyReply, @Query('done') key?: string) {
    const lang = replyLanguage(reply);
    return reply.view('admin/account-password', {
      title: translate(lang, 'users.password.title'),
      nav: true,
      notice: userNotice(lang, key),
    });
  }

  @Roles('analyst', 'manager')
  @Post('account/password')
  async ownPassword(
    @CurrentUser() user: UserEntity,
    @Body() body: OwnPasswordFormDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const secret = readSessionCookie(this.config, req);
    return formPost(
      async () => {
        await this.users.changeOwnPassword(
          user,
          body.current ?? '',
          body.password ?? '',
          secret ? sha256(secret) : undefined,
        );
        return reply.redirect('/account/password?done=own', 303);
      },
      [ErrorCode.Validation],
      (err, status) => {
        const lang = replyLanguage(reply);
        return reply.status(status).view('admin/account-password', {
          title: translate(lang, 'users.password.title'),
          nav: true,
          errors: pageErrors(lang, formErrors(err, 'password')),
        });
      },
    );
  }

  /** The topbar's language picker: remembered for the user, back to the page it was sent from. */
  @Roles('analyst', 'manager')
  @Post('account/language')
  async language(
    @CurrentUser() user: UserEntity,
    @Body() body: LanguageFormDto,
    @Res() reply: FastifyReply,
  ) {
    await this.users.setLanguage(user, body.lang);
    return reply.redirect(returnPath(body.back), 303);
  }

  private act(reply: FastifyReply, id: string, key: UserNotice, action: () => Promise<unknown>) {
    return formPost(
      async () => {
        await action();
        return done(reply, key, id);
      },
      USER_REFUSALS,
      (err, status) =>
        this.renderUser(reply, status, id, {
          error: err.errors?.length ? undefined : pageError(replyLanguage(reply), err.message),
          errors: err.errors ? pageErrors(replyLanguage(reply), err.errors) : undefined,
        }),
    );
  }

  private async renderConfirm(
    reply: FastifyReply,
    id: string,
    action: ConfirmAction,
    target: string,
  ) {
    const user = mapUser(await this.users.get(id));
    return reply.view('admin/user-confirm', {
      nav: true,
      ...confirmation(replyLanguage(reply), action, user.email),
      action: target,
      cancel: `/admin/users/${id}`,
    });
  }

  private async renderUser(
    reply: FastifyReply,
    status: number,
    id: string,
    state: { notice?: string | null; error?: string; errors?: FieldError[] },
  ) {
    const lang = replyLanguage(reply);
    const units = await this.users.units();
    const codes = new Map(units.map((u) => [u.id, u.code]));
    const user = userRow(lang, mapUser(await this.users.get(id), codes));
    const tokens = (await this.auth.apiTokens()).filter((t) => t.userId === user.id);
    return reply.status(status).view('admin/user-manage', {
      title: user.email,
      nav: true,
      user,
      tokens,
      roles: roleOptions(lang, user.role),
      scopeUnits: scopeUnitOptions(units, user.scopeUnitCode),
      ...state,
    });
  }

  private async renderUsers(
    reply: FastifyReply,
    status: number,
    state: {
      notice?: string | null;
      form?: { email: string; role: Role; scopeUnit?: string };
      errors?: FieldError[];
    },
  ) {
    const lang = replyLanguage(reply);
    const [users, tokens, units] = await Promise.all([
      this.users.list(),
      this.auth.apiTokens(),
      this.users.units(),
    ]);
    const codes = new Map(units.map((u) => [u.id, u.code]));
    const form = state.form ?? { email: '', role: 'analyst' as Role };
    return reply.status(status).view('admin/users', {
      title: translate(lang, 'users.title'),
      nav: true,
      wide: true,
      users: users.map((u) => userRow(lang, mapUser(u, codes))),
      tokens,
      ...state,
      form,
      roles: roleOptions(lang, form.role),
      scopeUnits: scopeUnitOptions(units, form.scopeUnit),
    });
  }
}
