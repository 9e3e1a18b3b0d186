import { Injectable, Logger } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { newId } from '../common/crypto.js';
import { invalid } from '../common/domain-error.js';
import { isEmail, normaliseEmail } from '../common/text.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { UsersRepository } from './users.repository.js';
import type { UserEntity } from '../database/schema/user.entity.js';
import type { Role } from '../domain/roles.js';

@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(private readonly users: UsersRepository) {}

  async create(email: string, password: string, role: Role): Promise<UserEntity> {
    const user = await this.build(email, password, role);
    await this.users.insert(user);
    return user;
  }

  /** The first admin: created only when no user exists yet. */
  async createFirstAdmin(email: string, password: string): Promise<UserEntity | undefined> {
    const user = await this.build(email, password, 'admin');
    const created = await this.users.insertIfNoUsers(user);
    if (created) this.logger.log('first admin created');
    return created ? user : undefined;
  }

  async hasUsers(): Promise<boolean> {
    return (await this.users.count()) > 0;
  }

  list(): Promise<UserEntity[]> {
    return this.users.list();
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
