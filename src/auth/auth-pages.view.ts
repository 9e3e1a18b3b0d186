import { translate } from '../common/messages.js';
import { isLanguage, LANGUAGES, type Language } from '../domain/language.js';
import { safeNext } from './auth.dto.js';

/** "English · Italiano" on the pages without a user: the same page with `?lang=`. */
export interface LanguageLink {
  code: Language;
  label: string;
  href: string;
  current: boolean;
}

function address(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function languageLinks(
  path: string,
  params: Record<string, string | undefined>,
  lang: Language,
): LanguageLink[] {
  return LANGUAGES.map((code) => ({
    code,
    label: translate(code, `common.languageName.${code}`),
    href: address(path, { ...params, lang: code }),
    current: code === lang,
  }));
}

/**
 * The sign-in page: its title, the form's action (which keeps `next` and a language chosen with
 * `?lang=`, so a refusal is shown in the same language) and the language links.
 */
export function loginView(lang: Language, next: unknown, chosen: unknown) {
  const target = safeNext(next);
  const keep = isLanguage(chosen) ? chosen : undefined;
  return {
    title: translate(lang, 'auth.login.title'),
    action: address('/login', { next: target, lang: keep }),
    languageLinks: languageLinks(
      '/login',
      { next: target === '/admin' ? undefined : target },
      lang,
    ),
  };
}

/** The first-admin page, with the same language links and a form that keeps `?lang=`. */
export function setupView(lang: Language, chosen: unknown) {
  return {
    title: translate(lang, 'auth.setup.title'),
    action: address('/setup', { lang: isLanguage(chosen) ? chosen : undefined }),
    languageLinks: languageLinks('/setup', {}, lang),
  };
}
