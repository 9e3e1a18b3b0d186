// Whole companies for tests that need a realistic organisation with answered campaigns.
import { seedDemo } from '../../src/cli/seed-demo.js';
import { bearer, type TestApp } from './app.js';

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
