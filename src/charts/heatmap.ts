import { scaleBand, scaleLinear } from 'd3-scale';
import { formatNumber, frame, type Frame, px, shorten } from './common.js';
import { decimalsOf } from './scatter.js';

/** Sequential, colour-blind-safe (ColorBrewer YlGnBu, 5 classes): light = low, dark = high. */
export const HEAT_COLORS = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'] as const;

export interface HeatCellInput {
  row: string;
  col: string;
  value: number | null;
  n: number | null;
  suppressed: boolean;
}

export interface HeatCell {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  textFill: string;
  textX: number;
  textY: number;
  label: string;
  suppressed: boolean;
  empty: boolean;
  title: string;
}

export interface HeatmapChart {
  frame: Frame;
  rows: { label: string; fullLabel: string; y: number }[];
  cols: { label: string; fullLabel: string; x: number }[];
  cells: HeatCell[];
  legend: {
    x: number;
    y: number;
    swatches: { x: number; width: number; fill: string }[];
    ticks: { x: number; label: string }[];
    hatchX: number;
    hatchY: number;
    right: number;
  };
}

/**
 * Rater unit (row) × provider unit (column). Suppressed cells get the hatch pattern and no
 * number; empty cells (no question / no answers) stay white with a dash.
 */
export function buildHeatmap(
  rows: { key: string; label: string }[],
  cols: { key: string; label: string }[],
  cells: HeatCellInput[],
  lang: string,
  titleOf: (c: HeatCellInput, row: string, col: string) => string,
): HeatmapChart {
  const cellW = 112;
  const cellH = 34;
  const margin = { top: 64, right: 16, bottom: 96, left: 200 };
  const width = margin.left + margin.right + Math.max(1, cols.length) * cellW;
  const height = margin.top + margin.bottom + Math.max(1, rows.length) * cellH;
  const f = frame(width, height, margin);
  const x = scaleBand<string>()
    .domain(cols.map((c) => c.key))
    .range([f.left, f.right])
    .paddingInner(0.06);
  const y = scaleBand<string>()
    .domain(rows.map((r) => r.key))
    .range([f.top, f.bottom])
    .paddingInner(0.08);
  const values = cells.flatMap((c) => (c.value !== null && !c.suppressed ? [c.value] : []));
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const domain = scaleLinear()
    .domain(lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi])
    .nice(4)
    .domain();
  const stops = HEAT_COLORS.map((_, i) => domain[0] + ((domain[1] - domain[0]) * i) / 4);
  const color = scaleLinear<string>()
    .domain(stops)
    .range([...HEAT_COLORS])
    .clamp(true);
  const ticks = scaleLinear().domain(domain).ticks(4);
  const digits = Math.max(1, decimalsOf(ticks));
  const rowLabel = new Map(rows.map((r) => [r.key, r.label]));
  const colLabel = new Map(cols.map((c) => [c.key, c.label]));
  const legendW = Math.min(240, f.right - f.left);
  const legendX = f.left;
  const legendScale = scaleLinear()
    .domain(domain)
    .range([legendX, legendX + legendW]);
  const steps = 20;
  return {
    frame: f,
    rows: rows.map((r) => ({
      label: shorten(r.label, 26),
      fullLabel: r.label,
      y: px((y(r.key) ?? 0) + y.bandwidth() / 2 + 4),
    })),
    cols: cols.map((c) => ({
      label: shorten(c.label, 16),
      fullLabel: c.label,
      x: px((x(c.key) ?? 0) + x.bandwidth() / 2),
    })),
    cells: cells
      .filter((c) => rowLabel.has(c.row) && colLabel.has(c.col))
      .map((c) => {
        const cx = x(c.col) ?? 0;
        const cy = y(c.row) ?? 0;
        const empty = !c.suppressed && c.value === null;
        const fill = c.suppressed ? 'url(#hatch)' : empty ? '#ffffff' : color(c.value as number);
        return {
          x: px(cx),
          y: px(cy),
          width: px(x.bandwidth()),
          height: px(y.bandwidth()),
          fill,
          textFill: c.suppressed || empty || luminance(fill) > 0.4 ? '#111827' : '#ffffff',
          textX: px(cx + x.bandwidth() / 2),
          textY: px(cy + y.bandwidth() / 2 + 5),
          label: c.suppressed ? '' : empty ? '–' : formatNumber(c.value, lang, digits, digits),
          suppressed: c.suppressed,
          empty,
          title: titleOf(c, rowLabel.get(c.row) ?? c.row, colLabel.get(c.col) ?? c.col),
        };
      }),
    legend: {
      x: legendX,
      y: f.bottom + 24,
      swatches: Array.from({ length: steps }, (_, i) => {
        const v = domain[0] + ((domain[1] - domain[0]) * (i + 0.5)) / steps;
        return {
          x: px(legendX + (legendW * i) / steps),
          width: px(legendW / steps + 0.5),
          fill: color(v),
        };
      }),
      ticks: ticks.map((v) => ({
        x: px(legendScale(v)),
        label: formatNumber(v, lang, digits, digits),
      })),
      hatchX: legendX,
      hatchY: f.bottom + 66,
      right: px(legendX + legendW),
    },
  };
}

/** Relative luminance (WCAG) of an `rgb(r, g, b)` or `#rrggbb` colour; 1 for anything else. */
export function luminance(color: string): number {
  let rgb: number[] | null = null;
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  if (m) rgb = [m[1], m[2], m[3]].map(Number);
  else if (/^#[0-9a-f]{6}$/i.test(color))
    rgb = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  if (!rgb) return 1;
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
