import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { type FieldError, invalid } from '../common/domain-error.js';
import { translate } from '../common/messages.js';
import { AppConfig } from '../config/app-config.js';
import {
  MailSettingsRepository,
  type OrganisationSettings,
  type StoredLogo,
} from '../invitations/mail-settings.repository.js';
import { mailAddress } from '../invitations/mail-templates.js';
import type { Language } from '../domain/language.js';
import { detectLogoType, logoProblem } from './logo.rules.js';

export const ORGANISATION_NAME_MAX = 120;
export const SENDER_NAME_MAX = 80;

/** The settings as pages and the API show them (never the logo's bytes). */
export interface SettingsView {
  organisationName: string | null;
  senderName: string | null;
  /** The address mails come from (MAIL_FROM's); the sender name only changes the display name. */
  senderAddress: string;
  logo: { type: string; updatedAt: string; url: string } | null;
}

export interface NamesInput {
  organisationName?: string | null;
  senderName?: string | null;
}

/** The public, versioned URL of the logo (a new logo gets a new URL, so caches never hide it). */
export const logoPath = (updatedAt: string): string =>
  `/brand/logo?v=${encodeURIComponent(updatedAt)}`;

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A name: trimmed, empty = not set; on one line and within `max` code points. */
function cleanName(raw: string | null | undefined, max: number): string | null | false {
  const value = (raw ?? '').trim();
  if (!value) return null;
  if (CONTROL.test(value) || [...value].length > max) return false;
  return value;
}

/** The organisation's name, sender name and logo. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly repo: MailSettingsRepository,
    private readonly config: AppConfig,
  ) {}

  async get(): Promise<SettingsView> {
    return this.view(await this.repo.settings());
  }

  /** Sets both names (an empty or missing one is cleared). */
  async saveNames(input: NamesInput, lang: Language): Promise<SettingsView> {
    const organisationName = cleanName(input.organisationName, ORGANISATION_NAME_MAX);
    const senderName = cleanName(input.senderName, SENDER_NAME_MAX);
    const errors: FieldError[] = [];
    if (organisationName === false)
      errors.push({
        field: 'organisationName',
        message: translate(lang, 'settings.errors.organisationName'),
      });
    if (senderName === false)
      errors.push({ field: 'senderName', message: translate(lang, 'settings.errors.senderName') });
    if (organisationName === false || senderName === false)
      throw invalid(errors[0].message, errors);
    await this.repo.saveNames({ organisationName, senderName }, iso());
    return this.get();
  }

  /** Stores an uploaded logo after checking its size and its magic bytes. */
  async saveLogo(bytes: Buffer | null, lang: Language): Promise<SettingsView> {
    const problem = bytes ? logoProblem(bytes) : 'missing';
    const type = bytes ? detectLogoType(bytes) : null;
    if (problem || !bytes || !type) {
      const message = translate(lang, `settings.errors.logo.${problem ?? 'notAnImage'}`);
      throw invalid(message, [{ field: 'logo', message }]);
    }
    await this.repo.saveLogo(bytes, type, iso());
    return this.get();
  }

  async removeLogo(): Promise<SettingsView> {
    await this.repo.saveLogo(null, null, iso());
    return this.get();
  }

  logo(): Promise<StoredLogo | null> {
    return this.repo.logo();
  }

  private view(s: OrganisationSettings): SettingsView {
    return {
      organisationName: s.organisationName,
      senderName: s.senderName,
      senderAddress: mailAddress(this.config.env.MAIL_FROM),
      logo:
        s.logoType && s.logoUpdatedAt
          ? { type: s.logoType, updatedAt: s.logoUpdatedAt, url: logoPath(s.logoUpdatedAt) }
          : null,
    };
  }
}
