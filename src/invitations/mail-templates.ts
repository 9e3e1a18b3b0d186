import handlebars from 'handlebars';
import { strings } from '../common/i18n.js';
import { LANGUAGES, type Language } from '../domain/language.js';

export type MailKind = 'invitation' | 'reminder';

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
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export const SUBJECT_MAX = 300;

/** Mail-only wording; the page strings (opt-out, anonymity notes) come from common/i18n. */
const MAIL_STRINGS = {
  en: {
    greeting: 'Hello,',
    greetingNamed: 'Hello {name},',
    invitationIntro:
      'We would like to hear about your experience. Please answer our short survey "{campaign}".',
    reminderIntro:
      'A short reminder: we have not yet received your answers to our survey "{campaign}". It takes only a few minutes.',
    openSurvey: 'Open the survey',
    personal: 'This link is personal: please do not forward this e-mail.',
    closes: 'The survey is open until {date}.',
    thanks: 'Thank you for your time.',
    unsubscribe: 'To stop receiving survey invitations from us, open this link:',
    unsubscribeLink: 'Unsubscribe',
    reminderSubject: 'Reminder: {campaign}',
    fallbackSubject: 'Survey',
    locale: 'en-GB',
  },
  it: {
    greeting: 'Gentile destinatario,',
    greetingNamed: 'Gentile {name},',
    invitationIntro:
      'Ci farebbe piacere conoscere la sua esperienza. La invitiamo a rispondere al breve sondaggio "{campaign}".',
    reminderIntro:
      'Un breve promemoria: non abbiamo ancora ricevuto le sue risposte al sondaggio "{campaign}". Bastano pochi minuti.',
    openSurvey: 'Apri il sondaggio',
    personal: 'Questo link è personale: la preghiamo di non inoltrare questa e-mail.',
    closes: 'Il sondaggio resta aperto fino al {date}.',
    thanks: 'Grazie per il suo tempo.',
    unsubscribe: 'Per non ricevere più inviti ai nostri sondaggi, apra questo link:',
    unsubscribeLink: 'Annulla iscrizione',
    reminderSubject: 'Promemoria: {campaign}',
    fallbackSubject: 'Sondaggio',
    locale: 'it-IT',
  },
} as const;

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
<p>{{greeting}}</p>
<p>{{introBefore}}<strong>{{campaign}}</strong>{{introAfter}}</p>
<p><a href="{{surveyUrl}}">{{openSurvey}}</a></p>
<p>{{surveyUrl}}</p>
<p>{{personal}}</p>
<p>{{note}}</p>
{{#if closes}}<p>{{closes}}</p>
{{/if}}<p>{{thanks}}</p>
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
  `{{greeting}}

{{intro}}

{{openSurvey}}:
{{surveyUrl}}

{{personal}}
{{note}}
{{#if closes}}{{closes}}
{{/if}}
{{thanks}}

--
{{unsubscribe}}
{{unsubscribeUrl}}
`,
  { strict: true, noEscape: true },
);

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

export function composeMail(input: MailInput): ComposedMail {
  const s = MAIL_STRINGS[input.language] ?? MAIL_STRINGS.en;
  const page = strings(input.language);
  const campaign = cleanSubject(input.campaignName, s.fallbackSubject);
  const subject = cleanSubject(
    input.kind === 'reminder' ? fill(s.reminderSubject, { campaign }) : campaign,
    s.fallbackSubject,
  );
  const introTemplate = input.kind === 'reminder' ? s.reminderIntro : s.invitationIntro;
  const [introBefore, introAfter] = introTemplate.split('{campaign}');
  const name = input.contactName?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const date = closingDate(input.closesAt, s.locale);
  const view = {
    language: input.language,
    subject,
    greeting: name ? fill(s.greetingNamed, { name }) : s.greeting,
    intro: `${introBefore}${campaign}${introAfter ?? ''}`,
    introBefore,
    introAfter: introAfter ?? '',
    campaign,
    openSurvey: s.openSurvey,
    surveyUrl: input.surveyUrl,
    personal: s.personal,
    note: input.anonymous ? page.anonymousNote : page.identifiedNote,
    closes: date ? fill(s.closes, { date }) : '',
    thanks: s.thanks,
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
