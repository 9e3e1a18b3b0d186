import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * "No strings in templates": every human-readable word of a page comes from the message files
 * through `{{t "…"}}` (src/common/messages.ts). This spec reads every template under views/,
 * removes what is not human text and fails on any letter left, naming the file and the words.
 */
const VIEWS = join(import.meta.dirname, '../../views');

/** Attributes whose value people read (or hear): they must be `{{t}}` like the text. */
const HUMAN_ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt'];

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? templates(path) : name.endsWith('.hbs') ? [path] : [];
  });
}

/** Statistical notation (n, r, p, R) reads the same in every language: it is not a word. */
const SYMBOLS = new Set(['n', 'r', 'p', 'R']);
const words = (text: string): string[] =>
  (text.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? []).filter((word) => !SYMBOLS.has(word));

/** The words of a template that do not come from a message, in order of appearance. */
export function hardCodedWords(source: string): string[] {
  let text = source
    // Comments of Handlebars and HTML.
    .replace(/\{\{!--[\s\S]*?--\}\}/g, ' ')
    .replace(/\{\{![\s\S]*?\}\}/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ');
  const left: string[] = [];
  // Attribute values people read: only expressions may fill them.
  const attributes = new RegExp(
    `\\s(?:${HUMAN_ATTRIBUTES.join('|')})="((?:\\{\\{[\\s\\S]*?\\}\\}|[^"])*)"`,
    'g',
  );
  for (const match of text.matchAll(attributes))
    left.push(...words(match[1].replace(/\{\{[\s\S]*?\}\}/g, ' ')));
  text = text
    // Expressions ({{{raw}}} first), then scripts and styles, code (commands, paths, variable
    // names are not translated), tags with all their attributes, and entities.
    .replace(/\{\{\{[\s\S]*?\}\}\}/g, ' ')
    .replace(/\{\{[\s\S]*?\}\}/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<code\b[^>]*>[\s\S]*?<\/code>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi, ' ');
  left.push(...words(text));
  return left;
}

describe('templates hold no hard-coded text', () => {
  const all = templates(VIEWS).map((path) => relative(VIEWS, path).split('\\').join('/'));
  const checked = all;

  it('finds the templates, and checks most of them', () => {
    expect(checked.length).toBeGreaterThan(10);
    expect(checked).toEqual(expect.arrayContaining(['layouts/main.hbs', 'partials/head.hbs']));
  });

  it('every word of every checked template comes from {{t}}', () => {
    const offenders = checked
      .map((name) => ({ name, words: hardCodedWords(readFileSync(join(VIEWS, name), 'utf8')) }))
      .filter((entry) => entry.words.length > 0)
      .map((entry) => `views/${entry.name}: ${entry.words.join(' ')}`);
    expect(offenders).toEqual([]);
  });

  it('sees text, human attributes and words next to expressions, and ignores the rest', () => {
    expect(hardCodedWords('<h1>Users</h1>')).toEqual(['Users']);
    expect(hardCodedWords('<button aria-label="Retry {{to}}">{{t "x.retry"}}</button>')).toEqual([
      'Retry',
    ]);
    expect(hardCodedWords('<img alt="{{t "x.logo"}}" src="/a.png" class="big logo">')).toEqual([]);
    expect(hardCodedWords('<input placeholder="name@example.com">')).toEqual([
      'name',
      'example',
      'com',
    ]);
    expect(hardCodedWords('{{t "a.b"}}, {{num n}} – 12 %<br>')).toEqual([]);
    expect(hardCodedWords('{{#if x}}{{else}}Nothing{{/if}}')).toEqual(['Nothing']);
    expect(
      hardCodedWords('{{!-- a note --}}<!-- html note --><code>SMTP_URL</code>&nbsp;'),
    ).toEqual([]);
    expect(hardCodedWords('<p>{{t "a"}} page {{page}}</p>')).toEqual(['page']);
    expect(hardCodedWords('<style>.a { color: red }</style>')).toEqual([]);
  });
});
