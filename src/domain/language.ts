/** The languages the product speaks to respondents and users; the first is the default. */
export type Language = 'en' | 'it';
export const LANGUAGES: readonly Language[] = ['en', 'it'];
export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
