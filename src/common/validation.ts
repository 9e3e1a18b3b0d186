import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { validateSync } from 'class-validator';
import type { FieldError } from './domain-error.js';

/** The strictness of every check: unknown fields refused at any depth, no input echoed back. */
const STRICT = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/** class-validator errors as field paths in the API's notation: `questions[2].text.it`. */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    // Array items as `questions[2]`, the same form the cross-field checks use.
    const field = !prefix
      ? e.property
      : /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field, message });
    if (e.children?.length) out.push(...fieldErrors(e.children, field));
  }
  return out;
}

/** Checks a DTO instance the way the global pipe does; the problems as field errors. */
export const validateStrictly = (dto: object): FieldError[] =>
  fieldErrors(validateSync(dto, STRICT));

/** The one validation style: strict DTOs, unknown fields refused, errors listed per field. */
export const strictValidationPipe = () =>
  new ValidationPipe({
    ...STRICT,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({ message: 'Validation failed', errors: fieldErrors(errors) }),
  });
