import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { CampaignsRepository } from './campaigns.repository.js';
import { campaignNotFound, isCampaignId } from './campaigns.service.js';
import type { CampaignStatus } from '../domain/campaign-status.js';

/** Why a launch or a close was refused (each a 409 that says why). */
export const LIFECYCLE_REFUSALS = [
  ErrorCode.CampaignNotDraft,
  ErrorCode.ClosingTimePassed,
  ErrorCode.CampaignChanged,
  ErrorCode.CampaignAlreadyClosed,
] as const;

/**
 * draft → open → closed (or draft → closed). Each move is one conditional UPDATE, so of any
 * number of concurrent requests exactly one wins; the losers get a 409 that says why.
 */
@Injectable()
export class CampaignLifecycleService {
  constructor(private readonly repository: CampaignsRepository) {}

  /** Launching also freezes the unit tree the campaign reports on (`openDraft`, same transaction). */
  async launch(id: string): Promise<{ status: CampaignStatus }> {
    const now = iso();
    if (isCampaignId(id) && (await this.repository.openDraft(id, now))) return { status: 'open' };
    const current = isCampaignId(id) ? await this.repository.findCampaign(id) : null;
    if (!current) throw campaignNotFound();
    if (current.status !== 'draft')
      throw new DomainError(
        ErrorCode.CampaignNotDraft,
        `the campaign is already ${current.status}`,
      );
    if (current.closesAt !== null && current.closesAt <= now)
      throw new DomainError(
        ErrorCode.ClosingTimePassed,
        'the closing time of the campaign has already passed; change closesAt first',
      );
    throw new DomainError(
      ErrorCode.CampaignChanged,
      'the campaign changed meanwhile; please retry',
    );
  }

  async close(id: string): Promise<{ status: CampaignStatus }> {
    if (isCampaignId(id) && (await this.repository.closeUnlessClosed(id, iso())))
      return { status: 'closed' };
    const current = isCampaignId(id) ? await this.repository.findCampaign(id) : null;
    if (!current) throw campaignNotFound();
    throw new DomainError(ErrorCode.CampaignAlreadyClosed, 'the campaign is already closed');
  }

  /** Closes the open campaigns whose closesAt has come; returns how many. */
  closeExpired(): Promise<number> {
    return this.repository.closeExpired(iso());
  }
}
