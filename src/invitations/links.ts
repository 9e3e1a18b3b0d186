import { newToken, sha256 } from '../common/crypto.js';
import type { InvitationLinkEntity } from '../database/schema/invitation-link.entity.js';

export interface IssuedLink {
  /** The raw token: goes into one response or one e-mail, never into the database. */
  token: string;
  row: InvitationLinkEntity;
}

/** A fresh personal link for an invitation; only the SHA-256 of its token is stored. */
export function issueLink(invitationId: string, createdAt: string): IssuedLink {
  const token = newToken();
  return { token, row: { tokenHash: sha256(token), invitationId, createdAt } };
}

export function chunked<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
