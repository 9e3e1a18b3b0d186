import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from './domain-error.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    // Array items as `questions[2]`, the same form the cross-field checks use.
    const field = !prefix
      ? e.property
      : /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`;
    if (e.constraints) {
      for (const message of Object.values(e.constraints)) out.push({ field, message });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** The one validation style: strict DTOs, unknown fields refused, errors listed per field. */
export const strictValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new BadRequestException({ message: 'Validation failed', errors: flatten(errors) }),
  });
