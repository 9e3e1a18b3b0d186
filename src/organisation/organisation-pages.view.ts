import type { FieldError } from '../common/domain-error.js';
import type { ContactPageView, ContactView, ImportReport } from './organisation.dto.js';
import { UNIT_CODE } from './organisation.rules.js';
import type { TreeNode } from './unit-tree.js';
import type { UnitEntity } from '../database/schema/unit.entity.js';
import { AUDIENCES } from '../domain/audience.js';
import { LANGUAGES } from '../domain/language.js';

/** View models of the admin pages: plain strings and flags, nothing a template could misuse. */

const LANGUAGE_LABELS: Record<string, string> = { en: 'English', it: 'Italian' };
const AUDIENCE_LABELS: Record<string, string> = {
  internal: 'Internal (colleague)',
  external: 'External (buyer)',
};
/** The report lists this many problems at most; the count says how many more there were. */
const REPORT_ROWS = 200;

export interface ImportState {
  importText?: string;
  importDryRun?: boolean;
  importError?: string;
  importReport?: ImportReport;
}

export interface FormState<F> {
  form?: F;
  formErrors?: FieldError[];
}

export interface UnitForm {
  code?: string;
  name?: string;
  parentCode?: string;
}

export interface ContactForm {
  email?: string;
  name?: string;
  audience?: string;
  unitCode?: string;
  language?: string;
}

export interface ContactFilter {
  audience?: string;
  unitCode?: string;
  /** Search text: part of the name or e-mail address. */
  q?: string;
  page: number;
}

const indent = (depth: number) => '— '.repeat(depth);

function reportModel(report: ImportReport | undefined) {
  if (!report) return undefined;
  return {
    ...report,
    errorCount: report.errors.length,
    errors: report.errors.slice(0, REPORT_ROWS),
    more: Math.max(0, report.errors.length - REPORT_ROWS),
    // Every line of the file in order: what it creates or updates, or why it is skipped.
    rows: [
      ...(report.lines ?? []).map((l) => ({
        line: l.line,
        key: l.key,
        text: l.action === 'create' ? 'created' : 'updated',
        error: false,
      })),
      ...report.errors.map((e) => ({ line: e.line, key: '', text: e.message, error: true })),
    ]
      .sort((a, b) => a.line - b.line)
      .slice(0, REPORT_ROWS),
    moreRows: Math.max(0, (report.lines?.length ?? 0) + report.errors.length - REPORT_ROWS),
  };
}

function unitOptions(tree: readonly TreeNode<UnitEntity>[], selected: string | undefined) {
  return tree.map((n) => ({
    code: n.unit.code,
    label: `${indent(n.depth)}${n.unit.code} · ${n.unit.name}`,
    selected: n.unit.code === selected,
  }));
}

/** Flash messages come from the redirect's query; only numbers and unit codes are believed. */
export function noticeFrom(query: Record<string, unknown>): string | undefined {
  const count = (v: unknown) =>
    typeof v === 'string' && /^\d{1,7}$/.test(v) ? Number(v) : undefined;
  const created = count(query.created);
  const updated = count(query.updated);
  if (created !== undefined && updated !== undefined)
    return `Import done: ${created} created, ${updated} updated.`;
  if (typeof query.added === 'string' && UNIT_CODE.test(query.added))
    return `Unit ${query.added} added.`;
  if (query.added === '1') return 'Contact added.';
  if (query.erased === '1') return 'The contact’s personal data was erased.';
  if (query.contactSaved === '1') return 'Contact saved.';
  if (typeof query.saved === 'string' && UNIT_CODE.test(query.saved))
    return `Unit ${query.saved} saved.`;
  if (typeof query.deleted === 'string' && UNIT_CODE.test(query.deleted))
    return `Unit ${query.deleted} deleted.`;
  return undefined;
}

export function unitsPageModel(
  tree: readonly TreeNode<UnitEntity>[],
  state: ImportState & FormState<UnitForm> & { notice?: string },
) {
  return {
    title: 'Units',
    nav: true,
    wide: true,
    ...state,
    importReport: reportModel(state.importReport),
    units: tree.map((n) => ({
      href: unitHref(n.unit.code),
      code: n.unit.code,
      name: n.unit.name,
      parentCode: n.parentCode,
      indent: indent(n.depth),
    })),
    parentOptions: unitOptions(tree, state.form?.parentCode),
  };
}

export function contactsPageModel(
  contacts: ContactPageView,
  tree: readonly TreeNode<UnitEntity>[],
  filter: ContactFilter,
  state: ImportState & FormState<ContactForm> & { notice?: string },
) {
  const unitName = new Map(tree.map((n) => [n.unit.code, n.unit.name]));
  const pages = Math.max(1, Math.ceil(contacts.total / contacts.pageSize));
  const pageUrl = (page: number) => {
    const q = new URLSearchParams();
    if (filter.audience) q.set('audience', filter.audience);
    if (filter.unitCode) q.set('unitCode', filter.unitCode);
    if (filter.q) q.set('q', filter.q);
    if (page > 1) q.set('page', String(page));
    const s = q.toString();
    return s ? `/admin/contacts?${s}` : '/admin/contacts';
  };
  const first = contacts.total ? (contacts.page - 1) * contacts.pageSize + 1 : 0;
  const last = Math.min(contacts.total, contacts.page * contacts.pageSize);
  const form = state.form ?? {};
  return {
    title: 'Contacts',
    nav: true,
    wide: true,
    ...state,
    form,
    importReport: reportModel(state.importReport),
    contacts: contacts.items.map((c: ContactView) => ({
      ...c,
      unitName: unitName.get(c.unitCode) ?? '',
      audienceLabel: c.audience === 'internal' ? 'Internal' : 'External',
      languageLabel: LANGUAGE_LABELS[c.language] ?? c.language,
      // Break opportunities after "@" and "." so long addresses wrap on a phone.
      emailParts: c.email.split(/(?<=[@.])/),
      eraseUrl: `/admin/contacts/${encodeURIComponent(c.id)}/erase`,
      editUrl: `/admin/contacts/${encodeURIComponent(c.id)}`,
    })),
    total: contacts.total,
    rangeText: contacts.total
      ? `Showing ${first}–${last} of ${contacts.total} contact${contacts.total === 1 ? '' : 's'}`
      : 'No contacts match.',
    pageText:
      contacts.page <= pages
        ? `Page ${contacts.page} of ${pages}`
        : `Past the last page (${pages})`,
    prevUrl: contacts.page > 1 ? pageUrl(Math.min(contacts.page - 1, pages)) : undefined,
    nextUrl: contacts.page < pages ? pageUrl(contacts.page + 1) : undefined,
    filterAudiences: AUDIENCES.map((a) => ({
      value: a,
      label: AUDIENCE_LABELS[a],
      selected: a === filter.audience,
    })),
    filterUnits: unitOptions(tree, filter.unitCode),
    filterQ: filter.q ?? '',
    formAudiences: AUDIENCES.map((a) => ({
      value: a,
      label: AUDIENCE_LABELS[a],
      selected: a === form.audience,
    })),
    formUnits: unitOptions(tree, form.unitCode),
    formLanguages: LANGUAGES.map((l) => ({
      value: l,
      label: LANGUAGE_LABELS[l],
      selected: l === (form.language || 'en'),
    })),
  };
}

export function erasePageModel(contact: ContactView) {
  return { title: 'Erase a contact', nav: true, wide: false, contact };
}

export const unitHref = (code: string) => `/admin/units/${encodeURIComponent(code)}`;

/**
 * The page of one unit: rename and move (the parent list leaves out the unit and everything under
 * it, which would make a cycle), and the way to delete it.
 */
export function unitEditModel(
  tree: readonly TreeNode<UnitEntity>[],
  code: string,
  state: FormState<UnitForm> & { error?: string },
) {
  const node = tree.find((n) => n.unit.code === code);
  if (!node) return undefined;
  const below = new Set<string>([node.unit.id]);
  for (const n of tree) if (n.unit.parentId && below.has(n.unit.parentId)) below.add(n.unit.id);
  const form = state.form ?? { name: node.unit.name, parentCode: node.parentCode ?? '' };
  return {
    title: `Unit ${code}`,
    nav: true,
    ...state,
    form,
    unit: { code, name: node.unit.name, href: unitHref(code) },
    parentOptions: unitOptions(
      tree.filter((n) => !below.has(n.unit.id)),
      form.parentCode,
    ),
  };
}

/** A refusal to delete, as one sentence that says what to do. */
export const inUseSentence = (code: string, reason: string) =>
  `Unit ${code} was not deleted: ${reason.replace(/^The unit is still in use: /, 'it still has ')}. ` +
  'Move or remove those first; units with responses or campaign questions stay for the results.';

/** The edit page of one contact (the address is shown, not edited: it is who the contact is). */
export function contactEditModel(
  contact: ContactView,
  tree: readonly TreeNode<UnitEntity>[],
  state: FormState<ContactForm & { optedOut?: boolean }>,
) {
  const form = state.form ?? {
    name: contact.name,
    audience: contact.audience,
    unitCode: contact.unitCode,
    language: contact.language,
    optedOut: contact.optedOut,
  };
  return {
    title: `Contact ${contact.email}`,
    nav: true,
    ...state,
    form,
    contact: { ...contact, href: `/admin/contacts/${encodeURIComponent(contact.id)}` },
    eraseUrl: `/admin/contacts/${encodeURIComponent(contact.id)}/erase`,
    audiences: AUDIENCES.map((a) => ({
      value: a,
      label: AUDIENCE_LABELS[a],
      selected: a === form.audience,
    })),
    units: unitOptions(tree, form.unitCode),
    languages: LANGUAGES.map((l) => ({
      value: l,
      label: LANGUAGE_LABELS[l],
      selected: l === form.language,
    })),
  };
}
