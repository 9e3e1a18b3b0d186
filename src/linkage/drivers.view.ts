/** The drivers page: how each internal question correlates with the external score. */
import { buildDrivers } from '../charts/bars.js';
import { formatNumber, formatP } from '../charts/common.js';
import { fill, reportStrings } from '../reports/report-pages.i18n.js';
import type { PageContext } from '../reports/report-page.js';
import type { DriversResult } from './linkage.dto.js';
import { campaignLabel, ciText, EXPLORATORY_BELOW } from './page-format.js';

export function driversView(result: DriversResult, ctx: PageContext) {
  const lang = ctx.lang;
  const t = reportStrings(lang);
  const inputs = result.drivers.map((d) => ({
    key: d.questionKey,
    text: d.text[lang] || d.text.en || d.text.it || d.questionKey,
    r: d.r,
    ci95: d.ci95,
    p: d.p,
    pAdjusted: d.pAdjusted,
    n: d.n,
  }));
  const chart = buildDrivers(
    inputs,
    lang,
    t.driversAxis,
    (d) =>
      fill(t.driverTitle, {
        question: d.text,
        r: formatNumber(d.r, lang, 2, 2),
        ci: ciText(d.ci95, lang),
        p: formatP(d.pAdjusted, lang),
      }),
    (c) => ciText(c, lang),
  );
  const n = Math.max(0, ...result.drivers.map((d) => d.n));
  return {
    t,
    n,
    internal: { label: campaignLabel(result.internal) },
    external: { label: campaignLabel(result.external.campaign) },
    exploratory: n < EXPLORATORY_BELOW ? fill(t.exploratory, { n }) : null,
    chart: inputs.length ? chart : null,
    driversDesc: fill(t.driversDesc, { n: inputs.length }),
    skipped: result.skipped,
    notes: result.notes,
  };
}
