// Whole companies for tests that need a realistic organisation with answered campaigns.
import { seedDemo } from '../../src/cli/seed-demo.js';
import { Db } from '../../src/database/db.js';
import { bearer, type TestApp } from './app.js';
import { insertReportResponses } from './factories.js';

export interface DemoCampaign {
  id: string;
  audience: 'internal' | 'external';
  wave: string;
}

/**
 * The demo company of `npm run cli seed-demo` (built through the public API, seed 42 unless
 * given), and its latest internal and external campaigns.
 */
export async function seedDemoCompany(
  t: TestApp,
  seed = 42,
): Promise<{ internal: DemoCampaign; external: DemoCampaign }> {
  await seedDemo(t.app, t.adminToken, seed);
  const list = (await t.http().get('/api/campaigns').set(bearer(t.adminToken)).expect(200))
    .body as DemoCampaign[];
  const latest = (a: DemoCampaign['audience']) =>
    list.filter((c) => c.audience === a).sort((x, y) => y.wave.localeCompare(x.wave))[0];
  return { internal: latest('internal'), external: latest('external') };
}

/** Headline answers added to every branch: at most 2 alike, 2 of 7 in the top box. */
const SPREAD = [1, 2, 3, 4, 5, 1, 2];

/**
 * Adds seven headline answers spread over the whole scale to every branch (`B-…`) of the demo's
 * internal campaign. The release gate hides a group where fewer than k answers differ from the
 * most common one, or all sit on one side of the top box (issue 7, E5); with these every branch
 * group is varied enough to be released, so the linkage's scatter plot has units to draw.
 */
export async function spreadDemoBranches(t: TestApp, internal: DemoCampaign): Promise<void> {
  const units = (await t.http().get('/api/units').set(bearer(t.adminToken)).expect(200))
    .body as Array<{ id: string; code: string }>;
  await insertReportResponses(
    t.app.get(Db),
    internal.id,
    units
      .filter((u) => u.code.startsWith('B-'))
      .flatMap((u) => SPREAD.map((sat) => ({ unitId: u.id, answers: { sat } }))),
  );
}
