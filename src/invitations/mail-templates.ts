import handlebars from 'handlebars';
import { strings } from '../common/i18n.js';
import { LANGUAGES, type Language } from '../domain/language.js';

export type MailKind = 'invitation' | 'reminder';
export const MAIL_KINDS: readonly MailKind[] = ['invitation', 'reminder'];

/** A subject and a plain-text body with {placeholders}: built in, or a campaign's own. */
export interface MailText {
  subject: string;
  body: string;
}

/** What a survey e-mail says; every value is escaped by Handlebars in the HTML part. */
export interface MailInput {
  kind: MailKind;
  language: Language;
  campaignName: string;
  anonymous: boolean;
  closesAt: string | null;
  contactName: string | null;
  surveyUrl: string;
  unsubscribeUrl: string;
  /** The campaign's own text for this kind and language; the built-in one when absent. */
  text?: MailText | null;
  organisationName?: string | null;
  /** Absolute URL of the organisation's logo, shown at the top of the HTML part. */
  logoUrl?: string | null;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export const SUBJECT_MAX = 300;
export const BODY_MAX = 5000;

/** The placeholders a body may use; the subject may use SUBJECT_PLACEHOLDERS only. */
export const BODY_PLACEHOLDERS = [
  'greeting',
  'name',
  'campaign',
  'link',
  'closes',
  'organisation',
] as const;
export const SUBJECT_PLACEHOLDERS = ['campaign', 'organisation', 'name'] as const;
/** Without it the respondent could not answer: every body must carry it. */
export const LINK_PLACEHOLDER = 'link';

/** Mail-only wording; the page strings (opt-out, anonymity notes) come from common/i18n. */
const MAIL_STRINGS = {
  en: {
    greeting: 'Hello,',
    greetingNamed: 'Hello {name},',
    closes: 'The survey is open until {date}.',
    unsubscribe: 'To stop receiving survey invitations from us, open this link:',
    unsubscribeLink: 'Unsubscribe',
    fallbackSubject: 'Survey',
    locale: 'en-GB',
  },
  it: {
    greeting: 'Gentile destinatario,',
    greetingNamed: 'Gentile {name},',
    closes: 'Il sondaggio resta aperto fino al {date}.',
    unsubscribe: 'Per non ricevere più inviti ai nostri sondaggi, apra questo link:',
    unsubscribeLink: 'Annulla iscrizione',
    fallbackSubject: 'Sondaggio',
    locale: 'it-IT',
  },
} as const;

/** The built-in texts (what every mail said before campaigns could have their own). */
const DEFAULT_TEXTS: Record<Language, Record<MailKind, MailText>> = {
  en: {
    invitation: {
      subject: '{campaign}',
      body: `{greeting}

We would like to hear about your experience. Please answer our short survey "{campaign}".

Open the survey:
{link}

This link is personal: please do not forward this e-mail.
{closes}

Thank you for your time.
{organisation}`,
    },
    reminder: {
      subject: 'Reminder: {campaign}',
      body: `{greeting}

A short reminder: we have not yet received your answers to our survey "{campaign}". It takes only a few minutes.

Open the survey:
{link}

This link is personal: please do not forward this e-mail.
{closes}

Thank you for your time.
{organisation}`,
    },
  },
  it: {
    invitation: {
      subject: '{campaign}',
      body: `{greeting}

Ci farebbe piacere conoscere la sua esperienza. La invitiamo a rispondere al breve sondaggio "{campaign}".

Apri il sondaggio:
{link}

Questo link è personale: la preghiamo di non inoltrare questa e-mail.
{closes}

Grazie per il suo tempo.
{organisation}`,
    },
    reminder: {
      subject: 'Promemoria: {campaign}',
      body: `{greeting}

Un breve promemoria: non abbiamo ancora ricevuto le sue risposte al sondaggio "{campaign}". Bastano pochi minuti.

Apri il sondaggio:
{link}

Questo link è personale: la preghiamo di non inoltrare questa e-mail.
{closes}

Grazie per il suo tempo.
{organisation}`,
    },
  },
};

export function defaultMailText(language: Language, kind: MailKind): MailText {
  return { ...(DEFAULT_TEXTS[language] ?? DEFAULT_TEXTS.en)[kind] };
}

/** What is wrong with a text an admin wrote; `placeholder` names the offending one. */
export interface MailTextProblem {
  part: 'subject' | 'body';
  problem: 'empty' | 'tooLong' | 'linkMissing' | 'unknownPlaceholder';
  placeholder?: string;
}

const PLACEHOLDER = /\{([^{}\s]*)\}/g;

/** Checks a campaign's own text: both parts present, the link in the body, known placeholders. */
export function mailTextProblems(text: MailText): MailTextProblem[] {
  const problems: MailTextProblem[] = [];
  const check = (
    part: 'subject' | 'body',
    value: string,
    allowed: readonly string[],
    max: number,
  ) => {
    if (!value.trim()) problems.push({ part, problem: 'empty' });
    else if ([...value].length > max) problems.push({ part, problem: 'tooLong' });
    const seen = new Set<string>();
    for (const [, key] of value.matchAll(PLACEHOLDER)) {
      if (allowed.includes(key) || seen.has(key)) continue;
      seen.add(key);
      problems.push({ part, problem: 'unknownPlaceholder', placeholder: key });
    }
  };
  check('subject', text.subject, SUBJECT_PLACEHOLDERS, SUBJECT_MAX);
  check('body', text.body, BODY_PLACEHOLDERS, BODY_MAX);
  if (text.body.trim() && !text.body.includes(`{${LINK_PLACEHOLDER}}`))
    problems.push({ part: 'body', problem: 'linkMissing', placeholder: LINK_PLACEHOLDER });
  return problems;
}

/** Line ends as \n, no trailing blanks: what is stored and compared with the built-in text. */
export const normaliseBody = (body: string): string =>
  body
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();

// A private Handlebars environment: no helpers or partials from the page renderer leak in.
const hb = handlebars.create();

const HTML = hb.compile(
  `<!doctype html>
<html lang="{{language}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{subject}}</title>
</head>
<body>
{{#if logoUrl}}<p><img src="{{logoUrl}}" alt="{{organisation}}" style="max-height:64px;max-width:240px"></p>
{{/if}}{{#each paragraphs}}<p>{{{this}}}</p>
{{/each}}<p>{{note}}</p>
<hr>
<p><small>{{unsubscribe}} <a href="{{unsubscribeUrl}}">{{unsubscribeLink}}</a></small></p>
</body>
</html>
`,
  { strict: true },
);

// Plain text needs no HTML escaping; the unsubscribe URL is deliberately the last line
// (listUnsubscribeHeaders() finds it there).
const TEXT = hb.compile(
  `{{body}}

{{note}}

--
{{unsubscribe}}
{{unsubscribeUrl}}
`,
  { strict: true, noEscape: true },
);

/** The address of a From setting: "Name <a@b>" or a bare "a@b". */
export function mailAddress(from: string): string {
  const match = /<([^<>\s]+)>\s*$/.exec(from);
  return (match ? match[1] : from).trim();
}

/** The contact's language when the campaign offers it, else the campaign's first language. */
export function mailLanguage(contactLanguage: string, campaignLanguages: string): Language {
  const offered = campaignLanguages
    .split(',')
    .map((l) => l.trim())
    .filter((l): l is Language => (LANGUAGES as readonly string[]).includes(l));
  if ((offered as string[]).includes(contactLanguage)) return contactLanguage as Language;
  return offered[0] ?? 'en';
}

/**
 * One line, no control characters (CR/LF would inject headers), at most SUBJECT_MAX code points.
 * Bidi overrides are dropped too: they can disguise a subject in a mail client's list.
 */
export function cleanSubject(raw: string, fallback: string): string {
  const flat = raw
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = [...(flat || fallback)].slice(0, SUBJECT_MAX).join('');
  return cut.trim();
}

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

// Built once: constructing an Intl formatter costs more than composing the rest of a mail.
const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

function closingDate(closesAt: string | null, locale: string): string | null {
  if (!closesAt) return null;
  const d = new Date(closesAt);
  if (Number.isNaN(d.getTime())) return null;
  let format = DATE_FORMATS.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    DATE_FORMATS.set(locale, format);
  }
  return format.format(d);
}

/** One line of user text: no control characters, single spaces. */
const oneLine = (raw: string | null | undefined): string =>
  (raw ?? '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The HTML of a plain-text body: every character escaped, paragraphs at blank lines, line breaks
 * kept, and the survey link made clickable (nothing else the text says becomes markup).
 */
function paragraphsOf(body: string, surveyUrl: string): string[] {
  const url = hb.escapeExpression(surveyUrl);
  const anchor = `<a href="${url}">${url}</a>`;
  return body
    .split(/\n{2,}/)
    .map((p) => hb.escapeExpression(p).split(url).join(anchor).replace(/\n/g, '<br>\n'));
}

export function composeMail(input: MailInput): ComposedMail {
  const s = MAIL_STRINGS[input.language] ?? MAIL_STRINGS.en;
  const page = strings(input.language);
  const own = input.text ?? defaultMailText(input.language, input.kind);
  const campaign = cleanSubject(input.campaignName, s.fallbackSubject);
  const organisation = oneLine(input.organisationName);
  const name = oneLine(input.contactName);
  const date = closingDate(input.closesAt, s.locale);
  const values: Record<string, string> = {
    greeting: name ? fill(s.greetingNamed, { name }) : s.greeting,
    name,
    campaign,
    link: input.surveyUrl,
    closes: date ? fill(s.closes, { date }) : '',
    organisation,
  };
  const subject = cleanSubject(fill(own.subject, values), s.fallbackSubject);
  // Placeholders that come out empty (no closing date, no organisation) leave no blank lines.
  const body = normaliseBody(fill(normaliseBody(own.body), values)).replace(/\n{3,}/g, '\n\n');
  const view = {
    language: input.language,
    subject,
    body,
    paragraphs: paragraphsOf(body, input.surveyUrl),
    logoUrl: input.logoUrl ?? '',
    organisation,
    note: input.anonymous ? page.anonymousNote : page.identifiedNote,
    unsubscribe: s.unsubscribe,
    unsubscribeLink: s.unsubscribeLink,
    unsubscribeUrl: input.unsubscribeUrl,
  };
  return { subject, text: TEXT(view), html: HTML(view) };
}

const UNSUBSCRIBE_LINE = /^(https?:\/\/[^\s<>"]+?)\/unsubscribe\/([A-Za-z0-9_-]{43})$/;
const SURVEY_LINE = /^(https?:\/\/[^\s<>"]+?\/s\/[A-Za-z0-9_-]{43})$/m;

/**
 * RFC 2369 / RFC 8058 headers for a stored message. Only hashes of tokens are kept apart from the
 * message itself, so the one-click URL is rebuilt from the unsubscribe link on the text part's
 * last line (user text such as the campaign name comes earlier and cannot take its place).
 */
export function listUnsubscribeHeaders(bodyText: string | null): Record<string, string> {
  const lastLine = bodyText?.trimEnd().split('\n').pop() ?? '';
  const match = UNSUBSCRIBE_LINE.exec(lastLine.trim());
  if (!match) return {};
  return {
    'List-Unsubscribe': `<${match[1]}/api/unsubscribe/${match[2]}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/** The survey link in a stored message, for the offline outbox page. */
export function surveyLinkIn(bodyText: string | null): string | null {
  const match = bodyText ? SURVEY_LINE.exec(bodyText) : null;
  return match ? match[1] : null;
}
