/** The /reports index: every campaign by wave, and the form that opens a linkage. */
import type { CampaignSummaryView } from '../campaigns/campaigns.dto.js';
import { fill, reportStrings } from './report-pages.i18n.js';
import { type PageContext, pct } from './report-page.js';

export function reportsIndexView(campaigns: CampaignSummaryView[], ctx: PageContext) {
  const t = reportStrings(ctx.lang);
  const waves = [...new Set(campaigns.map((c) => c.wave))].sort().reverse();
  const card = (c: CampaignSummaryView) => ({
    id: c.id,
    name: c.name,
    status: c.status,
    audience: c.audience,
    responsesLine: fill(t.responsesOf, {
      responses: c.responses,
      invited: c.invited,
      rate: c.invited ? pct(c.responses / c.invited, ctx.lang) : '–',
    }),
  });
  const rows = waves.map((wave) => {
    const here = campaigns.filter((c) => c.wave === wave);
    return {
      wave,
      internal: here.filter((c) => c.audience === 'internal').map(card),
      external: here.filter((c) => c.audience === 'external').map(card),
    };
  });
  const latestBoth = rows.find((r) => r.internal.length && r.external.length);
  const option = (c: CampaignSummaryView, selected?: string) => ({
    id: c.id,
    label: `${c.wave} · ${c.name}`,
    selected: c.id === selected,
  });
  const defInt = latestBoth?.internal[0]?.id;
  const defExt = latestBoth?.external[0]?.id;
  const sorted = [...campaigns].sort(
    (a, b) => b.wave.localeCompare(a.wave) || a.name.localeCompare(b.name),
  );
  return {
    t,
    waves: rows,
    empty: campaigns.length === 0,
    internalOptions: sorted.filter((c) => c.audience === 'internal').map((c) => option(c, defInt)),
    externalOptions: sorted.filter((c) => c.audience === 'external').map((c) => option(c, defExt)),
    canLink:
      campaigns.some((c) => c.audience === 'internal') &&
      campaigns.some((c) => c.audience === 'external'),
  };
}
