import type { FieldError } from '../common/domain-error.js';
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import { ROLES, type Role } from '../domain/roles.js';
import type { UserView } from '../users/users.dto.js';
import { userErrorKey } from '../users/user-messages.js';

/** The notices the users pages show at their top after each action (the redirect carries the key). */
export const USER_NOTICES = [
  'created',
  'role',
  'disabled',
  'enabled',
  'deleted',
  'password',
  'revoked',
  'own',
] as const;
export type UserNotice = (typeof USER_NOTICES)[number];

/** What happened, in the page's language; nothing for an unknown key. */
export const userNotice = (lang: Language, key: string | undefined): string | null =>
  key && (USER_NOTICES as readonly string[]).includes(key)
    ? translate(lang, `users.notices.${key}`)
    : null;

/** A refusal of the users service in the page's language (another message as it is). */
export const pageError = (lang: Language, message: string): string => {
  const key = userErrorKey(message);
  return key ? translate(lang, key) : message;
};

/** The field errors of a form, each in the page's language. */
export const pageErrors = (lang: Language, errors: readonly FieldError[]): FieldError[] =>
  errors.map((e) => ({ field: e.field, message: pageError(lang, e.message) }));

export const roleLabel = (lang: Language, role: Role): string =>
  translate(lang, role === 'manager' ? 'managers.role' : `users.roles.${role}`);

interface TreeUnit {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
}

/**
 * The scope-unit select of a manager: every unit of the organisation tree in tree order (a parent,
 * then its children by code), indented by depth, the chosen code selected.
 */
export function scopeUnitOptions(units: readonly TreeUnit[], selected: string | null | undefined) {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, TreeUnit[]>();
  for (const u of units) {
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const out: Array<{ value: string; label: string; selected: boolean }> = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) =>
      a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
    );
    for (const u of list) {
      if (seen.has(u.id)) continue;
      seen.add(u.id);
      out.push({
        value: u.code,
        label: `${'\u00a0\u00a0'.repeat(depth)}${u.name} (${u.code})`,
        selected: u.code === selected,
      });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The role select's options, the current one selected. */
export const roleOptions = (lang: Language, selected: Role) =>
  ROLES.map((value) => ({ value, label: roleLabel(lang, value), selected: value === selected }));

/** A user row of the pages: the API's view plus its role and status in words. */
export const userRow = (lang: Language, user: UserView) => ({
  ...user,
  roleLabel:
    user.role === 'manager' && user.scopeUnitCode
      ? translate(lang, 'managers.roleOf', { unit: user.scopeUnitCode })
      : roleLabel(lang, user.role),
  statusLabel: translate(lang, user.active ? 'users.active' : 'users.disabled'),
});

export type ConfirmAction = 'disable' | 'delete' | 'revoke';

/** The confirmation a destructive action asks for: what will happen, in one sentence or two. */
export function confirmation(
  lang: Language,
  action: ConfirmAction,
  subject: string,
): { title: string; consequences: string[]; button: string } {
  const t = (key: string) => translate(lang, `users.confirm.${key}`, { email: subject });
  switch (action) {
    case 'disable':
      return {
        title: t('disableTitle'),
        consequences: [t('disable1'), t('disable2')],
        button: t('disableButton'),
      };
    case 'delete':
      return {
        title: t('deleteTitle'),
        consequences: [t('delete1'), t('delete2')],
        button: t('deleteButton'),
      };
    case 'revoke':
      return {
        title: t('revokeTitle'),
        consequences: [t('revoke1')],
        button: t('revokeButton'),
      };
  }
}
