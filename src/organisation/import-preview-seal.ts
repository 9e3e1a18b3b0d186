import { Injectable } from '@nestjs/common';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { newToken, sha256 } from '../common/crypto.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import type { TimeSlice } from '../common/time-slice.js';
import { Db } from '../database/db.js';

/**
 * "Import exactly what was previewed." The preview page carries, next to the CSV text, a seal the
 * server computed: `<issued-at ms>.<outcome>.<HMAC-SHA256(key, kind, issued-at, outcome, text)>`,
 * where `outcome` is a digest of what the preview said each line would do. Import recomputes the
 * MAC over the text that comes back: a text edited after the preview (or a seal that is missing,
 * forged or older than an hour) is refused before anything is read. Then the import plans again,
 * inside its transaction, and refuses (writing nothing) if the plan's outcome is not the sealed
 * one: the units or contacts changed meanwhile, so the file would now do something else than the
 * preview said. Nothing is kept on the server between the two steps, and the key is one
 * server-wide secret in the settings table, so any instance can check a seal another one issued.
 *
 * The text is compared with its line ends made uniform: browsers send a textarea back with CRLF,
 * and the importer treats CR, LF and CRLF alike anyway.
 */
export type ImportKind = 'units' | 'contacts';

export const SEAL_MAX_AGE_MS = 60 * 60 * 1000;

export type SealCheck = 'ok' | 'changed' | 'missing';

const canonical = (text: string) => text.replace(/\r\n?/g, '\n');

const mac = (key: string, kind: ImportKind, issuedAt: number, outcome: string, text: string) =>
  createHmac('sha256', key)
    .update(`${kind}\n${issuedAt}\n${outcome}\n`)
    .update(canonical(text))
    .digest('base64url');

/** What a plan does, line by line, as a short digest (what the preview showed, in brief). */
export function outcomeOf(plan: {
  lines: readonly { line: number; action: string; key: string }[];
  errors: readonly { line: number; message: string }[];
}): string {
  const lines = plan.lines.map((l) => [l.line, l.action, l.key]);
  const errors = plan.errors.map((e) => [e.line, e.message]);
  return sha256(JSON.stringify([lines, errors])).slice(0, 32);
}

/**
 * `outcomeOf` for a plan of 100,000 lines: the same digest, hashed piece by piece with pauses
 * (`JSON.stringify` of the whole plan held the event loop for tens of milliseconds; issue 10).
 */
export async function outcomeOfSliced(
  plan: Parameters<typeof outcomeOf>[0],
  slice: TimeSlice,
): Promise<string> {
  const hash = createHash('sha256').update('[[');
  let first = true;
  const put = (json: string) => {
    hash.update(first ? json : `,${json}`);
    first = false;
  };
  for (const l of plan.lines) {
    if (slice.due()) await slice.pause();
    put(JSON.stringify([l.line, l.action, l.key]));
  }
  hash.update('],[');
  first = true;
  for (const e of plan.errors) {
    if (slice.due()) await slice.pause();
    put(JSON.stringify([e.line, e.message]));
  }
  return hash.update(']]').digest('hex').slice(0, 32);
}

/** The seal of a previewed text and its outcome. Pure (the key and the time come in). */
export function sealText(
  key: string,
  kind: ImportKind,
  text: string,
  outcome: string,
  now: number,
): string {
  return `${now}.${outcome}.${mac(key, kind, now, outcome, text)}`;
}

/**
 * `ok` with the sealed outcome; `changed`: a well-formed, recent seal that does not fit this text
 * (the text was edited, or the seal was made for the other kind of import); `missing`: no seal, a
 * malformed one, or an old one.
 */
export function checkSeal(
  key: string,
  kind: ImportKind,
  text: string,
  seal: string | undefined,
  now: number,
): { status: SealCheck; outcome?: string } {
  const match =
    typeof seal === 'string'
      ? /^(\d{1,15})\.([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/.exec(seal)
      : null;
  if (!match) return { status: 'missing' };
  const issuedAt = Number(match[1]);
  if (issuedAt > now + 60_000 || now - issuedAt > SEAL_MAX_AGE_MS) return { status: 'missing' };
  const expected = Buffer.from(mac(key, kind, issuedAt, match[2], text));
  const given = Buffer.from(match[3]);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { status: 'ok', outcome: match[2] }
    : { status: 'changed' };
}

/**
 * An import whose text is not the one previewed (`changed`), that has no valid preview
 * (`missing`), or that would now do something else than its preview said (`stale`).
 */
export class PreviewMismatch extends DomainError {
  constructor(readonly reason: 'changed' | 'missing' | 'stale') {
    super(
      ErrorCode.Conflict,
      reason === 'changed'
        ? 'The CSV text was changed after the preview; nothing was imported'
        : reason === 'stale'
          ? 'The data changed since the preview; nothing was imported'
          : 'No valid preview for this import; nothing was imported',
    );
  }
}

/** Seals previews and checks them with the server-wide key (made on first use). */
@Injectable()
export class ImportPreviewSeal {
  constructor(private readonly db: Db) {}

  private key(): Promise<string> {
    return this.db.secret('csv_preview_hmac_key', newToken);
  }

  async seal(kind: ImportKind, text: string, outcome: string): Promise<string> {
    return sealText(await this.key(), kind, text, outcome, Date.now());
  }

  async check(
    kind: ImportKind,
    text: string,
    seal: string | undefined,
  ): Promise<{ status: SealCheck; outcome?: string }> {
    return checkSeal(await this.key(), kind, text, seal, Date.now());
  }
}
