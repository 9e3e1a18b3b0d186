import { jest } from '@jest/globals';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { CampaignLifecycleService } from './campaign-lifecycle.service.js';
import type { CampaignsRepository } from './campaigns.repository.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';

const ID = '7d0e4a51-2b8c-4b4e-9a57-3f7f2f1f0c11';

function repository(o: {
  opens?: boolean;
  closes?: boolean;
  current?: Partial<CampaignEntity> | null;
}) {
  return {
    openDraft: jest.fn(async () => o.opens ?? false),
    closeUnlessClosed: jest.fn(async () => o.closes ?? false),
    findCampaign: jest.fn(async () => (o.current === undefined ? null : o.current)),
    closeExpired: jest.fn(async () => 2),
  };
}

const service = (repo: ReturnType<typeof repository>) =>
  new CampaignLifecycleService(repo as unknown as CampaignsRepository);

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('CampaignLifecycleService', () => {
  it('launches a draft with one conditional update', async () => {
    const repo = repository({ opens: true });
    await expect(service(repo).launch(ID)).resolves.toEqual({ status: 'open' });
    expect(repo.openDraft).toHaveBeenCalledWith(ID, expect.stringMatching(/Z$/), 'manual');
    expect(repo.findCampaign).not.toHaveBeenCalled();
  });

  it('explains a refused launch', async () => {
    const open = await failure(
      service(repository({ current: { status: 'open', closesAt: null } })).launch(ID),
    );
    expect(open.code).toBe(ErrorCode.CampaignNotDraft);
    expect(open.message).toMatch(/already open/);
    const past = await failure(
      service(
        repository({ current: { status: 'draft', closesAt: '2020-01-01T00:00:00.000Z' } }),
      ).launch(ID),
    );
    expect(past.code).toBe(ErrorCode.ClosingTimePassed);
    expect(past.message).toMatch(/closing time/);
  });

  it('answers not found for unknown and malformed ids without an update', async () => {
    const repo = repository({ current: null });
    expect((await failure(service(repo).launch(ID))).code).toBe(ErrorCode.CampaignNotFound);
    expect((await failure(service(repo).launch('not-a-uuid'))).code).toBe(
      ErrorCode.CampaignNotFound,
    );
    expect((await failure(service(repo).close("1' OR '1'='1"))).code).toBe(
      ErrorCode.CampaignNotFound,
    );
    expect(repo.openDraft).toHaveBeenCalledTimes(1);
    expect(repo.closeUnlessClosed).not.toHaveBeenCalled();
  });

  it('closes unless already closed', async () => {
    await expect(service(repository({ closes: true })).close(ID)).resolves.toEqual({
      status: 'closed',
    });
    const closed = await failure(service(repository({ current: { status: 'closed' } })).close(ID));
    expect(closed.code).toBe(ErrorCode.CampaignAlreadyClosed);
  });

  it('sweeps expired campaigns', async () => {
    const repo = repository({});
    await expect(service(repo).closeExpired()).resolves.toBe(2);
  });
});
