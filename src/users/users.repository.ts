import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../common/driver-errors.js';
import { Db } from '../database/db.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { ApiTokenEntity } from '../database/schema/api-token.entity.js';
import { SessionEntity } from '../database/schema/session.entity.js';
import { UserEntity } from '../database/schema/user.entity.js';
import { type EntityManager, IsNull } from 'typeorm';

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

  activeAdminCount(): Promise<number> {
    return this.db.manager.count(UserEntity, { where: { role: 'admin', disabledAt: IsNull() } });
  }

  async setRole(id: string, role: UserEntity['role']): Promise<void> {
    await this.db.write((m) => m.update(UserEntity, { id }, { role }).then(() => undefined));
  }

  /** Disabled, and in the same transaction every session and API token of the user is gone. */
  async disable(id: string, disabledAt: string): Promise<void> {
    await this.db.write(async (m) => {
      await m.update(UserEntity, { id }, { disabledAt });
      await revokeAll(m, id);
    });
  }

  async enable(id: string): Promise<void> {
    await this.db.write((m) =>
      m.update(UserEntity, { id }, { disabledAt: null }).then(() => undefined),
    );
  }

  /** Sessions and tokens go explicitly (not only through ON DELETE CASCADE, which SQLite may skip). */
  async remove(id: string): Promise<void> {
    await this.db.write(async (m) => {
      await revokeAll(m, id);
      await m.delete(UserEntity, { id });
    });
  }

  /** A new password hash; every session (but `keepSessionHash`) and API token of the user ends. */
  async setPassword(id: string, passwordHash: string, keepSessionHash?: string): Promise<void> {
    await this.db.write(async (m) => {
      await m.update(UserEntity, { id }, { passwordHash });
      await revokeAll(m, id, keepSessionHash);
    });
  }
}

async function revokeAll(m: EntityManager, userId: string, keepSessionHash?: string) {
  const sessions = m
    .createQueryBuilder()
    .delete()
    .from(SessionEntity)
    .where('user_id = :userId', { userId });
  if (keepSessionHash) sessions.andWhere('id_hash <> :keep', { keep: keepSessionHash });
  await sessions.execute();
  await m.delete(ApiTokenEntity, { userId });
}
