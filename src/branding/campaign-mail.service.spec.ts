import { jest } from '@jest/globals';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import type { MailComposer } from '../invitations/mail-composer.service.js';
import type { MailSettingsRepository } from '../invitations/mail-settings.repository.js';
import { defaultMailText } from '../invitations/mail-templates.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import { CampaignMailService } from './campaign-mail.service.js';

const ID = '3f1c2a4e-8b7d-4c6e-9a5b-1d2e3f4a5b6c';

function setup(status: CampaignEntity['status'] = 'open', saved = true) {
  const campaign = { id: ID, name: 'Q1', languages: 'en,it', status } as CampaignEntity;
  const repo = {
    findCampaign: jest.fn(async () => campaign),
    campaignTexts: jest.fn(async () => []),
    saveCampaignTexts: jest.fn(async () => saved),
  };
  const service = new CampaignMailService(
    repo as unknown as MailSettingsRepository,
    {} as MailComposer,
  );
  return { service, repo };
}

const caught = async (p: Promise<unknown>): Promise<DomainError> => {
  try {
    await p;
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('CampaignMailService.save', () => {
  it('stores an own text and turns a text equal to the built-in one into a reset', async () => {
    const { service, repo } = setup();
    const builtIn = defaultMailText('en', 'reminder');
    await service.save(
      ID,
      [
        {
          language: 'it',
          kind: 'invitation',
          subject: ' Ciao ',
          body: 'Gentile {name},\r\n{link}  ',
        },
        { language: 'en', kind: 'reminder', subject: builtIn.subject, body: `${builtIn.body}\n` },
      ],
      'en',
    );
    expect(repo.saveCampaignTexts).toHaveBeenCalledWith(
      ID,
      [{ language: 'it', kind: 'invitation', subject: 'Ciao', body: 'Gentile {name},\n{link}' }],
      [{ language: 'en', kind: 'reminder' }],
      expect.any(String),
    );
  });

  it('refuses every bad text at once, in the language of the page, saving nothing', async () => {
    const { service, repo } = setup();
    const err = await caught(
      service.save(
        ID,
        [
          { language: 'it', kind: 'invitation', subject: 'x', body: 'no link' },
          { language: 'en', kind: 'reminder', subject: '{when}', body: '{link}' },
        ],
        'it',
      ),
    );
    expect(err.code).toBe(ErrorCode.Validation);
    expect(err.errors).toEqual([
      {
        field: 'body_it_invitation',
        message:
          'Invito — Italiano, Testo: deve contenere {link}, altrimenti il destinatario non può rispondere.',
      },
      {
        field: 'subject_en_reminder',
        message:
          'Promemoria — English, Oggetto: {when} non è un segnaposto che questo testo può usare.',
      },
    ]);
    expect(repo.saveCampaignTexts).not.toHaveBeenCalled();
  });

  it('refuses a closed campaign, also when it closes while saving', async () => {
    expect((await caught(setup('closed').service.save(ID, [], 'en'))).code).toBe(
      ErrorCode.CampaignClosed,
    );
    const racing = setup('open', false);
    const change = { language: 'en', kind: 'invitation' as const, reset: true };
    expect((await caught(racing.service.save(ID, [change], 'en'))).code).toBe(
      ErrorCode.CampaignClosed,
    );
  });

  it('answers 404 for an id that is not a UUID without asking the database', async () => {
    const { service, repo } = setup();
    expect((await caught(service.texts('nope'))).code).toBe(ErrorCode.CampaignNotFound);
    expect(repo.findCampaign).not.toHaveBeenCalled();
  });
});
