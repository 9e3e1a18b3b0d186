import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Text we accept anywhere: no NUL bytes (PostgreSQL cannot store them), no lone surrogates. */
export function isCleanText(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('\u0000') && value.isWellFormed();
}

export function IsCleanText(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCleanText',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be text without NUL bytes or lone surrogates`,
        ...options,
      },
      validator: { validate: (v: unknown) => v === undefined || v === null || isCleanText(v) },
    });
}

/** Length in code points, so an emoji counts as one character. */
export const codePointLength = (s: string): number => [...s].length;

/** E-mail addresses are compared trimmed and lower-cased. */
export const normaliseEmail = (email: string): string =>
  email.trim().normalize('NFC').toLowerCase();

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
export const isEmail = (email: string): boolean => email.length <= 320 && EMAIL.test(email);

/** No CR/LF in anything that may end up in a mail header. */
export const isSingleLine = (s: string): boolean => !/[\r\n]/.test(s);
