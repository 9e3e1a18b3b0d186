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

  async userForApiToken(tokenHash: string, now: string): Promise<UserEntity | null> {
    const token = await this.db.manager.findOneBy(ApiTokenEntity, { tokenHash });
    if (!token || token.expiresAt <= now) return null;
    return this.db.manager.findOneBy(UserEntity, { id: token.userId });
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
