import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { MailDeliveryService, retryDelayMs } from './mail-delivery.service.js';
import type { MailSender, SendOutcome } from './mail-sender.service.js';
import type { MailSettingsRepository } from './mail-settings.repository.js';
import type { OutboxRepository, Recipient } from './outbox.repository.js';
import type { OutboxEntity } from '../database/schema/outbox.entity.js';

const TOKEN = 'T'.repeat(43);

const message = (o: Partial<OutboxEntity> = {}): OutboxEntity => ({
  id: 'm1',
  campaignId: 'c1',
  contactId: 'p1',
  kind: 'invitation',
  toAddress: 'ada@example.com',
  subject: 'Survey',
  bodyText: `Hello\n\nhttps://survey.example/s/${TOKEN}\n\n--\nhttps://survey.example/unsubscribe/${TOKEN}\n`,
  bodyHtml: '<p>Hello</p>',
  status: 'sending',
  attempts: 1,
  nextAttemptAt: '2026-01-01T00:00:00.000Z',
  lockedUntil: '2026-01-01T00:01:00.000Z',
  lastError: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  sentAt: null,
  ...o,
});

function setup(
  o: {
    claimed?: OutboxEntity;
    recipient?: Partial<Recipient>;
    outcome?: SendOutcome;
    senderName?: string;
  } = {},
) {
  const claimed = o.claimed ?? message();
  let due = [claimed.id];
  const outbox = {
    dueIds: jest.fn(async () => {
      const ids = due;
      due = [];
      return ids;
    }),
    claim: jest.fn(async () => claimed),
    recipient: jest.fn(async () => ({
      campaignStatus: 'open',
      optedOut: false,
      erased: false,
      ...o.recipient,
    })),
    markSent: jest.fn(async () => true),
    markRetry: jest.fn(async () => undefined),
    markFailed: jest.fn(async () => undefined),
    markCancelled: jest.fn(async () => undefined),
  };
  const sender = { send: jest.fn(async () => o.outcome ?? ({ kind: 'sent' } as SendOutcome)) };
  const config = { env: { MAIL_MAX_ATTEMPTS: 3, MAIL_POLL_MS: 1000 } } as unknown as AppConfig;
  const service = new MailDeliveryService(
    outbox as unknown as OutboxRepository,
    sender as unknown as MailSender,
    config,
    {
      settings: async () => ({ senderName: o.senderName ?? null }),
    } as unknown as MailSettingsRepository,
  );
  return { service, outbox, sender, claimed };
}

describe('MailDeliveryService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('sends the stored message with the List-Unsubscribe headers and records it', async () => {
    const { service, outbox, sender, claimed } = setup();
    await expect(service.deliverDue(() => false)).resolves.toBe(1);
    expect(sender.send).toHaveBeenCalledWith({
      to: 'ada@example.com',
      subject: 'Survey',
      text: claimed.bodyText,
      html: '<p>Hello</p>',
      headers: {
        'List-Unsubscribe': `<https://survey.example/api/unsubscribe/${TOKEN}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      fromName: null,
    });
    expect(outbox.markSent).toHaveBeenCalledWith(claimed, expect.stringMatching(/Z$/));
  });

  it("sends with the organisation's sender name as the From display name", async () => {
    const { service, sender } = setup({ senderName: 'Acme Customer Care' });
    await service.deliverDue(() => false);
    expect(sender.send).toHaveBeenCalledWith(
      expect.objectContaining({ fromName: 'Acme Customer Care' }),
    );
  });

  it('skips a message another instance claimed', async () => {
    const { service, outbox, sender } = setup();
    outbox.claim.mockResolvedValueOnce(null as never);
    await expect(service.deliverDue(() => false)).resolves.toBe(0);
    expect(sender.send).not.toHaveBeenCalled();
  });

  it.each([
    [{ campaignStatus: 'closed' as const }, 'campaign is not open'],
    [{ optedOut: true }, 'contact opted out'],
    [{ erased: true }, 'contact erased'],
  ])('cancels instead of sending when %o', async (recipient, reason) => {
    const { service, outbox, sender } = setup({ recipient });
    await service.deliverDue(() => false);
    expect(sender.send).not.toHaveBeenCalled();
    expect(outbox.markCancelled).toHaveBeenCalledWith(expect.anything(), reason);
  });

  it('backs off exponentially after a transient failure', async () => {
    const { service, outbox } = setup({ outcome: { kind: 'transient', error: '451 later' } });
    const before = Date.now();
    await service.deliverDue(() => false);
    const [, next, error] = outbox.markRetry.mock.calls[0] as unknown as [
      OutboxEntity,
      string,
      string,
    ];
    expect(error).toBe('451 later');
    const delay = Date.parse(next) - before;
    expect(delay).toBeGreaterThanOrEqual(retryDelayMs(1, 5000) - 50);
    expect(delay).toBeLessThan(retryDelayMs(1, 5000) + 1000);
  });

  it('gives up after MAIL_MAX_ATTEMPTS transient failures', async () => {
    const { service, outbox } = setup({
      claimed: message({ attempts: 3 }),
      outcome: { kind: 'transient', error: '451 later' },
    });
    await service.deliverDue(() => false);
    expect(outbox.markRetry).not.toHaveBeenCalled();
    expect(outbox.markFailed).toHaveBeenCalledWith(expect.anything(), '451 later', false);
  });

  it('fails at once on a permanent error, bouncing a refused recipient', async () => {
    const { service, outbox } = setup({
      outcome: { kind: 'permanent', bounced: true, error: '550 no such user' },
    });
    await service.deliverDue(() => false);
    expect(outbox.markFailed).toHaveBeenCalledWith(expect.anything(), '550 no such user', true);
  });

  it('stops between messages when asked to', async () => {
    const { service, sender } = setup();
    await expect(service.deliverDue(() => true)).resolves.toBe(0);
    expect(sender.send).not.toHaveBeenCalled();
  });
});

describe('retryDelayMs', () => {
  it('doubles with each attempt and stops at an hour', () => {
    expect(retryDelayMs(1, 10_000)).toBe(20_000);
    expect(retryDelayMs(2, 10_000)).toBe(40_000);
    expect(retryDelayMs(20, 10_000)).toBe(3_600_000);
  });
});
