import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { looksLikeToken, sha256 } from '../common/crypto.js';
import { throttleAddress } from '../common/client-address.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { ThrottleRepository } from '../database/throttle.repository.js';
import type { InvitationTarget } from './invitations.repository.js';
import { mailLanguage } from './mail-templates.js';
import { UnsubscribeRepository } from './unsubscribe.repository.js';
import type { Language } from '../domain/language.js';

export interface UnsubscribeState {
  language: Language;
  optedOut: boolean;
}

/**
 * One-click opt-out with the token of any mail's link. Looking a token up never changes anything
 * (mail scanners prefetch links); only the POST does. Unknown tokens count against the client
 * address like survey links do (the same `token:ip:` counter).
 */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly repo: UnsubscribeRepository,
    private readonly throttle: ThrottleRepository,
    private readonly config: AppConfig,
  ) {}

  async state(token: string, clientIp: string): Promise<UnsubscribeState> {
    const target = await this.target(token, clientIp);
    return { language: languageOf(target), optedOut: target.contact.optedOut };
  }

  /** Opts the contact out (idempotent) and cancels their queued mails. */
  async optOut(token: string, clientIp: string): Promise<UnsubscribeState> {
    const target = await this.target(token, clientIp);
    await this.repo.optOut(target.contact.id, iso());
    return { language: languageOf(target), optedOut: true };
  }

  private async target(token: string, clientIp: string): Promise<InvitationTarget> {
    const target = looksLikeToken(token) ? await this.repo.findByTokenHash(sha256(token)) : null;
    if (target) return target;
    const env = this.config.env;
    const { allowed, retryAfter } = await this.throttle.take(
      [{ key: `token:ip:${throttleAddress(clientIp)}`, limit: env.TOKEN_MAX_FAILURES_PER_ADDRESS }],
      env.TOKEN_WINDOW_MINUTES * 60_000,
    );
    if (!allowed) {
      throw new DomainError(
        ErrorCode.TooManyInvalidLinks,
        'Too many invalid links',
        undefined,
        retryAfter,
      );
    }
    throw new DomainError(ErrorCode.LinkNotFound, 'Unsubscribe link not found');
  }
}

const languageOf = (t: InvitationTarget): Language =>
  mailLanguage(t.contact.language, t.campaign.languages);
