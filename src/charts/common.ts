/**
 * Shared pieces of the chart view models. A chart builder returns numbers, strings and colours
 * only; the Handlebars templates draw the SVG with escaped `{{ }}` expressions, so no unit name or
 * question text can ever become markup.
 */
import { formatNumber } from '../common/format.js';

/** Coordinates are rounded to 0.1 px: small pages, stable snapshots, no visible difference. */
export const px = (v: number): number => Math.round(v * 10) / 10;

export interface Tick {
  /** Position along the axis, in SVG user units. */
  pos: number;
  label: string;
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Frame {
  width: number;
  height: number;
  /** The plotting area inside the margins. */
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export const frame = (width: number, height: number, m: Margin): Frame => ({
  width,
  height,
  left: m.left,
  top: m.top,
  right: width - m.right,
  bottom: height - m.bottom,
});

/**
 * Colour-blind-safe palette (Okabe & Ito, 2008), darkened where needed for ≥ 3:1 contrast on white
 * for graphical objects. Internal = blue, external = vermillion throughout the report pages.
 */
export const PALETTE = {
  internal: '#0b63a6',
  external: '#c2410c',
  neutral: '#4b5563',
  grid: '#e5e7eb',
  axis: '#6b7280',
  line: '#111827',
  muted: '#9ca3af',
  /** Drivers: significant after Benjamini–Hochberg. */
  strong: '#0b63a6',
  /** Drivers: not significant. */
  weak: '#a5c3de',
} as const;

/** Formats a number for the page language; null/undefined/non-finite become an en dash. */
export { formatNumber };

/** A p-value as people read it: "< 0.001" below a thousandth, else three decimals. */
export function formatP(p: number | null | undefined, lang: string): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  if (p < 0.001) return `< ${formatNumber(0.001, lang, 3, 3)}`;
  return formatNumber(p, lang, 3, 3);
}

/** Truncates a long label for an axis; the full text stays in the table and the `<title>`. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** Splits a label into at most `lines` lines of about `width` characters (word boundaries). */
export function wrap(text: string, width: number, lines = 2): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let current = '';
  for (const word of words) {
    if (!current) current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      out.push(current);
      current = word;
    }
  }
  if (current) out.push(current);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  kept[lines - 1] = shorten(`${kept[lines - 1]} ${out.slice(lines).join(' ')}`, width);
  return kept;
}

/**
 * Assumed advance widths, in em, of the widest common sans-serif UI font at weight 600 (DejaVu Sans
 * Bold, which Chromium on Linux draws for system-ui; Segoe UI and Roboto are narrower), rounded
 * up: a line measured here fits when drawn. Regular weight: 93 %.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if (/[\s il.,:;'!|jI]/.test(ch)) em += 0.4;
    else if (/[ftr()[\]\-–?]/.test(ch)) em += 0.55;
    else if (/[a-z«»“”‘’]/.test(ch)) em += 0.74;
    else if (/[A-LN-VX-Z0-9#&$]/.test(ch)) em += 0.87;
    else if (/\p{L}/u.test(ch) && ch.normalize('NFD').length > 1) em += 0.87;
    else em += 1.12;
  }
  return em * fontSize * (bold ? 1 : 0.93);
}

/**
 * Splits a title into at most `lines` lines, none wider than `maxWidth` at `fontSize`
 * (textWidth). Words longer than a line are cut; what does not fit ends in "…" on the last line
 * (the full title goes to the figure caption).
 */
export function fitLines(
  text: string,
  maxWidth: number,
  fontSize: number,
  lines = 2,
  bold = false,
): string[] {
  const fits = (s: string) => textWidth(s, fontSize, bold) <= maxWidth;
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let current = '';
  const push = (word: string) => {
    // A word wider than a line is split into pieces that fit.
    let rest = word;
    while (!fits(rest)) {
      const chars = [...rest];
      let n = chars.length - 1;
      while (n > 1 && !fits(chars.slice(0, n).join(''))) n--;
      out.push(chars.slice(0, n).join(''));
      rest = chars.slice(n).join('');
    }
    current = rest;
  };
  for (const word of words) {
    if (!current) push(word);
    else if (fits(`${current} ${word}`)) current += ` ${word}`;
    else {
      out.push(current);
      push(word);
    }
  }
  if (current) out.push(current);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  let last = `${kept[lines - 1]} ${out.slice(lines).join(' ')}`;
  const chars = [...last];
  let n = chars.length;
  while (n > 1 && !fits(`${chars.slice(0, n).join('').trimEnd()}…`)) n--;
  last = `${chars.slice(0, n).join('').trimEnd()}…`;
  kept[lines - 1] = last;
  return kept;
}
