import { Injectable } from '@nestjs/common';
import { isForeignKeyViolation, isUniqueViolation } from '../common/driver-errors.js';
import { Db } from '../database/db.js';
import { ADVISORY_LOCK } from '../database/advisory-locks.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { ApiTokenEntity } from '../database/schema/api-token.entity.js';
import { SessionEntity } from '../database/schema/session.entity.js';
import { UnitEntity } from '../database/schema/unit.entity.js';
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
      if (isForeignKeyViolation(err)) throw scopeUnitGone();
      throw err;
    }
  }

  /**
   * Creates the user only while the table is empty (first admin / setup page); false otherwise.
   * On PostgreSQL two instances starting together would both count no user and both insert: an
   * advisory transaction lock makes the count and the insert one step (SQLite's writers are
   * serialised already).
   */
  async insertIfNoUsers(user: UserEntity): Promise<boolean> {
    return this.db.write(async (m) => {
      if (m.connection.options.type === 'postgres')
        await m.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK.firstAdmin]);
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

  /** The live unit tree (id, code, name, parent): a manager's scope unit is chosen from it. */
  async units(): Promise<Array<Pick<UnitEntity, 'id' | 'code' | 'name' | 'parentId'>>> {
    return this.db.manager.find(UnitEntity, {
      select: { id: true, code: true, name: true, parentId: true },
      order: { code: 'ASC' },
    });
  }

  activeAdminCount(): Promise<number> {
    return this.db.manager.count(UserEntity, { where: { role: 'admin', disabledAt: IsNull() } });
  }

  /** The interface language the user chose (null: follow the browser). */
  async setLanguage(id: string, language: string | null): Promise<void> {
    await this.db.write((m) => m.update(UserEntity, { id }, { language }).then(() => undefined));
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

  /**
   * PATCH /api/users/:id in one transaction: the new role and disabled state are written by one
   * UPDATE, and the "an active admin remains" rule is checked inside the same transaction (on
   * PostgreSQL the active admins' rows are locked first, so two concurrent demotions cannot both
   * see two admins; on SQLite writes are serialised by Db.write). A newly disabled user's sessions
   * and API tokens go in the same transaction. Nothing is written when the rule refuses.
   */
  async changeAccount(
    id: string,
    change: { role?: UserEntity['role']; disabled?: boolean; scopeUnitId?: string | null },
    now: string,
  ): Promise<UserEntity | 'missing' | 'last-admin'> {
    return this.db
      .write(async (m) => {
        const admins = m
          .createQueryBuilder(UserEntity, 'u')
          .select('u.id')
          .where("u.role = 'admin' AND u.disabled_at IS NULL")
          .orderBy('u.id');
        if (!this.db.isSqlite) admins.setLock('pessimistic_write');
        const activeAdmins = (await admins.getMany()).map((u) => u.id);
        const target = m.createQueryBuilder(UserEntity, 'u').where('u.id = :id', { id });
        if (!this.db.isSqlite) target.setLock('pessimistic_write');
        const user = await target.getOne();
        if (!user) return 'missing';
        const role = change.role ?? user.role;
        const disabledAt =
          change.disabled === undefined
            ? user.disabledAt
            : change.disabled
              ? (user.disabledAt ?? now)
              : null;
        const leaves = activeAdmins.includes(id) && (role !== 'admin' || disabledAt !== null);
        if (leaves && activeAdmins.length <= 1) return 'last-admin';
        const scopeUnitId =
          change.scopeUnitId === undefined ? (user.scopeUnitId ?? null) : change.scopeUnitId;
        if (
          role !== user.role ||
          disabledAt !== user.disabledAt ||
          scopeUnitId !== (user.scopeUnitId ?? null)
        )
          await m.update(UserEntity, { id }, { role, disabledAt, scopeUnitId });
        if (disabledAt !== null && user.disabledAt === null) await revokeAll(m, id);
        return { ...user, role, disabledAt, scopeUnitId };
      })
      .catch((err: unknown) => {
        if (isForeignKeyViolation(err)) throw scopeUnitGone();
        throw err;
      });
  }
}

/** The chosen scope unit was deleted meanwhile (the foreign key refused the write). */
const scopeUnitGone = () =>
  new DomainError(ErrorCode.Validation, 'Validation failed', [
    { field: 'scopeUnitCode', message: 'No unit has this code' },
  ]);

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
