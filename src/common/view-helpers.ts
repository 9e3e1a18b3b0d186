import type HandlebarsNs from 'handlebars';
import { formatDateTime, formatNumber, formatPercent } from './format.js';
import { translate } from './messages.js';

/** A helper's language: an explicit argument, else the page's `lang`, else English. */
function pageLang(rest: unknown[]): string {
  const options = rest[rest.length - 1] as { data?: { root?: { lang?: unknown } } } | undefined;
  const explicit = rest.length > 1 ? rest[0] : undefined;
  const lang = explicit ?? options?.data?.root?.lang;
  return lang === 'it' ? 'it' : 'en';
}

/** Small, escaping-safe helpers for the views. None of them returns raw HTML from user data. */
export function registerViewHelpers(hb: typeof HandlebarsNs): void {
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  // Figures and dates in the page's language: `{{pct share}}` reads the page's `lang`
  // (`{{pct share lang}}` passes one), through the one formatter of src/common/format.ts.
  hb.registerHelper('date', (value: unknown, ...rest: unknown[]) =>
    typeof value === 'string' || value instanceof Date
      ? formatDateTime(value, pageLang(rest))
      : (value ?? ''),
  );
  hb.registerHelper('pct', (value: unknown, ...rest: unknown[]) =>
    typeof value === 'number' ? formatPercent(value, pageLang(rest)) : '–',
  );
  // Interface text from the message files (src/common/messages.ts), in the page's `lang`:
  // `{{t "common.nav.units"}}`, with placeholders from the hash: `{{t "x.sent" count=n}}`.
  // The result is escaped by Handlebars like any other value.
  hb.registerHelper('t', (key: unknown, ...rest: unknown[]) => {
    const options = rest[rest.length - 1] as { hash?: Record<string, unknown> };
    return translate(pageLang([options]) as 'en' | 'it', String(key), options.hash ?? {});
  });
  hb.registerHelper('num', (value: unknown, ...rest: unknown[]) =>
    typeof value === 'number' ? formatNumber(value, pageLang(rest)) : (value ?? ''),
  );
}
