import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { iso, isoDay } from '../common/clock.js';
import { looksLikeToken, newId, sha256 } from '../common/crypto.js';
import { throttleAddress } from '../common/client-address.js';
import { DomainError, ErrorCode, type FieldError, hasCode } from '../common/domain-error.js';
import { strings } from '../common/i18n.js';
import { ThrottleRepository } from '../database/throttle.repository.js';
import { Metrics } from '../common/metrics.js';
import { type AnswerableQuestion, checkAnswers, type Source } from './answer.rules.js';
import { type ResolvedLink, ResponsesRepository } from './responses.repository.js';
import type { Language } from '../domain/language.js';

/** The state of a survey link, as the respondent pages need it. */
export type LinkState =
  | { kind: 'open'; link: ResolvedLink; language: Language }
  | { kind: 'answered'; language: Language }
  | { kind: 'closed'; language: Language };

/** What became of a submission; every refusal knows the respondent's language for its page. */
export type SubmitOutcome =
  | { kind: 'submitted'; language: Language }
  /** Answers that break the questionnaire's rules: nothing stored, the form shows why. */
  | { kind: 'invalid'; link: ResolvedLink; language: Language; errors: FieldError[] }
  | { kind: 'answered'; language: Language }
  | { kind: 'closed'; language: Language }
  /** The link stopped resolving while the answers were checked (e.g. its contact was erased). */
  | { kind: 'notFound'; language: Language }
  /**
   * The database could not take the answers (locked by another process, disk full): nothing was
   * stored or claimed, the link still works; the form is shown again with the answers (503).
   */
  | { kind: 'unavailable'; link: ResolvedLink; language: Language; error: DomainError };

export type SubmitRefusal = Exclude<SubmitOutcome, { kind: 'submitted' }>;

const linkNotFound = () => new DomainError(ErrorCode.LinkNotFound, 'Survey link not found');

/** A refused submission as the API answers it. */
export function refusalError(refusal: SubmitRefusal): DomainError {
  switch (refusal.kind) {
    case 'invalid':
      return new DomainError(ErrorCode.Validation, 'Some answers need attention', refusal.errors);
    case 'answered':
      return new DomainError(ErrorCode.LinkAlreadyUsed, 'This survey link has already been used');
    case 'closed':
      return new DomainError(ErrorCode.SurveyClosed, 'This survey is not open');
    case 'notFound':
      return linkNotFound();
    case 'unavailable':
      return refusal.error;
  }
}

@Injectable()
export class ResponsesService {
  constructor(
    private readonly repo: ResponsesRepository,
    private readonly throttle: ThrottleRepository,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: Metrics,
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
      const { allowed, retryAfter } = await this.throttle.take(
        [
          {
            key: `token:ip:${throttleAddress(clientIp)}`,
            limit: env.TOKEN_MAX_FAILURES_PER_ADDRESS,
          },
        ],
        env.TOKEN_WINDOW_MINUTES * 60_000,
      );
      if (!allowed) {
        throw new DomainError(
          ErrorCode.TooManyInvalidLinks,
          'Too many invalid survey links',
          undefined,
          retryAfter,
        );
      }
      throw linkNotFound();
    }
    const language = pickLanguage(link, wantedLanguage);
    if (link.invitation.answered) return { kind: 'answered', language };
    if (!isOpen(link)) return { kind: 'closed', language };
    return { kind: 'open', link, language };
  }

  /** Records the first view of the form (status "opened"); never changes an answered link. */
  async markOpened(link: ResolvedLink): Promise<void> {
    if (link.invitation.status === 'created' || link.invitation.status === 'sent') {
      try {
        await this.repo.markOpened(link.invitation.id, iso());
      } catch (err) {
        // A database that cannot take writes just now (locked, disk full) still shows the form:
        // the status only feeds the progress figures, and the answers are what matters.
        if (!hasCode(err, [ErrorCode.Unavailable])) throw err;
      }
    }
  }

  /**
   * Validates and stores a submission exactly once. Anonymous campaigns store neither the invitation
   * nor a precise time on the response (the day only), so nothing re-links it to a person.
   * An unknown token throws (LINK_NOT_FOUND, TOO_MANY_INVALID_LINKS) like resolve() does.
   */
  async submit(
    token: string,
    answers: Record<string, unknown>,
    source: Source,
    clientIp: string,
    wantedLanguage?: string,
  ): Promise<SubmitOutcome> {
    const state = await this.resolve(token, clientIp, wantedLanguage);
    if (state.kind !== 'open') return state;
    const { link, language } = state;
    const t = strings(source === 'json' ? 'en' : language);
    const checked = checkAnswers(link.questions.map(toAnswerable), answers, source, t);
    if (checked.errors.length) return { kind: 'invalid', link, language, errors: checked.errors };
    const now = new Date();
    const anonymous = link.campaign.anonymous;
    const outcome = await this.repo
      .claimAndInsert({
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
        questions: link.questions,
      })
      .catch((err: unknown) => {
        if (hasCode(err, [ErrorCode.Unavailable])) return err;
        throw err;
      });
    if (outcome instanceof DomainError)
      return { kind: 'unavailable', link, language, error: outcome };
    if (outcome === 'claimed') {
      this.metrics?.answersAccepted.inc();
      return { kind: 'submitted', language };
    }
    return { kind: outcome === 'unknown' ? 'notFound' : outcome, language };
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
