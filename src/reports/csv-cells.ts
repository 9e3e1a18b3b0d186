/**
 * Cells of the CSV export, safe to open in a spreadsheet (SECURITY.md G1/G2). Pure.
 *
 * Formula injection: a text cell whose first character is `=`, `+`, `-`, `@`, TAB, CR, LF or NUL —
 * or whose first non-blank character is one of `= + - @` after leading spaces/blanks — gets a
 * leading `'`. Every text cell and header goes through it (answers, unit codes, e-mails, keys).
 * Ratings are written as plain numbers: they are never negative, so no numeric cell can start with
 * `-` and no number needs the prefix.
 */
const DANGEROUS_START = /^[=+\-@\t\r\n\0]/;
const DANGEROUS_AFTER_BLANKS = /^[\s\0]+[=+\-@]/;

export function neutraliseCell(value: string): string {
  return DANGEROUS_START.test(value) || DANGEROUS_AFTER_BLANKS.test(value) ? `'${value}` : value;
}

/** A `filename="…"` value: no quotes, CR/LF, slashes or control characters; ASCII only. */
export function exportFileName(campaignName: string, suffix = 'responses.csv'): string {
  return `${fileBase(campaignName) || 'campaign'}-${suffix}`;
}

/** `<name>-<what>-<YYYY-MM-DD>.<ext>` (UTC date), the name sanitised as in `exportFileName`. */
export function datedFileName(name: string, what: string, ext: string, at = new Date()): string {
  const base = fileBase(name).replace(/^[-.=+@]+|[-.]+$/g, '');
  const date = at.toISOString().slice(0, 10);
  return `${base ? `${base}-` : ''}${what}-${date}.${ext}`;
}

function fileBase(campaignName: string): string {
  return campaignName
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\/:*?<>|;%]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
}
