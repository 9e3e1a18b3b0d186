import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { looksLikeToken, sha256 } from '../common/crypto.js';
import { throttleAddress } from '../common/client-address.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { ThrottleRepository } from '../database/throttle.repository.js';
import type { InvitationTarget } from './invitations.repository.js';
import { mailLanguage } from './mail-templates.js';
import { type OptOutTokenKind, UnsubscribeRepository } from './unsubscribe.repository.js';
import type { Language } from '../domain/language.js';

export interface UnsubscribeState {
  language: Language;
  optedOut: boolean;
}

/**
 * Opt-out with a mail's own unsubscribe token (its unsubscribe link and List-Unsubscribe header).
 * Looking a token up never changes anything (mail scanners prefetch links); only the POST does.
 *
 * Which tokens each door takes (issue 10): the RFC 8058 one-click POST, which mail gateways call
 * on their own, takes only unsubscribe tokens. The unsubscribe page (a button, then a
 * CSRF-protected POST by a person) also takes a survey token, so the unsubscribe links of mails
 * sent before the upgrade, which carried the survey token, keep working; whoever holds a survey
 * token can answer anyway, so this grants nothing new. An unsubscribe token never opens or
 * answers the survey (the survey looks tokens up in invitation_links only).
 *
 * Unknown tokens count against the client address like survey links do (`token:ip:`).
 */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly repo: UnsubscribeRepository,
    private readonly throttle: ThrottleRepository,
    private readonly config: AppConfig,
  ) {}

  /** The page's view of a token: unsubscribe tokens, and survey tokens of mails sent before. */
  async state(token: string, clientIp: string): Promise<UnsubscribeState> {
    const target = await this.target(token, clientIp, PAGE_TOKENS);
    return { language: languageOf(target), optedOut: target.contact.optedOut };
  }

  /** The page's confirmed opt-out (idempotent): cancels the contact's queued mails. */
  async optOut(token: string, clientIp: string): Promise<UnsubscribeState> {
    return this.optOutWith(token, clientIp, PAGE_TOKENS);
  }

  /** RFC 8058 one-click (mail gateways): an unsubscribe token only, never a survey token. */
  async oneClick(token: string, clientIp: string): Promise<UnsubscribeState> {
    return this.optOutWith(token, clientIp, ['unsubscribe']);
  }

  private async optOutWith(
    token: string,
    clientIp: string,
    kinds: readonly OptOutTokenKind[],
  ): Promise<UnsubscribeState> {
    const target = await this.target(token, clientIp, kinds);
    await this.repo.optOut(target.contact.id, iso());
    return { language: languageOf(target), optedOut: true };
  }

  private async target(
    token: string,
    clientIp: string,
    kinds: readonly OptOutTokenKind[],
  ): Promise<InvitationTarget> {
    if (looksLikeToken(token)) {
      const hash = sha256(token);
      for (const kind of kinds) {
        const target = await this.repo.findByTokenHash(hash, kind);
        if (target) return target;
      }
    }
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

const PAGE_TOKENS: readonly OptOutTokenKind[] = ['unsubscribe', 'survey'];

const languageOf = (t: InvitationTarget): Language =>
  mailLanguage(t.contact.language, t.campaign.languages);
