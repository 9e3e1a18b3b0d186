import type { DomainError, FieldError } from '../common/domain-error.js';
import { formatNumber } from '../common/format.js';
import { translate } from '../common/messages.js';
import type { ContactPageView, ContactView, ImportReport } from './organisation.dto.js';
import { UNIT_CODE } from './organisation.rules.js';
import type { TreeNode } from './unit-tree.js';
import type { UnitEntity } from '../database/schema/unit.entity.js';
import { AUDIENCES } from '../domain/audience.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import { PreviewMismatch } from './import-preview-seal.js';
import { localised } from './problems.js';
import type { UnitUsage } from './units.repository.js';

/**
 * View models of the admin pages: plain strings and flags, nothing a template could misuse. Every
 * text they carry is in the page's language `lang` (locales/<lang>/organisation.json); what users
 * typed, unit codes and e-mail addresses are passed through as they are.
 */

const t = (lang: Language, key: string, vars?: Record<string, unknown>) =>
  translate(lang, `organisation.${key}`, vars);
/** A message with a `.one` and an `.other` form, `{count}` formatted for the page. */
const counted = (lang: Language, key: string, count: number, vars?: Record<string, unknown>) =>
  t(lang, `${key}.${count === 1 ? 'one' : 'other'}`, { ...vars, count: formatNumber(count, lang) });
const num = (lang: Language, n: number) => formatNumber(n, lang);

const languageLabel = (lang: Language, value: string) =>
  (LANGUAGES as readonly string[]).includes(value) ? t(lang, `labels.language.${value}`) : value;
const audienceLabel = (lang: Language, value: string, form: 'audienceLong' | 'audienceShort') =>
  (AUDIENCES as readonly string[]).includes(value) ? t(lang, `labels.${form}.${value}`) : value;
/** The report lists this many problems at most; the count says how many more there were. */
const REPORT_ROWS = 200;

export interface ImportState {
  importText?: string;
  /** Already in the page's language. */
  importError?: string;
  importReport?: ImportReport;
  /** The seal of the previewed text (a hidden field), only on a preview. */
  importSeal?: string;
}

/**
 * The errors a form lists, in the page's language: the error's own field errors, else its message
 * against `field`.
 */
export function pageErrors(error: DomainError, field: string, lang: Language): FieldError[] {
  const errors = error.errors?.length ? error.errors : [{ field, message: error.message }];
  return errors.map((e) => ({
    field: e.field,
    message: localised(lang, error.errors?.length ? e : error),
  }));
}

const PREVIEW_REFUSALS = {
  changed: 'changedAfterPreview',
  missing: 'previewFirst',
  stale: 'staleSincePreview',
} as const;

/** Why an import did not happen: not the previewed text, no valid preview, or the file itself. */
export function importErrorText(error: DomainError, lang: Language): string {
  if (error instanceof PreviewMismatch) return t(lang, `import.${PREVIEW_REFUSALS[error.reason]}`);
  return t(lang, 'import.notImported', { reason: localised(lang, error) });
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

/**
 * The first `n` of two lists merged by line (an accepted line before a problem on the same line),
 * without sorting both whole: each list comes in line order (sorted here if it does not).
 */
function firstByLine<A extends { line: number }, B extends { line: number }>(
  a: readonly A[],
  b: readonly B[],
  n: number,
): Array<A | B> {
  const inOrder = <T extends { line: number }>(xs: readonly T[]) =>
    xs.every((x, i) => i === 0 || xs[i - 1].line <= x.line)
      ? xs
      : [...xs].sort((x, y) => x.line - y.line);
  const [as, bs] = [inOrder(a), inOrder(b)];
  const out: Array<A | B> = [];
  for (let i = 0, j = 0; out.length < n && (i < as.length || j < bs.length);)
    out.push(j >= bs.length || (i < as.length && as[i].line <= bs[j].line) ? as[i++] : bs[j++]);
  return out;
}

const indent = (depth: number) => '— '.repeat(depth);

/**
 * The one report of an import, preview or done: a summary, then every line of the file in order
 * with its unit code or e-mail address and what it does (or did), or why it is skipped.
 */
export function importReportModel(report: ImportReport | undefined, lang: Language) {
  if (!report) return undefined;
  const preview = report.dryRun;
  const change = (action: 'create' | 'update') =>
    t(
      lang,
      action === 'create'
        ? preview
          ? 'import.wouldCreate'
          : 'import.created'
        : preview
          ? 'import.wouldUpdate'
          : 'import.updated',
    );
  // Only the rows shown are put in words (a 100,000-line report shows its first REPORT_ROWS).
  const lines = report.lines ?? [];
  const shown = firstByLine(lines, report.errors, REPORT_ROWS).map((r) =>
    'action' in r
      ? { line: r.line, key: r.key, text: change(r.action), error: false }
      : {
          line: r.line,
          key: '',
          text: t(lang, 'import.skipped', { reason: localised(lang, r) }),
          error: true,
        },
  );
  const total = lines.length + report.errors.length;
  const problems = report.errors.length;
  return {
    dryRun: preview,
    summary: t(lang, preview ? 'import.previewSummary' : 'import.doneSummary', {
      created: num(lang, report.created),
      updated: num(lang, report.updated),
      problems: counted(lang, preview ? 'import.problems' : 'import.skippedLines', problems),
    }),
    caption: t(lang, preview ? 'import.previewCaption' : 'import.doneCaption'),
    rows: shown.map((r) => ({ ...r, line: num(lang, r.line) })),
    more: total > REPORT_ROWS ? counted(lang, 'import.more', total - REPORT_ROWS) : '',
    // The Import button of a preview says what it will do.
    applyLabel: preview
      ? t(lang, problems ? 'import.applySkipping' : 'import.apply', {
          created: num(lang, report.created),
          updated: num(lang, report.updated),
          skipped: counted(lang, 'import.problems', problems),
        })
      : '',
  };
}

function unitOptions(tree: readonly TreeNode<UnitEntity>[], selected: string | undefined) {
  return tree.map((n) => ({
    code: n.unit.code,
    label: `${indent(n.depth)}${n.unit.code} · ${n.unit.name}`,
    selected: n.unit.code === selected,
  }));
}

/**
 * Flash messages come from the redirect's query; only numbers and unit codes are believed, and
 * each page reads only its own (a contact's `added=1` is not unit "1").
 */
export function noticeFrom(
  query: Record<string, unknown>,
  lang: Language,
  page: 'units' | 'contacts',
): string | undefined {
  const count = (v: unknown) =>
    typeof v === 'string' && /^\d{1,7}$/.test(v) ? Number(v) : undefined;
  const code = (v: unknown) => (typeof v === 'string' && UNIT_CODE.test(v) ? v : undefined);
  const created = count(query.created);
  const updated = count(query.updated);
  if (created !== undefined && updated !== undefined)
    return t(lang, 'notice.importDone', {
      created: num(lang, created),
      updated: num(lang, updated),
    });
  if (page === 'units') {
    if (code(query.added)) return t(lang, 'notice.unitAdded', { code: query.added });
    if (code(query.saved)) return t(lang, 'notice.unitSaved', { code: query.saved });
    if (code(query.deleted)) return t(lang, 'notice.unitDeleted', { code: query.deleted });
    return undefined;
  }
  if (query.added === '1') return t(lang, 'notice.contactAdded');
  if (query.erased === '1') return t(lang, 'notice.erased');
  if (query.contactSaved === '1') return t(lang, 'notice.contactSaved');
  return undefined;
}

export function unitsPageModel(
  tree: readonly TreeNode<UnitEntity>[],
  state: ImportState & FormState<UnitForm> & { notice?: string },
  lang: Language,
) {
  return {
    title: t(lang, 'units.title'),
    nav: true,
    wide: true,
    ...state,
    importReport: importReportModel(state.importReport, lang),
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
  lang: Language,
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
  const audiences = (selected: string | undefined) =>
    AUDIENCES.map((a) => ({
      value: a,
      label: audienceLabel(lang, a, 'audienceLong'),
      selected: a === selected,
    }));
  return {
    title: t(lang, 'contacts.title'),
    nav: true,
    wide: true,
    ...state,
    form,
    importReport: importReportModel(state.importReport, lang),
    contacts: contacts.items.map((c: ContactView) => ({
      ...c,
      unitName: unitName.get(c.unitCode) ?? '',
      audienceLabel: audienceLabel(lang, c.audience, 'audienceShort'),
      languageLabel: languageLabel(lang, c.language),
      // Break opportunities after "@" and "." so long addresses wrap on a phone.
      emailParts: c.email.split(/(?<=[@.])/),
      eraseUrl: `/admin/contacts/${encodeURIComponent(c.id)}/erase`,
      editUrl: `/admin/contacts/${encodeURIComponent(c.id)}`,
    })),
    total: contacts.total,
    rangeText: contacts.total
      ? counted(lang, 'contacts.range', contacts.total, {
          first: num(lang, first),
          last: num(lang, last),
          total: num(lang, contacts.total),
        })
      : t(lang, 'contacts.none'),
    pageText:
      contacts.page <= pages
        ? t(lang, 'contacts.page', { page: num(lang, contacts.page), pages: num(lang, pages) })
        : t(lang, 'contacts.pastLast', { pages: num(lang, pages) }),
    prevUrl: contacts.page > 1 ? pageUrl(Math.min(contacts.page - 1, pages)) : undefined,
    nextUrl: contacts.page < pages ? pageUrl(contacts.page + 1) : undefined,
    filterAudiences: audiences(filter.audience),
    filterUnits: unitOptions(tree, filter.unitCode),
    filterQ: filter.q ?? '',
    formAudiences: audiences(form.audience),
    formUnits: unitOptions(tree, form.unitCode),
    formLanguages: LANGUAGES.map((l) => ({
      value: l,
      label: languageLabel(lang, l),
      selected: l === (form.language || 'en'),
    })),
  };
}

export function erasePageModel(contact: ContactView, lang: Language) {
  return { title: t(lang, 'erase.title'), nav: true, wide: false, contact };
}

export function unitDeleteModel(unit: { code: string; name: string }, lang: Language) {
  return {
    title: t(lang, 'unitDelete.title', { code: unit.code }),
    nav: true,
    unit: { ...unit, href: unitHref(unit.code) },
  };
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
  lang: Language,
) {
  const node = tree.find((n) => n.unit.code === code);
  if (!node) return undefined;
  const below = new Set<string>([node.unit.id]);
  for (const n of tree) if (n.unit.parentId && below.has(n.unit.parentId)) below.add(n.unit.id);
  const form = state.form ?? { name: node.unit.name, parentCode: node.parentCode ?? '' };
  return {
    title: t(lang, 'unit.title', { code }),
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

/** A refusal to delete, as one sentence in the page's language that says what to do. */
export function inUseSentence(code: string, usage: UnitUsage, lang: Language): string {
  const parts = (['children', 'contacts', 'responses', 'questions'] as const)
    .filter((what) => usage[what] > 0)
    .map((what) => counted(lang, `unit.usage.${what}`, usage[what]));
  return t(lang, 'unit.notDeleted', { code, usage: parts.join(', ') });
}

/** The edit page of one contact (the address is shown, not edited: it is who the contact is). */
export function contactEditModel(
  contact: ContactView,
  tree: readonly TreeNode<UnitEntity>[],
  state: FormState<ContactForm & { optedOut?: boolean }> & { notice?: string },
  lang: Language,
) {
  const form = state.form ?? {
    name: contact.name,
    audience: contact.audience,
    unitCode: contact.unitCode,
    language: contact.language,
    optedOut: contact.optedOut,
  };
  return {
    title: t(lang, 'contact.title', { email: contact.email }),
    nav: true,
    ...state,
    form,
    contact: { ...contact, href: `/admin/contacts/${encodeURIComponent(contact.id)}` },
    eraseUrl: `/admin/contacts/${encodeURIComponent(contact.id)}/erase`,
    audiences: AUDIENCES.map((a) => ({
      value: a,
      label: audienceLabel(lang, a, 'audienceLong'),
      selected: a === form.audience,
    })),
    units: unitOptions(tree, form.unitCode),
    languages: LANGUAGES.map((l) => ({
      value: l,
      label: languageLabel(lang, l),
      selected: l === form.language,
    })),
  };
}
