import { newToken, sha256 } from '../common/crypto.js';
import type { InvitationLinkEntity } from '../database/schema/invitation-link.entity.js';
import type { UnsubscribeLinkEntity } from '../database/schema/unsubscribe-link.entity.js';

/** The two raw tokens of one mail: its survey link and its opt-out link. */
export interface MailTokens {
  /** Opens and answers the survey. */
  token: string;
  /** Opts the contact out (the mail's unsubscribe link and List-Unsubscribe); never answers. */
  unsubscribeToken: string;
}

/** The stored side of a mail's tokens: their hashes. */
export interface LinkRows {
  survey: InvitationLinkEntity;
  unsubscribe: UnsubscribeLinkEntity;
}

export interface IssuedLink extends MailTokens {
  /** The raw tokens go into one response or one e-mail, never into the database. */
  rows: LinkRows;
}

/**
 * A fresh personal link for an invitation and a separate opt-out token for the same mail; only
 * the SHA-256 of each is stored, in different tables, so neither can stand in for the other.
 */
export function issueLink(invitationId: string, createdAt: string): IssuedLink {
  const token = newToken();
  const unsubscribeToken = newToken();
  return {
    token,
    unsubscribeToken,
    rows: {
      survey: { tokenHash: sha256(token), invitationId, createdAt },
      unsubscribe: { tokenHash: sha256(unsubscribeToken), invitationId, createdAt },
    },
  };
}

export function chunked<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
