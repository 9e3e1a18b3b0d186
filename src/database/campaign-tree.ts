/**
 * The unit tree a campaign's results are grouped by, one query shared by the report and the
 * linkage so the two can never group a campaign differently.
 */
import type { CampaignStatus } from '../domain/campaign-status.js';
import type { Db } from './db.js';

export interface CampaignTreeUnit {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
}

interface UnitSqlRow {
  id: unknown;
  code: unknown;
  name: unknown;
  parentId: unknown;
}

const toUnit = (r: UnitSqlRow): CampaignTreeUnit => ({
  id: String(r.id),
  code: String(r.code),
  name: String(r.name),
  parentId: r.parentId === null || r.parentId === undefined ? null : String(r.parentId),
});

/**
 * A launched campaign reports on the tree frozen at launch (campaign_units), with the codes and
 * names of then: moving, renaming or deleting a unit afterwards changes none of its groups. A unit
 * its responses name that is not in it (created after launch, a contact moved into it, then
 * answered) is a root of its own: it joins no frozen group. A draft (no results) uses the live
 * tree; so does a launched campaign with nothing frozen (rows written around the launch, as test
 * factories do). The units with responses come from `answer_counts` (one `resp` row per unit).
 */
export async function campaignTree(
  db: Db,
  campaign: { id: string; status: CampaignStatus },
): Promise<CampaignTreeUnit[]> {
  const live = async () =>
    (
      (await db.manager.query(
        `SELECT id, code, name, parent_id AS "parentId" FROM units`,
      )) as UnitSqlRow[]
    ).map(toUnit);
  if (campaign.status === 'draft') return live();
  const p = (i: number) => (db.isSqlite ? '?' : `$${i}`);
  const frozen = (await db.manager.query(
    `SELECT unit_id AS id, code, name, parent_id AS "parentId" FROM campaign_units
     WHERE campaign_id = ${p(1)}
     UNION ALL
     SELECT u.id, u.code, u.name, NULL FROM units u
     WHERE u.id IN (SELECT ac.unit_id FROM answer_counts ac
                    WHERE ac.campaign_id = ${p(2)} AND ac.kind = 'resp' AND ac.question_key = '')
       AND u.id NOT IN (SELECT f.unit_id FROM campaign_units f WHERE f.campaign_id = ${p(3)})
       AND EXISTS (SELECT 1 FROM campaign_units f WHERE f.campaign_id = ${p(4)})`,
    [campaign.id, campaign.id, campaign.id, campaign.id],
  )) as UnitSqlRow[];
  return frozen.length ? frozen.map(toUnit) : live();
}
