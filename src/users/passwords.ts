import argon2 from 'argon2';
import { USER_MESSAGES } from './user-messages.js';

/** OWASP Password Storage Cheat Sheet minimum for argon2id: 19 MiB, 2 iterations, 1 lane. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export const needsRehash = (hash: string): boolean => argon2.needsRehash(hash, OPTIONS);

let dummy: Promise<string> | undefined;
/** Spends the same time as a real verify, so unknown e-mails cannot be told apart by timing. */
export async function dummyVerify(password: string): Promise<false> {
  dummy ??= hashPassword('specchio-dummy-password-for-timing');
  await verifyPassword(await dummy, password);
  return false;
}

/** Length rule only (NIST 800-63B): 12 to 256 characters, counted as code points. */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < 12) return USER_MESSAGES.passwordShort;
  if (length > 256) return USER_MESSAGES.passwordLong;
  return undefined;
}
