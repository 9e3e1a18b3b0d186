/** What the users page says at its top after each action (the redirect carries the key). */
export const USER_NOTICES = {
  created: 'User created.',
  role: 'Role changed.',
  disabled: 'User disabled: their sessions and API tokens were revoked at once.',
  enabled: 'User enabled: they can sign in again.',
  deleted: 'User deleted, with their sessions and API tokens.',
  password:
    'Temporary password set: every session and API token of the user was revoked. Tell them the password and ask them to change it under "My password".',
  revoked: 'API token revoked.',
  own: 'Your password is changed. Your other sessions and your API tokens were signed out.',
} as const;
export type UserNotice = keyof typeof USER_NOTICES;

export const userNotice = (key: string | undefined): string | null =>
  key && key in USER_NOTICES ? USER_NOTICES[key as UserNotice] : null;

export type ConfirmAction = 'disable' | 'delete' | 'revoke';

/** The confirmation a destructive action asks for: what will happen, in one sentence or two. */
export function confirmation(
  action: ConfirmAction,
  subject: string,
): { title: string; consequences: string[]; button: string } {
  switch (action) {
    case 'disable':
      return {
        title: `Disable ${subject}?`,
        consequences: [
          'They are signed out everywhere at once, and every API token of theirs stops working.',
          'They cannot sign in until an admin enables them again. Nothing else is deleted.',
        ],
        button: 'Disable user',
      };
    case 'delete':
      return {
        title: `Delete ${subject}?`,
        consequences: [
          'The account is deleted for good, with its sessions and API tokens; this cannot be undone.',
          'Campaigns, contacts and results are not affected.',
        ],
        button: 'Delete user',
      };
    case 'revoke':
      return {
        title: `Revoke an API token of ${subject}?`,
        consequences: ['Any script using this token gets 401 from its next request on.'],
        button: 'Revoke token',
      };
  }
}
