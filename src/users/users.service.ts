import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { newId } from '../common/crypto.js';
import { conflict, DomainError, ErrorCode, invalid, notFound } from '../common/domain-error.js';
import { isEmail, normaliseEmail } from '../common/text.js';
import { AppConfig } from '../config/app-config.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { MANAGER_MESSAGES, USER_MESSAGES } from './user-messages.js';
import { UsersRepository } from './users.repository.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import { isLanguage, LANGUAGES, type Language } from '../domain/language.js';
import type { Role } from '../domain/roles.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: string) => UUID.test(value);
const refused = (message: string) => conflict(message);

/** The setup page does not exist once any user does: the same 404 as an unknown page. */
const setupDone = () => new DomainError(ErrorCode.SetupDone, 'Not found');

/**
 * Accounts, and the first-admin rule: while no user exists, the first admin comes from
 * ADMIN_EMAIL + ADMIN_PASSWORD at start-up, or else from the setup page.
 */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly users: UsersRepository,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = this.config.env;
    if (ADMIN_EMAIL && ADMIN_PASSWORD) await this.insertFirstAdmin(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  /**
   * A new account. A unit manager needs `scopeUnitCode` (a unit of the organisation tree whose
   * subtree their reports are limited to); any other role refuses one.
   */
  async create(
    email: string,
    password: string,
    role: Role,
    scopeUnitCode?: string | null,
  ): Promise<UserEntity> {
    const user = await this.build(email, password, role);
    user.scopeUnitId = await this.scopeUnitFor(role, scopeUnitCode, null);
    await this.users.insert(user);
    return user;
  }

  /** The units a manager's scope may be chosen from (the live tree). */
  units() {
    return this.users.units();
  }

  /** The code of each unit id (a manager's scope unit in the API's terms). */
  async unitCodes(): Promise<Map<string, string>> {
    return new Map((await this.users.units()).map((u) => [u.id, u.code]));
  }

  /**
   * The scope unit id a user of `role` gets: managers the unit `code` names (else their current
   * one), others none. A manager without a scope unit is refused, as is a scope for another role.
   */
  private async scopeUnitFor(
    role: Role,
    code: string | null | undefined,
    current: string | null,
  ): Promise<string | null> {
    const given = code !== undefined && code !== null && code !== '';
    if (role !== 'manager') {
      if (given)
        throw invalid('Validation failed', [
          { field: 'scopeUnitCode', message: MANAGER_MESSAGES.scopeNotManager },
        ]);
      return null;
    }
    if (!given) {
      if (current) return current;
      throw invalid('Validation failed', [
        { field: 'scopeUnitCode', message: MANAGER_MESSAGES.scopeMissing },
      ]);
    }
    const unit = (await this.users.units()).find((u) => u.code === code);
    if (!unit)
      throw invalid('Validation failed', [
        { field: 'scopeUnitCode', message: MANAGER_MESSAGES.scopeUnknown },
      ]);
    return unit.id;
  }

  /** True while no user exists: sign-in is impossible, the setup page is the way in. */
  async needsSetup(): Promise<boolean> {
    return (await this.users.count()) === 0;
  }

  /** SETUP_DONE once any user exists. */
  async assertSetupOpen(): Promise<void> {
    if (!(await this.needsSetup())) throw setupDone();
  }

  /** The setup page's first admin; SETUP_DONE if a user exists (or appeared meanwhile). */
  async setUpFirstAdmin(email: string, password: string): Promise<UserEntity> {
    await this.assertSetupOpen();
    const user = await this.insertFirstAdmin(email, password);
    if (!user) throw setupDone();
    return user;
  }

  list(): Promise<UserEntity[]> {
    return this.users.list();
  }

  async get(id: string): Promise<UserEntity> {
    const user = isUuid(id) ? await this.users.findById(id) : null;
    if (!user) throw notFound('User');
    return user;
  }

  /** A new role; an admin cannot demote themselves, and the last active admin stays an admin. */
  changeRole(
    actor: UserEntity,
    id: string,
    role: Role,
    scopeUnitCode?: string | null,
  ): Promise<UserEntity> {
    return this.update(actor, id, { role, scopeUnitCode });
  }

  /** Disabled at once: the user's sessions and API tokens are deleted in the same transaction. */
  disable(actor: UserEntity, id: string): Promise<UserEntity> {
    return this.update(actor, id, { disabled: true });
  }

  /**
   * A new role and/or disabled state, applied together or not at all (PATCH /api/users/:id): one
   * transaction re-checks that an active admin remains. An admin cannot demote or disable
   * themselves.
   */
  async update(
    actor: UserEntity,
    id: string,
    change: { role?: Role; disabled?: boolean; scopeUnitCode?: string | null },
  ): Promise<UserEntity> {
    const user = await this.get(id);
    if (user.id === actor.id) {
      if (change.role !== undefined && change.role !== user.role)
        throw refused('You cannot change your own role: ask another admin.');
      if (change.disabled === true)
        throw refused(
          user.role === 'admin'
            ? 'You cannot disable yourself: ask another admin.'
            : 'You cannot disable yourself.',
        );
    }
    const role = change.role ?? user.role;
    const scopeUnitId = await this.scopeUnitFor(
      role,
      change.scopeUnitCode,
      role === 'manager' ? user.scopeUnitId : null,
    );
    const done = await this.users.changeAccount(
      user.id,
      { role: change.role, disabled: change.disabled, scopeUnitId },
      iso(),
    );
    if (done === 'missing') throw notFound('User');
    if (done === 'last-admin') throw refused(USER_MESSAGES.lastAdmin);
    return done;
  }

  /** Remembers the interface language a user chose; an unsupported one is a validation error. */
  async setLanguage(user: UserEntity, language: unknown): Promise<Language> {
    if (!isLanguage(language))
      throw invalid('Validation failed', [
        { field: 'lang', message: `lang must be one of ${LANGUAGES.join(', ')}` },
      ]);
    if (user.language !== language) await this.users.setLanguage(user.id, language);
    return language;
  }

  async enable(id: string): Promise<UserEntity> {
    const user = await this.get(id);
    await this.users.enable(user.id);
    return { ...user, disabledAt: null };
  }

  /** Deleted with their sessions and API tokens. */
  async remove(actor: UserEntity, id: string): Promise<void> {
    const user = await this.get(id);
    if (user.id === actor.id) throw refused('You cannot delete yourself.');
    if (user.role === 'admin') await this.keepAnAdmin(actor, user, 'delete yourself');
    await this.users.remove(user.id);
  }

  /**
   * The admin sets a temporary password and tells it to the user (who then changes it): every
   * session and API token of the user ends, so an old password or a stolen session stops working.
   */
  async resetPassword(id: string, password: string): Promise<UserEntity> {
    const user = await this.get(id);
    const problem = passwordProblem(password);
    if (problem) throw invalid('Validation failed', [{ field: 'password', message: problem }]);
    await this.users.setPassword(user.id, await hashPassword(password));
    return user;
  }

  /**
   * A signed-in user's own change: the current password is required; the user's other sessions
   * and API tokens end (the session in use, `keepSessionHash`, stays).
   */
  async changeOwnPassword(
    user: UserEntity,
    current: string,
    next: string,
    keepSessionHash?: string,
  ): Promise<void> {
    const errors = [];
    if (!(await verifyPassword(user.passwordHash, current)))
      errors.push({ field: 'current', message: 'The current password is not right.' });
    const problem = passwordProblem(next);
    if (problem) errors.push({ field: 'password', message: problem });
    if (errors.length) throw invalid('Validation failed', errors);
    await this.users.setPassword(user.id, await hashPassword(next), keepSessionHash);
  }

  /** Refuses what would leave no active admin, or lock the acting admin out of their own account. */
  private async keepAnAdmin(actor: UserEntity, user: UserEntity, what: string): Promise<void> {
    if (user.id === actor.id) throw refused(`You cannot ${what}: ask another admin.`);
    if (user.disabledAt === null && (await this.users.activeAdminCount()) <= 1)
      throw refused(USER_MESSAGES.lastAdmin);
  }

  /** Created only while the table is empty; undefined otherwise. */
  private async insertFirstAdmin(email: string, password: string): Promise<UserEntity | undefined> {
    const user = await this.build(email, password, 'admin');
    const created = await this.users.insertIfNoUsers(user);
    if (created) this.logger.log('first admin created');
    return created ? user : undefined;
  }

  private async build(email: string, password: string, role: Role): Promise<UserEntity> {
    const normalised = normaliseEmail(email);
    const errors = [];
    if (!isEmail(normalised))
      errors.push({ field: 'email', message: 'email must be a valid address' });
    const problem = passwordProblem(password);
    if (problem) errors.push({ field: 'password', message: problem });
    if (errors.length) throw invalid('Validation failed', errors);
    return {
      id: newId(),
      email: normalised,
      passwordHash: await hashPassword(password),
      role,
      createdAt: iso(),
      disabledAt: null,
      language: null,
      scopeUnitId: null,
    };
  }
}
