import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, type Language } from '../domain/language.js';

/**
 * The one i18n mechanism of the interface: message files `locales/<lang>/<area>.json`, read once.
 * A key is `<area>.<path>`: `{"nav": {"units": "Units"}}` in `locales/en/common.json` is
 * `common.nav.units`. `{name}` marks a placeholder. Every language has exactly the same keys
 * (a unit test checks it), so a missing translation is a failing test, never a blank on a page.
 */
export type Messages = Readonly<Record<string, string>>;

const LOCALES = join(
  import.meta.dirname,
  import.meta.dirname.includes('/dist/') ? '../../../locales' : '../../locales',
);

function flatten(prefix: string, value: unknown, into: Record<string, string>, file: string): void {
  if (typeof value === 'string') {
    into[prefix] = value;
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${file}: "${prefix}" must be a string or an object of strings`);
  for (const [key, inner] of Object.entries(value)) flatten(`${prefix}.${key}`, inner, into, file);
}

/** Every message file of every language, flattened. `dir` is for tests. */
export function loadMessages(dir: string = LOCALES): Record<Language, Messages> {
  const all = {} as Record<Language, Messages>;
  for (const lang of LANGUAGES) {
    const into: Record<string, string> = {};
    for (const file of readdirSync(join(dir, lang))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const path = join(dir, lang, file);
      flatten(file.slice(0, -'.json'.length), JSON.parse(readFileSync(path, 'utf8')), into, path);
    }
    all[lang] = Object.freeze(into);
  }
  return all;
}

let cache: Record<Language, Messages> | null = null;

/** The messages of one language (all areas). */
export function messages(lang: Language): Messages {
  cache ??= loadMessages();
  return cache[lang];
}

/** Fills `{name}` placeholders; an unknown placeholder is left as written. */
export function fill(template: string, vars: Readonly<Record<string, unknown>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars && vars[name] !== undefined && vars[name] !== null ? String(vars[name]) : whole,
  );
}

/** One message in one language. An unknown key throws: it is a defect, caught by the tests. */
export function translate(
  lang: Language,
  key: string,
  vars?: Readonly<Record<string, unknown>>,
): string {
  const template = messages(lang)[key];
  if (template === undefined) throw new Error(`no message "${key}" in "${lang}"`);
  return fill(template, vars);
}

/** The messages of one area with the area prefix removed: `area('en', 'common').nav.units`… flat. */
export function areaMessages(lang: Language, area: string): Messages {
  const prefix = `${area}.`;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(messages(lang)))
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}
