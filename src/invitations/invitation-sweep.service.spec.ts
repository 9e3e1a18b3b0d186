import { jest } from '@jest/globals';
import type { AppConfig } from '../config/app-config.js';
import { InvitationSweepService, SWEEP_RECHECK_MS } from './invitation-sweep.service.js';
import type {
  FirstMailItem,
  InvitationsRepository,
  InvitationTarget,
} from './invitations.repository.js';
import { MailComposer } from './mail-composer.service.js';
import type { MailSettingsRepository } from './mail-settings.repository.js';
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

const target = (n: number): InvitationTarget => ({
  invitation: { id: `i${n}`, campaignId: 'c1', contactId: `p${n}` } as InvitationEntity,
  contact: { id: `p${n}`, email: `p${n}@example.com`, name: null, language: 'it' } as ContactEntity,
  campaign: {
    id: 'c1',
    name: 'Survey',
    languages: 'en,it',
    anonymous: true,
    closesAt: null,
  } as CampaignEntity,
});

function setup(pending: InvitationTarget[][]) {
  const repo = {
    openCampaignIds: jest.fn(async () => ['c1']),
    unmailedOf: jest.fn(async () => pending.shift() ?? []),
    queueFirstMails: jest.fn(async (_c: string, items: readonly FirstMailItem[]) => items.length),
  };
  const config = { publicUrl: 'https://survey.example' } as unknown as AppConfig;
  return {
    repo,
    sweep: new InvitationSweepService(
      repo as unknown as InvitationsRepository,
      new MailComposer(config, noMailSettings),
    ),
  };
}

describe('InvitationSweepService', () => {
  it('queues a fresh link and an invitation mail per unmailed invitation', async () => {
    const { repo, sweep } = setup([[target(1), target(2)]]);
    await expect(sweep.queueOpened(0)).resolves.toBe(2);
    const items = repo.queueFirstMails.mock.calls[0][1];
    expect(items.map((i) => i.invitationId)).toEqual(['i1', 'i2']);
    for (const item of items) {
      expect(item.link.survey.invitationId).toBe(item.invitationId);
      expect(item.link.unsubscribe.invitationId).toBe(item.invitationId);
      expect(item.mail).toMatchObject({ kind: 'invitation', status: 'queued', campaignId: 'c1' });
      expect(item.mail.bodyText).toContain('Gentile destinatario');
    }
  });

  it('leaves a campaign with nothing to queue alone until the re-check time', async () => {
    const { repo, sweep } = setup([[], [target(3)]]);
    await expect(sweep.queueOpened(0)).resolves.toBe(0);
    await expect(sweep.queueOpened(1000)).resolves.toBe(0);
    expect(repo.unmailedOf).toHaveBeenCalledTimes(1);
    await expect(sweep.queueOpened(SWEEP_RECHECK_MS + 1)).resolves.toBe(1);
    // One batch with work, then one that finds nothing (and marks the campaign done again).
    expect(repo.unmailedOf).toHaveBeenCalledTimes(3);
  });
});
