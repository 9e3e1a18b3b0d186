import { scaleBand, scaleLinear } from 'd3-scale';
import { formatNumber, frame, type Frame, px, shorten } from './common.js';
import { decimalsOf } from './scatter.js';

/**
 * Diverging, colour-blind-safe (orange = worse, blue = better; the ends of ColorBrewer PuOr and
 * RdBu, which stay apart for every common colour-vision deficiency). The centre, a near-white
 * grey, is the scale's neutral point (3 of 1–5, 5 of 0–10): a cell's colour says on which side of
 * it the mean lies, and how far.
 */
export const DIVERGING = [
  '#b35806',
  '#e08214',
  '#fdb863',
  '#fee0b6',
  '#f7f7f7',
  '#d1e5f0',
  '#92c5de',
  '#4393c3',
  '#2166ac',
] as const;

/** The two text colours a cell may get: black and white keep ≥ 4.58:1 on any fill. */
export const TEXT_DARK = '#000000';
export const TEXT_LIGHT = '#ffffff';

const diverging = scaleLinear<string>()
  .domain(DIVERGING.map((_, i) => i / (DIVERGING.length - 1)))
  .range([...DIVERGING])
  .clamp(true);

/** The colour of a position on the scale: 0 = worst, 0.5 = neutral, 1 = best. */
export const divergingColor = (t: number): string => diverging(t);

/** WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour (black or white) with the higher contrast on `fill`. */
export function textOn(fill: string): string {
  return contrast(fill, TEXT_DARK) >= contrast(fill, TEXT_LIGHT) ? TEXT_DARK : TEXT_LIGHT;
}

/** The scale of the values: min, neutral midpoint and max (e.g. 1, 3, 5). */
export interface HeatScale {
  min: number;
  max: number;
}

export interface HeatCellInput {
  row: string;
  col: string;
  value: number | null;
  n: number | null;
  suppressed: boolean;
  /** The scale of this cell's value (its column's questions); else the chart's scale. */
  scale?: HeatScale;
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
    /** x of the neutral point (the scale's midpoint), and its value as text. */
    midX: number;
    midLabel: string;
    hatchX: number;
    hatchY: number;
    right: number;
  };
}

/**
 * Rater unit (row) × provider unit (column). Released cells take the diverging colour of their
 * place on their scale, with black or white text, whichever contrasts more. Suppressed cells get
 * the grey hatch pattern and no number (grey: neither good nor bad); empty cells (no question / no
 * answers) stay white with a dash.
 */
export function buildHeatmap(
  rows: { key: string; label: string }[],
  cols: { key: string; label: string }[],
  cells: HeatCellInput[],
  lang: string,
  titleOf: (c: HeatCellInput, row: string, col: string) => string,
  /** The legend's scale (and that of cells without one): 1–5 unless told. */
  scale: HeatScale = { min: 1, max: 5 },
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
  const position = (value: number, sc: HeatScale) =>
    sc.max > sc.min ? (value - sc.min) / (sc.max - sc.min) : 0.5;
  const ticks = scaleLinear().domain([scale.min, scale.max]).ticks(4);
  const digits = decimalsOf(ticks);
  /** Means keep one decimal: 3.4 and 3.6 sit on either side of a neutral 3.5. */
  const cellDigits = 1;
  const rowLabel = new Map(rows.map((r) => [r.key, r.label]));
  const colLabel = new Map(cols.map((c) => [c.key, c.label]));
  // The legend keeps its width (its three labels need it), starting under the plot if it fits.
  const legendW = 240;
  const legendX = Math.min(f.left, width - margin.right - legendW);
  const legendScale = scaleLinear()
    .domain([scale.min, scale.max])
    .range([legendX, legendX + legendW]);
  const mid = (scale.min + scale.max) / 2;
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
        const fill = c.suppressed
          ? 'url(#hatch)'
          : empty
            ? '#ffffff'
            : divergingColor(position(c.value as number, c.scale ?? scale));
        return {
          x: px(cx),
          y: px(cy),
          width: px(x.bandwidth()),
          height: px(y.bandwidth()),
          fill,
          textFill: c.suppressed || empty ? TEXT_DARK : textOn(fill),
          textX: px(cx + x.bandwidth() / 2),
          textY: px(cy + y.bandwidth() / 2 + 5),
          label: c.suppressed
            ? ''
            : empty
              ? '–'
              : formatNumber(c.value, lang, cellDigits, cellDigits),
          suppressed: c.suppressed,
          empty,
          title: titleOf(c, rowLabel.get(c.row) ?? c.row, colLabel.get(c.col) ?? c.col),
        };
      }),
    legend: {
      x: legendX,
      y: f.bottom + 24,
      swatches: Array.from({ length: steps }, (_, i) => {
        return {
          x: px(legendX + (legendW * i) / steps),
          width: px(legendW / steps + 0.5),
          fill: divergingColor((i + 0.5) / steps),
        };
      }),
      ticks: ticks.map((v) => ({
        x: px(legendScale(v)),
        label: formatNumber(v, lang, digits, digits),
      })),
      midX: px(legendScale(mid)),
      midLabel: formatNumber(mid, lang, 1, 0),
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
