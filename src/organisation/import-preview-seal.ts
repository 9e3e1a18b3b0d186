import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { newToken } from '../common/crypto.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { Db } from '../database/db.js';

/**
 * "Import exactly what was previewed." The preview page carries, next to the CSV text, a seal the
 * server computed: `<issued-at ms>.<HMAC-SHA256(key, kind, issued-at, text)>`. Import recomputes it
 * over the text that comes back; a text edited after the preview (or a seal that is missing,
 * forged or older than an hour) is refused before anything is read or written. Nothing is kept on
 * the server between the two steps, and the key is one server-wide secret in the settings table,
 * so any instance can check a seal another one issued.
 *
 * The text is compared with its line ends made uniform: browsers send a textarea back with CRLF,
 * and the importer treats CR, LF and CRLF alike anyway.
 */
export type ImportKind = 'units' | 'contacts';

export const SEAL_MAX_AGE_MS = 60 * 60 * 1000;

export type SealCheck = 'ok' | 'changed' | 'missing';

const canonical = (text: string) => text.replace(/\r\n?/g, '\n');

const mac = (key: string, kind: ImportKind, issuedAt: number, text: string) =>
  createHmac('sha256', key)
    .update(`${kind}\n${issuedAt}\n`)
    .update(canonical(text))
    .digest('base64url');

/** The seal of a previewed text. Pure (the key and the time come in). */
export function sealText(key: string, kind: ImportKind, text: string, now: number): string {
  return `${now}.${mac(key, kind, now, text)}`;
}

/**
 * `changed`: a well-formed, recent seal that does not fit this text (the text was edited, or the
 * seal was made for the other kind of import). `missing`: no seal, a malformed one, or an old one.
 */
export function checkSeal(
  key: string,
  kind: ImportKind,
  text: string,
  seal: string | undefined,
  now: number,
): SealCheck {
  const match = typeof seal === 'string' ? /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(seal) : null;
  if (!match) return 'missing';
  const issuedAt = Number(match[1]);
  if (issuedAt > now + 60_000 || now - issuedAt > SEAL_MAX_AGE_MS) return 'missing';
  const expected = Buffer.from(mac(key, kind, issuedAt, text));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'changed';
}

/** An import whose text is not the one previewed (`changed`), or that has no valid preview. */
export class PreviewMismatch extends DomainError {
  constructor(readonly reason: Exclude<SealCheck, 'ok'>) {
    super(
      ErrorCode.Conflict,
      reason === 'changed'
        ? 'The CSV text was changed after the preview; nothing was imported'
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

  async seal(kind: ImportKind, text: string): Promise<string> {
    return sealText(await this.key(), kind, text, Date.now());
  }

  async check(kind: ImportKind, text: string, seal: string | undefined): Promise<SealCheck> {
    return checkSeal(await this.key(), kind, text, seal, Date.now());
  }
}
