import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unit tree a campaign reports on, frozen at launch (DESIGN.md "Confidentiality"): one row per
 * unit as it was when the campaign left draft, so later moves, renames or deletions of units do not
 * change the campaign's released groups. No foreign key to `units`: a unit deleted after launch
 * keeps its frozen row (its responses keep their unit_id).
 *
 * Back-fill: campaigns already launched (open or closed) get the tree as it is now. Their tree at
 * launch was never recorded, so the current one is the best one can do; from here on it is frozen.
 */
export class CampaignUnits1796067173451 implements MigrationInterface {
  name = 'CampaignUnits1796067173451';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE campaign_units (
        campaign_id varchar(36) NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        unit_id varchar(36) NOT NULL,
        code varchar(64) NOT NULL,
        name varchar(200) NOT NULL,
        parent_id varchar(36) NULL,
        PRIMARY KEY (campaign_id, unit_id)
      )`);
    await q.query(
      `INSERT INTO campaign_units (campaign_id, unit_id, code, name, parent_id)
       SELECT c.id, u.id, u.code, u.name, u.parent_id
       FROM campaigns c CROSS JOIN units u
       WHERE c.status IN ('open', 'closed')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE campaign_units');
  }
}
