/** The service map of a campaign: raters' units against provider units, as a heatmap and a table. */
import { formatNumber } from '../charts/common.js';
import { buildHeatmap } from '../charts/heatmap.js';
import { translate } from '../common/messages.js';
import { fill, reportStrings } from '../reports/report-pages.i18n.js';
import type { PageContext } from '../reports/report-page.js';
import type { ServiceMapResult } from './linkage.dto.js';

export function serviceMapView(result: ServiceMapResult, ctx: PageContext) {
  const lang = ctx.lang;
  const t = reportStrings(lang);
  const rows = result.raters.map((r) => ({ key: r.unitCode, label: r.unitName || r.unitCode }));
  const cols = result.providers.map((p) => ({ key: p.unitCode, label: p.unitName || p.unitCode }));
  // Each column's mean is on its provider's scale; the legend uses theirs when they share one.
  const scaleOf = new Map(result.providers.map((p) => [p.unitCode, p.scale]));
  const scales = [...new Set(result.providers.map((p) => `${p.scale.min}-${p.scale.max}`))];
  const [min, max] = scales.length === 1 ? scales[0].split('-').map(Number) : [0, 100];
  const scale = { min, max };
  const cells = result.cells.map((c) => ({
    row: c.raterUnitCode,
    col: c.providerUnitCode,
    value: c.suppressed ? null : (c.mean ?? null),
    n: c.suppressed ? null : (c.n ?? null),
    suppressed: c.suppressed === true,
    scale: scaleOf.get(c.providerUnitCode) ?? scale,
  }));
  const known = new Set(cells.map((c) => `${c.row}\u0000${c.col}`));
  for (const r of rows)
    for (const c of cols)
      if (!known.has(`${r.key}\u0000${c.key}`))
        cells.push({ row: r.key, col: c.key, value: null, n: null, suppressed: false, scale });
  const chart =
    rows.length && cols.length
      ? buildHeatmap(
          rows,
          cols,
          cells,
          lang,
          (c, row, col) =>
            c.suppressed
              ? fill(t.cellHidden, { row, col })
              : c.value === null
                ? fill(t.cellEmpty, { row, col })
                : fill(t.cellTitle, {
                    row,
                    col,
                    value: formatNumber(c.value, lang, 2, 2),
                    n: c.n ?? 0,
                  }),
          scale,
        )
      : null;
  const cellOf = new Map(cells.map((c) => [`${c.row}\u0000${c.col}`, c]));
  const hiddenLabel = fill(t.hidden, { k: result.minGroupSize });
  return {
    t,
    campaign: result.campaign,
    notReleased: !result.resultsReleased,
    chart,
    hiddenLabel,
    hiddenLegend: fill(t.legendHidden, { k: result.minGroupSize }),
    scaleNote: translate(lang, 'reportlooks.serviceMap.scaleNote', {
      mid: formatNumber((scale.min + scale.max) / 2, lang, 1, 0),
    }),
    desc: fill(t.serviceMapDesc, { rows: rows.length, cols: cols.length }),
    providers: result.providers.map((p) => ({
      name: p.unitName || p.unitCode,
      hidden: p.suppressed === true,
      text: p.suppressed
        ? hiddenLabel
        : p.mean === undefined
          ? t.noData
          : `${formatNumber(p.mean, lang, 2, 2)} (n=${p.n ?? 0})`,
    })),
    table: {
      cols,
      rows: rows.map((r) => ({
        label: r.label,
        cells: cols.map((c) => {
          const cell = cellOf.get(`${r.key}\u0000${c.key}`);
          if (!cell || (!cell.suppressed && cell.value === null))
            return { text: t.noData, muted: true };
          if (cell.suppressed) return { text: hiddenLabel, muted: true };
          return {
            text: `${formatNumber(cell.value, lang, 2, 2)} (n=${cell.n ?? 0})`,
            muted: false,
          };
        }),
      })),
    },
  };
}
