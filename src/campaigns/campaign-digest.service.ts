import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, invalid } from '../common/domain-error.js';
import { CampaignDigestRepository, type DigestUser } from './campaign-digest.repository.js';
import { campaignNotFound, isCampaignId } from './campaigns.service.js';

/**
 * Who gets a campaign's close digest (issue 9): users with report access (admins and analysts)
 * who are not disabled, chosen by an admin while the campaign is a draft or open. The digest
 * itself is sent by src/digest when the campaign closes.
 */
@Injectable()
export class CampaignDigestService {
  constructor(private readonly repo: CampaignDigestRepository) {}

  /** The users an admin may choose from. */
  choices(): Promise<DigestUser[]> {
    return this.repo.eligibleUsers();
  }

  /**
   * Sets the recipients: 400 (`digestRecipients[i]`) for an id that is not an active user with
   * report access, 404 for an unknown campaign, 409 once it is closed.
   */
  async setRecipients(campaignId: string, userIds: readonly string[]): Promise<void> {
    if (!isCampaignId(campaignId)) throw campaignNotFound();
    const unique = await this.checkRecipients(userIds);
    const { written, status } = await this.repo.setRecipients(campaignId, unique);
    if (written) return;
    if (status === null) throw campaignNotFound();
    throw new DomainError(
      ErrorCode.CampaignAlreadyClosed,
      'the campaign is closed: its digest recipients can no longer change',
    );
  }

  /** 400 (`digestRecipients[i]`) unless every id is an active user with report access. */
  async checkRecipients(userIds: readonly string[]): Promise<string[]> {
    const eligible = new Set((await this.repo.eligibleUsers()).map((u) => u.id));
    const unique = [...new Set(userIds)];
    const errors = userIds.flatMap((id, i) =>
      eligible.has(id)
        ? []
        : [
            {
              field: `digestRecipients[${i}]`,
              message: 'not a user with report access (admin or analyst, not disabled)',
            },
          ],
    );
    if (errors.length) throw invalid('The digest recipients are not valid', errors);
    return unique;
  }
}
