import { jest } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { sha256 } from '../common/crypto.js';
import type { AppConfig } from '../config/app-config.js';
import { CreateInvitationsDto, MAX_CONTACT_IDS } from './invitations.dto.js';
import type {
  InsertOutcome,
  InvitationsRepository,
  NewInvitations,
} from './invitations.repository.js';
import { InvitationsService, SKIP_REASONS } from './invitations.service.js';
import { MailComposer } from './mail-composer.service.js';
import type { MailSettingsRepository } from './mail-settings.repository.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { ContactEntity } from '../database/schema/contact.entity.js';

/** No organisation settings and no campaign texts: the built-in mails. */
const noMailSettings = {
  settings: async () => ({
    organisationName: null,
    senderName: null,
    logoType: null,
    logoUpdatedAt: null,
  }),
  campaignTexts: async () => [],
} as unknown as MailSettingsRepository;

const CAMPAIGN = '11111111-1111-4111-8111-111111111111';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const campaign = (o: Partial<CampaignEntity> = {}): CampaignEntity => ({
  id: CAMPAIGN,
  name: 'Survey',
  audience: 'internal',
  wave: '2026-Q1',
  anonymous: true,
  languages: 'en,it',
  headline: 'sat',
  status: 'open',
  closesAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  launchedAt: null,
  closedAt: null,
  ...o,
});

const contact = (n: number, o: Partial<ContactEntity> = {}): ContactEntity => ({
  id: id(n),
  email: `c${n}@example.com`,
  name: `Contact ${n}`,
  audience: 'internal',
  unitId: 'u-root',
  language: 'en',
  optedOut: false,
  erasedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...o,
});

const UNITS = [
  { id: 'u-root', code: 'ROOT', parentId: null },
  { id: 'u-a', code: 'A', parentId: 'u-root' },
  { id: 'u-a1', code: 'A1', parentId: 'u-a' },
  { id: 'u-b', code: 'B', parentId: 'u-root' },
  // Bad data: a cycle must not hang the walk.
  { id: 'u-x', code: 'X', parentId: 'u-y' },
  { id: 'u-y', code: 'Y', parentId: 'u-x' },
];

function setup(
  o: {
    campaign?: CampaignEntity | null;
    contacts?: ContactEntity[];
    invited?: string[];
    tired?: string[];
    outcomes?: InsertOutcome[];
    fatigueDays?: number;
  } = {},
) {
  const contacts = o.contacts ?? [];
  const outcomes = [...(o.outcomes ?? [])];
  const repo = {
    findCampaign: jest.fn(async () => (o.campaign === undefined ? campaign() : o.campaign)),
    contactsByIds: jest.fn(async (ids: readonly string[]) =>
      contacts.filter((c) => ids.includes(c.id)),
    ),
    units: jest.fn(async () => UNITS),
    contactsInUnits: jest.fn(async (audience: string, unitIds: readonly string[]) =>
      contacts.filter((c) => c.audience === audience && unitIds.includes(c.unitId)),
    ),
    contactsOfAudience: jest.fn(async (audience: string) =>
      contacts.filter((c) => c.audience === audience),
    ),
    invitedContactIds: jest.fn(async () => new Set(o.invited ?? [])),
    invitedElsewhereSince: jest.fn(async () => new Set(o.tired ?? [])),
    insertInvitations: jest.fn(
      async (_c: string, _rows: NewInvitations) => outcomes.shift() ?? ('ok' as InsertOutcome),
    ),
  };
  const config = {
    publicUrl: 'https://survey.example',
    env: { FATIGUE_DAYS: o.fatigueDays ?? 0 },
  } as unknown as AppConfig;
  const service = new InvitationsService(
    repo as unknown as InvitationsRepository,
    new MailComposer(config, noMailSettings),
    config,
  );
  return { service, repo };
}

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('InvitationsService', () => {
  it('applies the skip rules in order and invites the rest with a link and a mail', async () => {
    const { service, repo } = setup({
      contacts: [
        contact(1),
        contact(2, { audience: 'external' }),
        contact(3, { erasedAt: '2026-01-02T00:00:00.000Z', email: null, optedOut: true }),
        contact(4, { optedOut: true }),
        contact(5),
        contact(6),
      ],
      invited: [id(5)],
      tired: [id(6)],
      fatigueDays: 30,
    });
    const result = await service.invite(CAMPAIGN, {
      contactIds: [id(1), id(2), id(3), id(4), id(5), id(6), id(99)],
    });
    expect(result.skipped).toEqual([
      { contactId: id(2), reason: SKIP_REASONS.wrongAudience },
      { contactId: id(3), reason: SKIP_REASONS.erased },
      { contactId: id(4), reason: SKIP_REASONS.optedOut },
      { contactId: id(99), reason: SKIP_REASONS.unknownContact },
      { contactId: id(5), reason: SKIP_REASONS.alreadyInvited },
      { contactId: id(6), reason: 'fatigue: invited to another campaign within 30 days' },
    ]);
    expect(result.created).toBe(1);
    expect(result.invitations).toEqual([
      {
        contactId: id(1),
        email: 'c1@example.com',
        url: expect.stringMatching(/^https:\/\/survey\.example\/s\/[A-Za-z0-9_-]{43}$/),
      },
    ]);
    const rows = repo.insertInvitations.mock.calls[0][1];
    expect(rows.plannedFor).toBe('open');
    expect(rows.invitations).toHaveLength(1);
    expect(rows.links[0].survey.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.mails).toHaveLength(1);
    const token = result.invitations[0].url.split('/s/')[1];
    expect(rows.mails[0].bodyText).toContain(token);
    expect(JSON.stringify(rows.links)).not.toContain(token);
    // The opt-out link carries its own token (stored hashed), never the survey token.
    const optOut = /\/unsubscribe\/([A-Za-z0-9_-]{43})/.exec(rows.mails[0].bodyText ?? '')?.[1];
    expect(optOut).toBeDefined();
    expect(optOut).not.toBe(token);
    expect(rows.links[0].unsubscribe.tokenHash).toBe(sha256(optOut as string));
    expect(rows.links[0].survey.tokenHash).toBe(sha256(token));
    expect(rows.mails[0].bodyHtml).not.toContain(`/unsubscribe/${token}`);
  });

  it('does not look for fatigue when FATIGUE_DAYS is 0', async () => {
    const { service, repo } = setup({ contacts: [contact(1)], tired: [id(1)] });
    expect((await service.invite(CAMPAIGN, { contactIds: [id(1)] })).created).toBe(1);
    expect(repo.invitedElsewhereSince).not.toHaveBeenCalled();
  });

  it('selects unit subtrees and the whole audience as one union, each contact once', async () => {
    const { service } = setup({
      contacts: [
        contact(1, { unitId: 'u-a' }),
        contact(2, { unitId: 'u-a1' }),
        contact(3, { unitId: 'u-b' }),
        contact(4, { unitId: 'u-root' }),
        contact(5, { unitId: 'u-a', audience: 'external' }),
        contact(6, { unitId: 'u-x' }),
      ],
    });
    const subtree = await service.invite(CAMPAIGN, { unitCodes: ['A'] });
    expect(subtree.invitations.map((i) => i.contactId)).toEqual([id(1), id(2)]);
    const cycle = await service.invite(CAMPAIGN, { unitCodes: ['X'] });
    expect(cycle.invitations.map((i) => i.contactId)).toEqual([id(6)]);
    const union = await service.invite(CAMPAIGN, {
      contactIds: [id(2)],
      unitCodes: ['A', 'A1'],
      all: true,
    });
    expect(union.invitations.map((i) => i.contactId).sort()).toEqual([
      id(1),
      id(2),
      id(3),
      id(4),
      id(6),
    ]);
  });

  it('creates no mails for a draft campaign', async () => {
    const { service, repo } = setup({
      campaign: campaign({ status: 'draft' }),
      contacts: [contact(1)],
    });
    await service.invite(CAMPAIGN, { all: true });
    expect(repo.insertInvitations.mock.calls[0][1]).toMatchObject({
      plannedFor: 'draft',
      mails: [],
    });
  });

  it('plans again after a concurrent duplicate or a status change, and gives up after three tries', async () => {
    const retried = setup({ contacts: [contact(1)], outcomes: ['duplicate', 'changed'] });
    expect((await retried.service.invite(CAMPAIGN, { all: true })).created).toBe(1);
    expect(retried.repo.insertInvitations).toHaveBeenCalledTimes(3);
    const stuck = setup({
      contacts: [contact(1)],
      outcomes: ['duplicate', 'duplicate', 'duplicate'],
    });
    expect((await failure(stuck.service.invite(CAMPAIGN, { all: true }))).code).toBe(
      ErrorCode.InvitationsContended,
    );
  });

  it('refuses bad requests: no selector, unknown unit, unknown or closed campaign', async () => {
    const { service, repo } = setup({ contacts: [contact(1)] });
    expect((await failure(service.invite(CAMPAIGN, {}))).code).toBe(ErrorCode.Validation);
    expect((await failure(service.invite(CAMPAIGN, { all: false }))).code).toBe(
      ErrorCode.Validation,
    );
    const unknown = await failure(service.invite(CAMPAIGN, { unitCodes: ['A', 'NOPE'] }));
    expect(unknown.errors).toEqual([{ field: 'unitCodes', message: 'unknown unit code: NOPE' }]);
    expect((await failure(service.invite('not-a-uuid', { all: true }))).code).toBe(
      ErrorCode.CampaignNotFound,
    );
    expect(repo.insertInvitations).not.toHaveBeenCalled();
    const missing = setup({ campaign: null });
    expect((await failure(missing.service.invite(CAMPAIGN, { all: true }))).code).toBe(
      ErrorCode.CampaignNotFound,
    );
    const closed = setup({ campaign: campaign({ status: 'closed' }) });
    expect((await failure(closed.service.invite(CAMPAIGN, { all: true }))).code).toBe(
      ErrorCode.CampaignClosed,
    );
  });
});

describe('CreateInvitationsDto', () => {
  const errorsOf = async (body: unknown) =>
    (
      await validate(plainToInstance(CreateInvitationsDto, body), {
        whitelist: true,
        forbidNonWhitelisted: true,
      })
    ).map((e) => e.property);

  it(`accepts up to ${MAX_CONTACT_IDS} contact ids and refuses more`, async () => {
    const ids = Array.from({ length: MAX_CONTACT_IDS }, (_, i) => id(i));
    expect(await errorsOf({ contactIds: ids })).toEqual([]);
    expect(await errorsOf({ contactIds: [...ids, id(MAX_CONTACT_IDS)] })).toEqual(['contactIds']);
  });

  it('refuses non-UUID ids, unclean or long unit codes and a non-boolean all', async () => {
    expect(await errorsOf({ contactIds: ['x'] })).toEqual(['contactIds']);
    expect(await errorsOf({ unitCodes: ['a\u0000'] })).toEqual(['unitCodes']);
    expect(await errorsOf({ unitCodes: ['u'.repeat(65)] })).toEqual(['unitCodes']);
    expect(await errorsOf({ all: 'true' })).toEqual(['all']);
  });
});
