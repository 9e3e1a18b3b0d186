import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { newId } from '../common/crypto.js';
import { DomainError, ErrorCode, invalid } from '../common/domain-error.js';
import { isEmail, normaliseEmail } from '../common/text.js';
import { AppConfig } from '../config/app-config.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { UsersRepository } from './users.repository.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import type { Role } from '../domain/roles.js';

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

  async create(email: string, password: string, role: Role): Promise<UserEntity> {
    const user = await this.build(email, password, role);
    await this.users.insert(user);
    return user;
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
    };
  }
}
