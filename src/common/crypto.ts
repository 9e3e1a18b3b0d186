import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A capability token: 32 random bytes, base64url (43 characters). */
export const newToken = (): string => randomBytes(32).toString('base64url');
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
export const newId = (): string => randomUUID();
/** Tokens are base64url of 32 bytes; anything else can be rejected without a database look-up. */
export const looksLikeToken = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);
