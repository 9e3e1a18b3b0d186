import { jest } from '@jest/globals';
import type { AppConfig } from '../config/app-config.js';
import { mapReminderRounds } from './invitations.dto.js';
import type { InvitationsRepository, ReminderItem } from './invitations.repository.js';
import { MailComposer } from './mail-composer.service.js';
import type { MailSettingsRepository } from './mail-settings.repository.js';
import { RemindersService } from './reminders.service.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { ContactEntity } from '../database/schema/contact.entity.js';
import type { InvitationEntity } from '../database/schema/invitation.entity.js';

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
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

const campaign = (anonymous: boolean): CampaignEntity => ({
  id: CAMPAIGN,
  name: 'Survey',
  audience: 'internal',
  wave: '2026-Q1',
  anonymous,
  languages: 'en',
  headline: 'sat',
  status: 'open',
  closesAt: null,
  createdAt: ago(100),
  launchedAt: ago(100),
  closedAt: null,
});

/** An unanswered invitee whose last mail went out `hours` ago. */
function candidate(n: number, hours: number) {
  const contact = {
    id: `contact-${n}`,
    email: `c${n}@example.com`,
    name: `Contact ${n}`,
    audience: 'internal',
    unitId: 'u',
    language: 'en',
    optedOut: false,
    erasedAt: null,
    createdAt: ago(100),
    updatedAt: ago(100),
  } as ContactEntity;
  const invitation = {
    id: `invitation-${n}`,
    campaignId: CAMPAIGN,
    contactId: contact.id,
    status: 'sent',
    answered: false,
    createdAt: ago(hours),
    sentAt: ago(hours),
    openedAt: null,
    answeredAt: null,
    remindedAt: null,
    reminders: 0,
  } as InvitationEntity;
  return { invitation, contact };
}

function setup(anonymous: boolean, latestMailHoursAgo: number) {
  const candidates = [candidate(1, 48), candidate(2, 2)];
  const repo = {
    findCampaign: jest.fn(async () => campaign(anonymous)),
    reminderCandidates: jest.fn(async () => candidates),
    latestMailOfCampaign: jest.fn(async () => ago(latestMailHoursAgo)),
    recordReminders: jest.fn(
      async (_c: string, items: readonly ReminderItem[], _now: string, _anonymous?: boolean) =>
        items.length,
    ),
  };
  const config = { publicUrl: 'https://survey.example', env: {} } as unknown as AppConfig;
  const service = new RemindersService(
    repo as unknown as InvitationsRepository,
    new MailComposer(config, noMailSettings),
  );
  return { service, repo };
}

describe('RemindersService', () => {
  it('skips recently mailed invitees one by one when the campaign is not anonymous', async () => {
    const { service, repo } = setup(false, 2);
    expect(await service.queue(CAMPAIGN, 24)).toEqual({ queued: 1 });
    expect(repo.recordReminders.mock.calls[0][1].map((i) => i.contactId)).toEqual(['contact-1']);
    expect(repo.recordReminders.mock.calls[0][3]).toBe(false);
  });

  it('holds a whole anonymous round back while anyone was mailed within the window', async () => {
    const { service, repo } = setup(true, 2);
    expect(await service.queue(CAMPAIGN, 24)).toEqual({ queued: 0 });
    expect(repo.recordReminders).not.toHaveBeenCalled();
  });

  it('reminds every unanswered invitee of an anonymous campaign once the window has passed', async () => {
    const { service, repo } = setup(true, 30);
    expect(await service.queue(CAMPAIGN, 24)).toEqual({ queued: 2 });
    expect(repo.recordReminders.mock.calls[0][3]).toBe(true);
  });
});

describe('mapReminderRounds', () => {
  it('counts each round per status, numbered per campaign, oldest first', () => {
    const a = 'aaaaaaaa-0000-4000-8000-000000000000';
    const b = 'bbbbbbbb-0000-4000-8000-000000000000';
    const t1 = '2026-01-01T10:00:00.000Z';
    const t2 = '2026-01-02T10:00:00.000Z';
    const rounds = mapReminderRounds([
      { campaignId: a, createdAt: t2, status: 'sent', n: 7 },
      { campaignId: a, createdAt: t1, status: 'sent', n: 6 },
      { campaignId: a, createdAt: t1, status: 'failed', n: 2 },
      { campaignId: b, createdAt: t1, status: 'queued', n: 3 },
    ]);
    expect(rounds).toEqual([
      {
        campaignId: a,
        round: 1,
        createdAt: t1,
        queued: 0,
        sending: 0,
        sent: 6,
        failed: 2,
        cancelled: 0,
        total: 8,
      },
      {
        campaignId: a,
        round: 2,
        createdAt: t2,
        queued: 0,
        sending: 0,
        sent: 7,
        failed: 0,
        cancelled: 0,
        total: 7,
      },
      {
        campaignId: b,
        round: 1,
        createdAt: t1,
        queued: 3,
        sending: 0,
        sent: 0,
        failed: 0,
        cancelled: 0,
        total: 3,
      },
    ]);
  });
});
