import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { iso, isoIn } from '../common/clock.js';
import { newToken, sha256 } from '../common/crypto.js';
import { throttleAddress } from '../common/client-address.js';
import { DomainError, ErrorCode, notFound } from '../common/domain-error.js';
import { normaliseEmail } from '../common/text.js';
import { ThrottleRepository } from '../database/throttle.repository.js';
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from '../users/passwords.js';
import { UsersRepository } from '../users/users.repository.js';
import { AuthRepository } from './auth.repository.js';
import type { UserEntity } from '../database/schema/user.entity.js';

const BAD_CREDENTIALS = 'Invalid email or password';
const TOKEN_ID_LENGTH = 16;

/** A disabled user is nobody: their sessions and tokens are deleted anyway, this is the backstop. */
const active = (user: UserEntity | null) => (user && user.disabledAt === null ? user : null);

export interface ApiTokenView {
  id: string;
  userId: string;
  email: string;
  createdAt: string;
  expiresAt: string;
}

export interface IssuedSecret {
  secret: string;
  expiresAt: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly auth: AuthRepository,
    private readonly throttle: ThrottleRepository,
  ) {}

  /**
   * Checks a password under three counters, all taken BEFORE the password is checked, each by one
   * statement that increments and returns the new count (so a burst cannot read one old count):
   * - per account and client address (`LOGIN_MAX_FAILURES_PER_ACCOUNT`): past it, 429 for that
   *   address only, so an attacker elsewhere cannot lock the account's owner out;
   * - per client address over all accounts (`LOGIN_MAX_FAILURES_PER_ADDRESS`): past it, 429;
   * - per account over all addresses: past `LOGIN_ACCOUNT_SLOW_AFTER` every attempt on the
   *   account waits `LOGIN_SLOW_DELAY_MS` before the check, and is never refused for it.
   * A successful sign-in clears its account-and-address counter and gives its own hit back to the
   * other two, so the counts are failures (and attempts in flight). Keys are the typed e-mail,
   * known or not, so the answers do not tell accounts apart.
   * The address is the socket's (or the configured proxy's view of it), so a forged
   * X-Forwarded-For changes nothing; an IPv6 address counts by its /64 (`throttleAddress`).
   */
  async verifyCredentials(email: string, password: string, clientIp: string): Promise<UserEntity> {
    const env = this.config.env;
    const normalised = normaliseEmail(String(email ?? ''));
    const account = sha256(normalised);
    const address = throttleAddress(clientIp);
    const keys = [
      `login:pair:${sha256(`${account} ${address}`)}`,
      `login:ip:${address}`,
      `login:acct:${account}`,
    ];
    const taken = await this.throttle.take(
      [
        { key: keys[0], limit: env.LOGIN_MAX_FAILURES_PER_ACCOUNT },
        { key: keys[1], limit: env.LOGIN_MAX_FAILURES_PER_ADDRESS },
        { key: keys[2] },
      ],
      env.LOGIN_WINDOW_MINUTES * 60_000,
    );
    if (!taken.allowed) {
      throw new DomainError(
        ErrorCode.LoginThrottled,
        'Too many failed sign-in attempts; try again later',
        undefined,
        taken.retryAfter,
      );
    }
    if (taken.hits[2] > env.LOGIN_ACCOUNT_SLOW_AFTER) await sleep(env.LOGIN_SLOW_DELAY_MS);
    const user = await this.users.findByEmail(normalised);
    const ok = user
      ? await verifyPassword(user.passwordHash, String(password ?? ''))
      : await dummyVerify(String(password ?? ''));
    // A disabled user gets the same answer as a wrong password (after the same work).
    if (!user || !ok || user.disabledAt !== null) {
      throw new DomainError(ErrorCode.InvalidCredentials, BAD_CREDENTIALS);
    }
    // The owner at this address starts afresh; the address and the account only get this
    // attempt's hit back (failures from elsewhere keep counting).
    await this.throttle.settle([keys[0]], [keys[1], keys[2]], taken.windowStart);
    if (needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await hashPassword(String(password)));
    }
    return user;
  }

  async issueApiToken(user: UserEntity): Promise<IssuedSecret> {
    const secret = newToken();
    const expiresAt = isoIn(this.config.env.API_TOKEN_TTL_HOURS * 3_600_000);
    await this.auth.insertApiToken({
      tokenHash: sha256(secret),
      userId: user.id,
      expiresAt,
      createdAt: iso(),
    });
    return { secret, expiresAt };
  }

  async userForApiToken(secret: string): Promise<UserEntity | null> {
    return active(await this.auth.userForApiToken(sha256(secret), iso()));
  }

  /**
   * The API tokens still valid. A token's id is the first 16 hex digits of its hash: enough to
   * name it, useless for signing in (the token itself is never stored).
   */
  async apiTokens(): Promise<ApiTokenView[]> {
    return (await this.auth.liveApiTokens(iso())).map((t) => ({
      id: t.tokenHash.slice(0, TOKEN_ID_LENGTH),
      userId: t.userId,
      email: t.email,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
    }));
  }

  async revokeApiToken(id: string): Promise<void> {
    const ok = new RegExp(`^[0-9a-f]{${TOKEN_ID_LENGTH}}$`).test(id);
    if (!ok || (await this.auth.revokeApiToken(id)) === 0) throw notFound('API token');
  }

  /** A new session id at every login (no fixation); the database keeps only its hash. */
  async startSession(user: UserEntity): Promise<IssuedSecret> {
    const secret = newToken();
    const now = new Date();
    const expiresAt = isoIn(this.config.env.SESSION_ABSOLUTE_HOURS * 3_600_000, now);
    await this.auth.insertSession({
      idHash: sha256(secret),
      userId: user.id,
      createdAt: iso(now),
      lastSeenAt: iso(now),
      expiresAt,
    });
    return { secret, expiresAt };
  }

  /** Resolves a session cookie; idle and absolute timeouts both end it. */
  async userForSession(secret: string): Promise<UserEntity | null> {
    const idHash = sha256(secret);
    const session = await this.auth.findSession(idHash);
    if (!session) return null;
    const now = new Date();
    const idleLimit =
      new Date(session.lastSeenAt).getTime() + this.config.env.SESSION_IDLE_MINUTES * 60_000;
    if (session.expiresAt <= iso(now) || idleLimit <= now.getTime()) {
      await this.auth.deleteSession(idHash);
      return null;
    }
    // Refresh the idle clock at most once a minute, not on every request.
    if (now.getTime() - new Date(session.lastSeenAt).getTime() > 60_000) {
      await this.auth.touchSession(idHash, iso(now));
    }
    return active(await this.users.findById(session.userId));
  }

  async endSession(secret: string): Promise<void> {
    await this.auth.deleteSession(sha256(secret));
  }
}
