import { confirmation, userNotice } from './users-pages.view.js';

describe('users pages view', () => {
  it('says what happened for known keys only', () => {
    expect(userNotice('disabled')).toMatch(/revoked at once/);
    expect(userNotice('<b>anything</b>')).toBeNull();
    expect(userNotice(undefined)).toBeNull();
  });

  it('says what a destructive action will do', () => {
    expect(confirmation('disable', 'a@example.com').consequences.join(' ')).toMatch(
      /signed out everywhere/,
    );
    expect(confirmation('delete', 'a@example.com').title).toBe('Delete a@example.com?');
    expect(confirmation('revoke', 'a@example.com').button).toBe('Revoke token');
  });
});
