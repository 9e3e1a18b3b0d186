/** The drivers page: how each internal question correlates with the external score. */
import { buildDrivers } from '../charts/bars.js';
import { formatNumber } from '../charts/common.js';
import { fill, reportStrings } from '../reports/report-pages.i18n.js';
import type { PageContext } from '../reports/report-page.js';
import type { DriversResult } from './linkage.dto.js';
import { nullReason } from './linkage-summary.js';
import { campaignLabel, ciText, exploratoryText, pText, reasonText } from './page-format.js';

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
        p: pText(d.pAdjusted, lang),
      }),
    (c) => ciText(c, lang),
  );
  // The p columns follow the linkage pages' rule (two significant digits, never rounded across
  // 0.05), and a question without r says why.
  const byKey = new Map(inputs.map((d) => [d.key, d]));
  const rows = chart.rows.map((row) => {
    const d = byKey.get(row.key);
    const why =
      d && d.r === null
        ? d.n < 3
          ? reasonText(nullReason('tooFewUnits', { n: d.n, needed: 3 }), lang, t)
          : t.driverNoVariation
        : null;
    return {
      ...row,
      pLabel: pText(d?.p, lang),
      pAdjustedLabel: pText(d?.pAdjusted, lang),
      why,
    };
  });
  const n = Math.max(0, ...result.drivers.map((d) => d.n));
  return {
    t,
    n,
    internal: { label: campaignLabel(result.internal) },
    external: { label: campaignLabel(result.external.campaign) },
    exploratory: exploratoryText(n, t),
    chart: inputs.length ? { ...chart, rows } : null,
    driversDesc: fill(t.driversDesc, { n: inputs.length }),
    skipped: result.skipped,
    notes: result.notes,
  };
}
