import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.js';
import { CampaignEntity } from '../database/schema/campaign.entity.js';
import { ContactEntity } from '../database/schema/contact.entity.js';
import { OutboxEntity } from '../database/schema/outbox.entity.js';
import { ResponseEntity } from '../database/schema/response.entity.js';
import { UnitEntity } from '../database/schema/unit.entity.js';

/** How many of each thing the installation holds (erased contacts are not counted). */
export interface OverviewCounts {
  units: number;
  contacts: number;
  campaigns: number;
  open: number;
  responses: number;
  queued: number;
}

@Injectable()
export class AdminOverviewRepository {
  constructor(private readonly db: Db) {}

  async counts(): Promise<OverviewCounts> {
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
