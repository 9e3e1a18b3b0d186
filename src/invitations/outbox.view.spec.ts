import {
  labelledItems,
  outboxLink,
  outboxPaging,
  outboxReturn,
  retryNotice,
  statusOptions,
  withResult,
} from './outbox.view.js';

describe('outbox view', () => {
  const campaignId = '0b9d3a52-3f6e-4c1d-9a8e-6c2f1e4d7b90';

  it('links keep the filters and leave page 1 implicit', () => {
    expect(outboxLink({}, 1)).toBe('/admin/outbox');
    expect(outboxLink({ campaignId, status: 'failed', pageSize: 20 }, 3)).toBe(
      `/admin/outbox?campaignId=${campaignId}&status=failed&pageSize=20&page=3`,
    );
  });

  it('pages: previous, next and at most seven numbers around the current page', () => {
    const one = outboxPaging({}, 1, 1);
    expect(one).toEqual({ previous: null, next: null, numbers: [] });
    const mid = outboxPaging({ status: 'sent' }, 10, 20);
    expect(mid.previous).toBe('/admin/outbox?status=sent&page=9');
    expect(mid.next).toBe('/admin/outbox?status=sent&page=11');
    expect(mid.numbers.map((n) => n.page)).toEqual([7, 8, 9, 10, 11, 12, 13]);
    expect(mid.numbers.filter((n) => n.current).map((n) => n.page)).toEqual([10]);
    expect(outboxPaging({}, 2, 2).numbers.map((n) => n.page)).toEqual([1, 2]);
    // Past the last page (the list shrank): previous leads to the last page.
    expect(outboxPaging({}, 9, 2).previous).toBe('/admin/outbox?page=2');
  });

  it('says what a retry did, and nothing for an unknown reason text', () => {
    expect(retryNotice('en', {})).toBeNull();
    expect(retryNotice('en', { retried: '1' })?.ok).toBe(true);
    expect(retryNotice('en', { retryError: 'closed' })).toEqual({
      ok: false,
      text: 'Not retried: The campaign is no longer open, so the message would not be sent.',
    });
    expect(retryNotice('en', { retryError: '<script>' })?.text).toBe(
      'Not retried: the message does not exist.',
    );
    expect(retryNotice('en', { retryError: 'constructor' })?.text).toBe(
      'Not retried: the message does not exist.',
    );
    expect(retryNotice('it', { retryError: 'answered' })?.text).toBe(
      'Non riprovato: Il contatto ha già risposto.',
    );
  });

  it('names statuses and kinds in the page language', () => {
    expect(statusOptions('it', ['queued', 'failed'])).toEqual([
      { value: 'queued', label: 'in coda' },
      { value: 'failed', label: 'non riuscito' },
    ]);
    expect(labelledItems('it', [{ kind: 'reminder', status: 'sent' }])).toEqual([
      { kind: 'reminder', status: 'sent', kindLabel: 'sollecito', statusLabel: 'inviato' },
    ]);
  });

  it('returns only to an outbox page', () => {
    expect(outboxReturn('/admin/outbox?status=failed&page=2')).toBe(
      '/admin/outbox?status=failed&page=2',
    );
    expect(outboxReturn('https://evil.test/')).toBe('/admin/outbox');
    expect(outboxReturn('//evil.test/admin/outbox')).toBe('/admin/outbox');
    expect(outboxReturn(undefined)).toBe('/admin/outbox');
    expect(withResult('/admin/outbox?status=failed&retried=1', 'retryError', 'closed')).toBe(
      '/admin/outbox?status=failed&retryError=closed',
    );
  });
});
