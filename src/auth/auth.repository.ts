import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';
import { ApiTokenEntity } from '../database/schema/api-token.entity.js';
import { SessionEntity } from '../database/schema/session.entity.js';
import { UserEntity } from '../database/schema/user.entity.js';

@Injectable()
export class AuthRepository {
  constructor(private readonly db: Db) {}

  async insertApiToken(token: ApiTokenEntity): Promise<void> {
    await this.db.write((m) => m.insert(ApiTokenEntity, token).then(() => undefined));
  }

  /** The owner of a live token: ONE indexed read per API request (the token's primary key). */
  userForApiToken(tokenHash: string, now: string): Promise<UserEntity | null> {
    return this.db.manager
      .createQueryBuilder(UserEntity, 'u')
      .innerJoin(ApiTokenEntity, 't', 't.userId = u.id')
      .where('t.tokenHash = :tokenHash AND t.expiresAt > :now', { tokenHash, now })
      .getOne();
  }

  /** The API tokens still valid, newest first, with their owner's e-mail (never a hash). */
  async liveApiTokens(now: string): Promise<Array<ApiTokenEntity & { email: string }>> {
    const rows = await this.db.manager
      .createQueryBuilder(ApiTokenEntity, 't')
      .innerJoin(UserEntity, 'u', 'u.id = t.userId')
      .select('t.tokenHash', 'tokenHash')
      .addSelect('t.userId', 'userId')
      .addSelect('t.createdAt', 'createdAt')
      .addSelect('t.expiresAt', 'expiresAt')
      .addSelect('u.email', 'email')
      .where('t.expiresAt > :now', { now })
      .orderBy('t.createdAt', 'DESC')
      .getRawMany<ApiTokenEntity & { email: string }>();
    return rows;
  }

  /** Deletes the tokens whose hash starts with `prefix` (a listed token's id); how many went. */
  async revokeApiToken(prefix: string): Promise<number> {
    return this.db.write(async (m) => {
      const result = await m
        .createQueryBuilder()
        .delete()
        .from(ApiTokenEntity)
        .where('token_hash LIKE :prefix', { prefix: `${prefix}%` })
        .execute();
      return result.affected ?? 0;
    });
  }

  async insertSession(session: SessionEntity): Promise<void> {
    await this.db.write((m) => m.insert(SessionEntity, session).then(() => undefined));
  }

  findSession(idHash: string): Promise<SessionEntity | null> {
    return this.db.manager.findOneBy(SessionEntity, { idHash });
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    await this.db.write((m) =>
      m.update(SessionEntity, { idHash }, { lastSeenAt }).then(() => undefined),
    );
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.write((m) => m.delete(SessionEntity, { idHash }).then(() => undefined));
  }

  /** Housekeeping: expired sessions and tokens are of no use to anyone. */
  async purgeExpired(now: string): Promise<void> {
    await this.db.write(async (m) => {
      await m
        .createQueryBuilder()
        .delete()
        .from(SessionEntity)
        .where('expires_at <= :now', { now })
        .execute();
      await m
        .createQueryBuilder()
        .delete()
        .from(ApiTokenEntity)
        .where('expires_at <= :now', { now })
        .execute();
    });
  }
}
