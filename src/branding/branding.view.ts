import type { FieldError } from '../common/domain-error.js';
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import { BODY_PLACEHOLDERS, SUBJECT_PLACEHOLDERS } from '../invitations/mail-templates.js';
import {
  type CampaignMailTexts,
  type LanguagePreview,
  mailField,
} from './campaign-mail.service.js';
import type { SettingsView } from './settings.service.js';

const SETTINGS_NOTICES = ['saved', 'logo', 'logoRemoved'] as const;
const MAIL_NOTICES = ['saved', 'reset'] as const;

/** The notice after a redirect (?done=…), or null for an unknown key. */
export function settingsNotice(lang: Language, key: string | undefined): string | null {
  return SETTINGS_NOTICES.includes(key as never)
    ? translate(lang, `settings.notices.${key}`)
    : null;
}

export function mailNotice(lang: Language, key: string | undefined): string | null {
  return MAIL_NOTICES.includes(key as never) ? translate(lang, `mail.notices.${key}`) : null;
}

/** /admin/settings: the names form (the input kept after an error) and the logo. */
export function settingsPage(
  lang: Language,
  settings: SettingsView,
  o: {
    form?: { organisationName: string; senderName: string };
    errors?: FieldError[];
    notice?: string | null;
  } = {},
) {
  const errors = o.errors ?? [];
  const errorOf = (field: string) => errors.filter((e) => e.field === field).map((e) => e.message);
  return {
    title: translate(lang, 'settings.title'),
    nav: true,
    lang,
    notice: o.notice ?? null,
    errors: errors.map((e) => ({ ...e, anchor: `settings-${e.field}` })),
    form: o.form ?? {
      organisationName: settings.organisationName ?? '',
      senderName: settings.senderName ?? '',
    },
    organisationNameErrors: errorOf('organisationName'),
    senderNameErrors: errorOf('senderName'),
    logoErrors: errorOf('logo'),
    senderAddress: settings.senderAddress,
    logo: settings.logo
      ? {
          url: settings.logo.url,
          alt: settings.organisationName ?? translate(lang, 'settings.logo.current'),
        }
      : null,
  };
}

/** The meaning of each placeholder, in the page's language. */
const PLACEHOLDER_KEYS: Record<(typeof BODY_PLACEHOLDERS)[number], string> = {
  greeting: 'mail.placeholders.greeting',
  name: 'mail.placeholders.nameValue',
  campaign: 'mail.placeholders.campaign',
  link: 'mail.placeholders.link',
  closes: 'mail.placeholders.closes',
  organisation: 'mail.placeholders.organisation',
};

/**
 * /admin/campaigns/:id/mail: one fieldset per language and kind (the input kept after an error,
 * each field's errors beside it), the placeholders, and the previews of the saved texts.
 */
export function campaignMailPage(
  lang: Language,
  texts: CampaignMailTexts,
  previews: LanguagePreview[],
  o: {
    input?: Record<string, string | undefined>;
    errors?: FieldError[];
    notice?: string | null;
  } = {},
) {
  const errors = o.errors ?? [];
  const errorOf = (field: string) => errors.filter((e) => e.field === field).map((e) => e.message);
  const languageName = (l: string) => translate(lang, `common.languageName.${l}`);
  return {
    title: translate(lang, 'mail.title'),
    nav: true,
    wide: true,
    lang,
    notice: o.notice ?? null,
    errors: errors.map((e) => ({ ...e, anchor: `mail-${e.field}` })),
    campaign: { id: texts.campaignId, name: texts.campaignName },
    editable: texts.editable,
    placeholders: BODY_PLACEHOLDERS.map((p) => ({
      code: `{${p}}`,
      meaning: translate(lang, PLACEHOLDER_KEYS[p]),
    })),
    subjectPlaceholders: SUBJECT_PLACEHOLDERS.map((p) => `{${p}}`).join(', '),
    texts: texts.texts.map((t) => {
      const subjectField = mailField('subject', t.language, t.kind);
      const bodyField = mailField('body', t.language, t.kind);
      return {
        legend: translate(lang, 'mail.legend', {
          kind: translate(lang, `mail.kind.${t.kind}`),
          language: languageName(t.language),
        }),
        language: t.language,
        subjectField,
        bodyField,
        subject: o.input?.[subjectField] ?? t.subject,
        body: o.input?.[bodyField] ?? t.body,
        custom: t.custom,
        reset: `${t.language}_${t.kind}`,
        subjectErrors: errorOf(subjectField),
        bodyErrors: errorOf(bodyField),
      };
    }),
    previews: previews.map((p) => ({
      heading: translate(lang, 'mail.preview.heading', { language: languageName(p.language) }),
      intro: translate(lang, 'mail.preview.intro', { language: languageName(p.language) }),
      language: p.language,
      mails: p.mails.map((m) => ({
        kind: translate(lang, `mail.kind.${m.kind}`),
        from: m.from,
        subject: m.subject,
        text: m.text,
      })),
    })),
  };
}
