import { RETRY_REFUSALS, type RetryRefusal } from './outbox.service.js';
import type { OutboxStatus } from '../domain/delivery.js';

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
export function retryNotice(query: {
  retried?: string;
  retryError?: string;
}): { ok: boolean; text: string } | null {
  if (query.retried === '1')
    return {
      ok: true,
      text: 'The message is queued again with a fresh link; it goes out shortly.',
    };
  const reason = query.retryError as RetryRefusal | undefined;
  if (reason && reason in RETRY_REFUSALS)
    return { ok: false, text: `Not retried: ${RETRY_REFUSALS[reason]}` };
  if (reason) return { ok: false, text: 'Not retried: the message does not exist.' };
  return null;
}

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
