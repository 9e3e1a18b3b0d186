import { RETRY_REFUSALS, type RetryRefusal } from './outbox.service.js';
import { messages, translate } from '../common/messages.js';
import type { OutboxStatus } from '../domain/delivery.js';
import type { Language } from '../domain/language.js';

/** The filters of the outbox page, as its links carry them. */
export interface OutboxFilters {
  campaignId?: string;
  status?: OutboxStatus;
  pageSize?: number;
}

/** A link to one page of the outbox that keeps the filters. */
export function outboxLink(filters: OutboxFilters, page: number): string {
  const q = new URLSearchParams();
  if (filters.campaignId) q.set('campaignId', filters.campaignId);
  if (filters.status) q.set('status', filters.status);
  if (filters.pageSize) q.set('pageSize', String(filters.pageSize));
  if (page > 1) q.set('page', String(page));
  const text = q.toString();
  return text ? `/admin/outbox?${text}` : '/admin/outbox';
}

export interface OutboxPaging {
  previous: string | null;
  next: string | null;
  /** Numbered links around the current page (at most 7); `current` marks the page shown. */
  numbers: Array<{ page: number; href: string; current: boolean }>;
}

export function outboxPaging(filters: OutboxFilters, page: number, pages: number): OutboxPaging {
  const from = Math.max(1, Math.min(page - 3, pages - 6));
  const to = Math.min(pages, from + 6);
  const numbers = [];
  for (let p = from; p <= to && pages > 1; p++)
    numbers.push({ page: p, href: outboxLink(filters, p), current: p === page });
  return {
    previous: page > 1 ? outboxLink(filters, Math.min(page - 1, pages)) : null,
    next: page < pages ? outboxLink(filters, page + 1) : null,
    numbers,
  };
}

/** The result line at the top of the page after a retry (from the redirect's query). */
export function retryNotice(
  lang: Language,
  query: { retried?: string; retryError?: string },
): { ok: boolean; text: string } | null {
  if (query.retried === '1') return { ok: true, text: translate(lang, 'outbox.retried') };
  const reason = query.retryError as RetryRefusal | undefined;
  if (!reason) return null;
  const known = Object.prototype.hasOwnProperty.call(RETRY_REFUSALS, reason);
  const text = translate(lang, `outbox.refusals.${known ? reason : 'unknown'}`);
  return { ok: false, text: translate(lang, 'outbox.notRetried', { reason: text }) };
}

/** A status or kind of a message in the page's language (the value itself if it has no name). */
export const statusLabel = (lang: Language, status: string): string =>
  messages(lang)[`outbox.statuses.${status}`] ?? status;
export const kindLabel = (lang: Language, kind: string): string =>
  messages(lang)[`outbox.kinds.${kind}`] ?? kind;

/** The status filter's options: the value the link carries, the word the page shows. */
export const statusOptions = (lang: Language, statuses: readonly OutboxStatus[]) =>
  statuses.map((value) => ({ value, label: statusLabel(lang, value) }));

/** The rows of the page with their kind and status in words. */
export const labelledItems = <T extends { kind: string; status: string }>(
  lang: Language,
  items: readonly T[],
) =>
  items.map((item) => ({
    ...item,
    kindLabel: kindLabel(lang, item.kind),
    statusLabel: statusLabel(lang, item.status),
  }));

/** Where to go back after a retry: only an outbox page of this site, never an outside address. */
export function outboxReturn(returnTo: string | undefined): string {
  return returnTo && /^\/admin\/outbox(\?[^\s#]*)?$/.test(returnTo) ? returnTo : '/admin/outbox';
}

/** `returnTo` with one result parameter added (and an earlier result removed). */
export function withResult(returnTo: string, key: 'retried' | 'retryError', value: string) {
  const [path, search = ''] = returnTo.split('?');
  const q = new URLSearchParams(search);
  q.delete('retried');
  q.delete('retryError');
  q.set(key, value);
  return `${path}?${q.toString()}`;
}
