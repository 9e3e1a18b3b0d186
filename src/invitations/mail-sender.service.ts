import { Injectable } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config.js';
import { mailAddress } from './mail-templates.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  /** The From display name (the organisation's sender name); the address is always MAIL_FROM's. */
  fromName?: string | null;
}

export type SendOutcome =
  | { kind: 'sent' }
  /** Try again later: SMTP 4xx, connection or timeout errors, authentication trouble. */
  | { kind: 'transient'; error: string }
  /** Do not try again: SMTP 5xx; `bounced` when the server refused the recipient. */
  | { kind: 'permanent'; bounced: boolean; error: string };

export const LAST_ERROR_MAX = 500;

/**
 * An error text fit for the outbox's last_error column and the admin page: one line, at most
 * LAST_ERROR_MAX characters, with no credentials (user:password@ in URLs) and no link tokens.
 */
export function cleanError(raw: unknown): string {
  const text = raw instanceof Error ? raw.message : String(raw ?? 'unknown error');
  const cleaned = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@')
    .replace(/[A-Za-z0-9_-]{43}/g, '***')
    .trim();
  return [...(cleaned || 'unknown error')].slice(0, LAST_ERROR_MAX).join('');
}

/** Decides from a nodemailer error whether to retry, give up, or mark the recipient bounced. */
export function classifySmtpError(err: unknown): SendOutcome {
  const e = (err ?? {}) as { responseCode?: number; code?: string };
  const error = cleanError(err);
  const status = typeof e.responseCode === 'number' ? e.responseCode : 0;
  // A refused login is a configuration problem the operator can fix: keep the mail queued.
  if (e.code === 'EAUTH') return { kind: 'transient', error };
  if (status >= 500 && status < 600) {
    return { kind: 'permanent', bounced: e.code === 'EENVELOPE', error };
  }
  return { kind: 'transient', error };
}

/** Nodemailer over SMTP_URL. Without SMTP_URL nothing is sent and mail stays in the outbox. */
@Injectable()
export class MailSender {
  private transporter?: Transporter;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.env.SMTP_URL);
  }

  async send(mail: OutgoingMail): Promise<SendOutcome> {
    try {
      await this.transport().sendMail({
        from: mail.fromName?.trim()
          ? { name: mail.fromName.trim(), address: mailAddress(this.config.env.MAIL_FROM) }
          : this.config.env.MAIL_FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        headers: mail.headers,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { kind: 'sent' };
    } catch (err) {
      return classifySmtpError(err);
    }
  }

  close(): void {
    this.transporter?.close();
    this.transporter = undefined;
  }

  private transport(): Transporter {
    if (!this.transporter) {
      this.transporter = nodemailer.createTransport({
        url: this.config.env.SMTP_URL,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
    }
    return this.transporter;
  }
}
