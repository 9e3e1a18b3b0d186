/** Text that goes into logs: never an e-mail address (issue 10: logs carry no token, e-mail or answer). */

/**
 * `text` with every e-mail address replaced by `<address>`: SMTP replies quote the recipient, and
 * database errors quote the values of a violated key.
 */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>()"',;:=]+@[^\s<>()"',;:=]+/g, '<address>');
}
