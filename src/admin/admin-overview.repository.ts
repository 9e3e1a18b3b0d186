import { Injectable } from '@nestjs/common';
import { CampaignEntity } from '../campaigns/campaign.entities.js';
import { Db } from '../database/db.js';
import { OutboxEntity } from '../invitations/invitation.entities.js';
import { ContactEntity, UnitEntity } from '../organisation/organisation.entities.js';
import { ResponseEntity } from '../responses/response.entities.js';

@Injectable()
export class AdminOverviewRepository {
  constructor(private readonly db: Db) {}

  async counts() {
    const m = this.db.manager;
    const [units, contacts, campaigns, open, responses, queued] = await Promise.all([
      m.count(UnitEntity),
      m.createQueryBuilder(ContactEntity, 'c').where('c.erased_at IS NULL').getCount(),
      m.count(CampaignEntity),
      m.countBy(CampaignEntity, { status: 'open' }),
      m.count(ResponseEntity),
      m.countBy(OutboxEntity, { status: 'queued' }),
    ]);
    return { units, contacts, campaigns, open, responses, queued };
  }
}
