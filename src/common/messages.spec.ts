import {
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LANGUAGES } from '../domain/language.js';
import { fill, loadMessages, translate } from './messages.js';

const VIEWS = join(import.meta.dirname, '../../views');

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? templates(path) : name.endsWith('.hbs') ? [path] : [];
  });
}

describe('message files', () => {
  const all = loadMessages();

  it('every language has exactly the keys of English, none empty', () => {
    const english = Object.keys(all.en).sort();
    expect(english.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) {
      expect(Object.keys(all[lang]).sort()).toEqual(english);
      for (const [key, text] of Object.entries(all[lang]))
        expect([key, text.trim()]).not.toEqual([key, '']);
    }
  });

  it('every language uses the same placeholders in each message', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(all.en))
      for (const lang of LANGUAGES)
        expect([key, names(all[lang][key])]).toEqual([key, names(text)]);
  });

  it('every {{t "…"}} of every template names a message', () => {
    const used = templates(VIEWS).flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/\{\{t\s+"([^"]+)"/g)].map((m) => `${path}: ${m[1]}`),
    );
    expect(used.length).toBeGreaterThan(0);
    const missing = used.filter((entry) => !(entry.split(': ')[1] in all.en));
    expect(missing).toEqual([]);
  });

  it('nests areas and paths into dotted keys, fills placeholders, and refuses unknown keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'messages-'));
    for (const lang of LANGUAGES) {
      mkdirSync(join(dir, lang));
      writeFileSync(join(dir, lang, 'demo.json'), JSON.stringify({ a: { b: `${lang} {n}` } }));
    }
    expect(loadMessages(dir).it['demo.a.b']).toBe('it {n}');
    expect(fill('{n} of {total} {other}', { n: 3, total: 5 })).toBe('3 of 5 {other}');
    expect(translate('it', 'common.nav.units')).toBe('Unità');
    expect(() => translate('en', 'common.nav.nothing')).toThrow('no message "common.nav.nothing"');
  });

  it('refuses a message file whose leaves are not strings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'messages-'));
    for (const lang of LANGUAGES) {
      mkdirSync(join(dir, lang));
      writeFileSync(join(dir, lang, 'bad.json'), JSON.stringify({ a: 3 }));
    }
    expect(() => loadMessages(dir)).toThrow('"bad.a" must be a string');
  });
});
