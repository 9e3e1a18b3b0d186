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
  const base = campaignName
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\/:*?<>|;%]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${base || 'campaign'}-${suffix}`;
}
