import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { iso, isoDay } from '../common/clock.js';
import { looksLikeToken, newId, sha256 } from '../common/crypto.js';
import { DomainError, ErrorCode, type FieldError } from '../common/domain-error.js';
import { strings } from '../common/i18n.js';
import { ThrottleRepository } from '../database/throttle.repository.js';
import { type AnswerableQuestion, checkAnswers, type Source } from './answer.rules.js';
import {
  claimError,
  ClaimRefused,
  FAULT_MARKER,
  type ResolvedLink,
  ResponsesRepository,
} from './responses.repository.js';
import type { Language } from '../domain/language.js';

/** The state of a survey link, as the respondent pages need it. */
export type LinkState =
  | { kind: 'open'; link: ResolvedLink; language: Language }
  | { kind: 'answered'; language: Language }
  | { kind: 'closed'; language: Language };

/** A refused link that knows the respondent's language, so its page can be shown in it. */
export class LinkRefused extends DomainError {
  constructor(
    cause: DomainError,
    readonly language: Language,
  ) {
    super(cause.code, cause.message);
  }
}

export class SubmissionRejected extends DomainError {
  constructor(
    readonly fieldErrors: FieldError[],
    readonly link: ResolvedLink,
    readonly language: Language,
  ) {
    super(ErrorCode.Validation, 'Some answers need attention', fieldErrors);
  }
}

@Injectable()
export class ResponsesService {
  constructor(
    private readonly repo: ResponsesRepository,
    private readonly throttle: ThrottleRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Resolves a token. Unknown tokens count against the client address; past the limit the answer is
   * 429. A valid token is always served and never resets the counter (an attacker holding one valid
   * link must not be able to keep guessing).
   */
  async resolve(token: string, clientIp: string, wantedLanguage?: string): Promise<LinkState> {
    const link = looksLikeToken(token) ? await this.repo.resolve(sha256(token)) : null;
    if (!link) {
      const env = this.config.env;
      const { hits, retryAfter } = await this.throttle.hit(
        `token:ip:${clientIp}`,
        env.TOKEN_WINDOW_MINUTES * 60_000,
      );
      if (hits > env.TOKEN_MAX_FAILURES_PER_ADDRESS) {
        throw new DomainError(
          ErrorCode.RateLimited,
          'Too many invalid survey links',
          undefined,
          retryAfter,
        );
      }
      throw new DomainError(ErrorCode.NotFound, 'Survey link not found');
    }
    const language = pickLanguage(link, wantedLanguage);
    if (link.invitation.answered) return { kind: 'answered', language };
    if (!isOpen(link)) return { kind: 'closed', language };
    return { kind: 'open', link, language };
  }

  /** Records the first view of the form (status "opened"); never changes an answered link. */
  async markOpened(link: ResolvedLink): Promise<void> {
    if (link.invitation.status === 'created' || link.invitation.status === 'sent') {
      await this.repo.markOpened(link.invitation.id, iso());
    }
  }

  /**
   * Validates and stores a submission exactly once. Anonymous campaigns store neither the invitation
   * nor a precise time on the response (the day only), so nothing re-links it to a person.
   */
  async submit(
    token: string,
    answers: Record<string, unknown>,
    source: Source,
    clientIp: string,
    wantedLanguage?: string,
  ): Promise<{ language: Language }> {
    const state = await this.resolve(token, clientIp, wantedLanguage);
    if (state.kind === 'answered') throw new LinkRefused(claimError('answered'), state.language);
    if (state.kind === 'closed') throw new LinkRefused(claimError('closed'), state.language);
    const { link, language } = state;
    const t = strings(source === 'json' ? 'en' : language);
    const checked = checkAnswers(link.questions.map(toAnswerable), answers, source, t);
    if (checked.errors.length) throw new SubmissionRejected(checked.errors, link, language);
    const now = new Date();
    const anonymous = link.campaign.anonymous;
    const injectFault =
      this.config.env.TEST_FAULTS && checked.rows.some((r) => r.textValue === FAULT_MARKER);
    try {
      await this.repo.claimAndInsert(
        {
          id: newId(),
          invitationId: link.invitation.id,
          campaignId: link.campaign.id,
          unitId: link.contact.unitId,
          linkedInvitationId: anonymous ? null : link.invitation.id,
          language,
          submittedAt: anonymous ? isoDay(now) : iso(now),
          answeredAt: anonymous ? isoDay(now) : iso(now),
          now: iso(now),
          answers: checked.rows,
        },
        injectFault,
      );
    } catch (err) {
      if (err instanceof ClaimRefused) throw new LinkRefused(claimError(err.reason), language);
      throw err;
    }
    return { language };
  }
}

export function toAnswerable(q: {
  key: string;
  type: AnswerableQuestion['type'];
  required: boolean;
  multiple: boolean;
  optionsJson: string | null;
}): AnswerableQuestion {
  const options = q.optionsJson
    ? (JSON.parse(q.optionsJson) as Array<{ value: string }>).map((o) => o.value)
    : [];
  return { key: q.key, type: q.type, required: q.required, multiple: q.multiple, options };
}

function isOpen(link: ResolvedLink): boolean {
  const c = link.campaign;
  return c.status === 'open' && (c.closesAt === null || c.closesAt > iso());
}

/** `?lang=` if the campaign has it, else the contact's language if the campaign has it, else the first. */
export function pickLanguage(link: ResolvedLink, wanted?: string): Language {
  const available = link.campaign.languages.split(',') as Language[];
  if (wanted && available.includes(wanted as Language)) return wanted as Language;
  if (available.includes(link.contact.language)) return link.contact.language;
  return available[0];
}
