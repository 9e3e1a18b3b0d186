import {
  type DomainError,
  type ErrorCode,
  type FieldError,
  hasCode,
  STATUS_OF,
} from './domain-error.js';

/**
 * An HTML form post. `action` does the work and answers (a redirect: Post/Redirect/Get). When it
 * fails with a domain error the form can show (one of `shown`), `rerender` answers instead: the
 * same form under the code's status, the user's input kept and the errors listed. Any other error
 * goes on to the error filter.
 */
export async function formPost<T>(
  action: () => Promise<T>,
  shown: readonly ErrorCode[],
  rerender: (error: DomainError, status: number) => T | Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (!hasCode(err, shown)) throw err;
    return rerender(err, STATUS_OF[err.code]);
  }
}

/** The errors a form lists: the error's own field errors, else its message against `field`. */
export const formErrors = (error: DomainError, field: string): FieldError[] =>
  error.errors?.length ? error.errors : [{ field, message: error.message }];
