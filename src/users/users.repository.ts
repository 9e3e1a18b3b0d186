import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../common/driver-errors.js';
import { Db } from '../database/db.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { UserEntity } from '../database/schema/user.entity.js';

@Injectable()
export class UsersRepository {
  constructor(private readonly db: Db) {}

  count(): Promise<number> {
    return this.db.manager.count(UserEntity);
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.db.manager.findOneBy(UserEntity, { email });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.db.manager.findOneBy(UserEntity, { id });
  }

  list(): Promise<UserEntity[]> {
    return this.db.manager.find(UserEntity, { order: { email: 'ASC' } });
  }

  async insert(user: UserEntity): Promise<void> {
    try {
      await this.db.write((m) => m.insert(UserEntity, user).then(() => undefined));
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DomainError(ErrorCode.UserEmailTaken, 'A user with this email already exists');
      throw err;
    }
  }

  /** Creates the user only while the table is empty (first admin / setup page); false otherwise. */
  async insertIfNoUsers(user: UserEntity): Promise<boolean> {
    return this.db.write(async (m) => {
      if ((await m.count(UserEntity)) > 0) return false;
      await m.insert(UserEntity, user);
      return true;
    });
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.write((m) =>
      m.update(UserEntity, { id }, { passwordHash }).then(() => undefined),
    );
  }
}
