/**
 * The users service's refusals: the English sentence is the API's message; the account pages show
 * the message `users.errors.<key>` in the page's language instead (userErrorKey finds it).
 */
export const USER_MESSAGES = {
  emailInvalid: 'email must be a valid address',
  passwordShort: 'password must be at least 12 characters',
  passwordLong: 'password must be at most 256 characters',
  currentWrong: 'The current password is not right.',
  emailTaken: 'A user with this email already exists',
  selfDisable: 'You cannot disable yourself.',
  selfDelete: 'You cannot delete yourself.',
  selfRole: 'You cannot change your own role: ask another admin.',
  selfDisableAdmin: 'You cannot disable yourself: ask another admin.',
  selfDeleteAdmin: 'You cannot delete yourself: ask another admin.',
  lastAdmin: 'This is the last active admin; make another user an admin first.',
} as const;
export type UserMessage = keyof typeof USER_MESSAGES;

/** The unit managers' refusals (issue 9); pages show `managers.errors.<key>`. */
export const MANAGER_MESSAGES = {
  scopeMissing: 'A unit manager needs a scope unit: choose the unit whose results they see.',
  scopeUnknown: 'No unit has this code',
  scopeNotManager: 'Only a unit manager has a scope unit.',
} as const;

/** The message key of one of the sentences above, if it is one. */
export const userErrorKey = (message: string): string | undefined => {
  const key = (Object.keys(USER_MESSAGES) as UserMessage[]).find(
    (k) => USER_MESSAGES[k] === message,
  );
  if (key) return `users.errors.${key}`;
  const managerKey = (Object.keys(MANAGER_MESSAGES) as Array<keyof typeof MANAGER_MESSAGES>).find(
    (k) => MANAGER_MESSAGES[k] === message,
  );
  return managerKey ? `managers.errors.${managerKey}` : undefined;
};
