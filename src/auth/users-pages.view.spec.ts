import { USER_MESSAGES } from '../users/user-messages.js';
import {
  confirmation,
  pageError,
  pageErrors,
  roleOptions,
  scopeUnitOptions,
  userNotice,
  userRow,
} from './users-pages.view.js';

describe('users pages view', () => {
  it('says what happened for known keys only, in the page language', () => {
    expect(userNotice('en', 'disabled')).toMatch(/revoked at once/);
    expect(userNotice('it', 'disabled')).toMatch(/revocati subito/);
    expect(userNotice('en', '<b>anything</b>')).toBeNull();
    expect(userNotice('en', 'constructor')).toBeNull();
    expect(userNotice('en', undefined)).toBeNull();
  });

  it('says what a destructive action will do', () => {
    expect(confirmation('en', 'disable', 'a@example.com').consequences.join(' ')).toMatch(
      /signed out everywhere/,
    );
    expect(confirmation('en', 'delete', 'a@example.com').title).toBe('Delete a@example.com?');
    expect(confirmation('it', 'delete', 'a@example.com').title).toBe('Eliminare a@example.com?');
    expect(confirmation('en', 'revoke', 'a@example.com').button).toBe('Revoke token');
  });

  it('shows every refusal of the users service in the page language, others as they are', () => {
    for (const message of Object.values(USER_MESSAGES)) {
      expect(pageError('en', message)).not.toBe('');
      expect(pageError('it', message)).not.toBe(message);
    }
    expect(pageError('it', USER_MESSAGES.currentWrong)).toBe('La password attuale non è corretta.');
    expect(pageError('it', 'Something else')).toBe('Something else');
    expect(pageErrors('it', [{ field: 'password', message: USER_MESSAGES.passwordShort }])).toEqual(
      [{ field: 'password', message: 'La password deve avere almeno 12 caratteri.' }],
    );
  });

  it('names the roles in the page language, the current one selected', () => {
    expect(roleOptions('it', 'analyst')).toEqual([
      { value: 'admin', label: 'amministratore', selected: false },
      { value: 'analyst', label: 'analista', selected: true },
      { value: 'manager', label: 'responsabile di unità', selected: false },
    ]);
  });

  it("lists the organisation tree for a manager's scope unit, parents first, indented", () => {
    const options = scopeUnitOptions(
      [
        { id: 'b', code: 'B-MI', name: 'Milano', parentId: 'n' },
        { id: 'n', code: 'NORTH', name: 'North', parentId: 'a' },
        { id: 'a', code: 'ACME', name: 'Acme', parentId: null },
        { id: 's', code: 'SOUTH', name: 'South', parentId: 'a' },
      ],
      'NORTH',
    );
    expect(options.map((o) => o.value)).toEqual(['ACME', 'NORTH', 'B-MI', 'SOUTH']);
    expect(options[2].label).toBe('\u00a0\u00a0\u00a0\u00a0Milano (B-MI)');
    expect(options.filter((o) => o.selected).map((o) => o.value)).toEqual(['NORTH']);
  });

  it("names a manager's role with their unit, in the page's language", () => {
    const view = { id: 'x', email: 'm@example.com', createdAt: '', active: true };
    expect(userRow('en', { ...view, role: 'manager', scopeUnitCode: 'NORTH' }).roleLabel).toBe(
      'unit manager of NORTH',
    );
    expect(userRow('it', { ...view, role: 'manager', scopeUnitCode: 'NORTH' }).roleLabel).toBe(
      'responsabile di unità di NORTH',
    );
    expect(roleOptions('en', 'manager').find((o) => o.selected)?.label).toBe('unit manager');
  });

  it('shows the scope refusals in the page language', () => {
    expect(
      pageError('it', 'A unit manager needs a scope unit: choose the unit whose results they see.'),
    ).toMatch(/responsabile di unità deve avere/);
  });
});
