import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One unit of the tree a campaign reports on, as it was at launch (code, name and parent frozen).
 * Written once, in the launch transaction; never updated.
 */
@Entity('campaign_units')
export class CampaignUnitEntity {
  @PrimaryColumn({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId: string | null;
}
