import { scaleLinear } from 'd3-scale';
import { formatNumber, frame, type Frame, PALETTE, px, type Tick, wrap } from './common.js';

export interface ScatterPoint {
  /** The unit code (the data table shows it). */
  code: string;
  /** The unit name: drawn next to the dot when it fits, and in the hover title. */
  name: string;
  x: number;
  y: number;
  nx: number;
  ny: number;
}

export interface ScatterInput {
  points: ScatterPoint[];
  /** The fitted OLS line y = intercept + slope·x, when defined. */
  fit: { slope: number; intercept: number } | null;
  xTitle: string;
  yTitle: string;
  lang: string;
  /** Builds the hover text of one dot (localised by the caller). */
  describe: (p: ScatterPoint) => string;
  width?: number;
  height?: number;
}

export interface ScatterDot {
  cx: number;
  cy: number;
  r: number;
  title: string;
  /** The name drawn next to the dot; null when it could not be placed without overlap. */
  label: string | null;
  /** Baseline position and anchor of the label. */
  labelX: number;
  labelY: number;
  labelAnchor: 'start' | 'middle' | 'end';
}

export interface ScatterChart {
  frame: Frame;
  xTicks: Tick[];
  yTicks: Tick[];
  dots: ScatterDot[];
  fit: { x1: number; y1: number; x2: number; y2: number } | null;
  /** Dashed reference lines at the average of each side (quadrant guides). */
  meanX: number | null;
  meanY: number | null;
  /** Axis titles, horizontal and wrapped: x under the plot, y above it (read without tilting). */
  xTitle: { lines: { text: string; dy: number }[]; x: number; y: number };
  yTitle: { lines: { text: string; dy: number }[]; x: number; y: number };
  colors: typeof PALETTE;
}

const MARGIN = { top: 52, right: 24, bottom: 72, left: 56 };
/** Phones: a third title line, less room for the y tick labels. */
const NARROW_MARGIN = { top: 68, right: 14, bottom: 88, left: 44 };
/** Below this width the chart is the phone variant (titles in three shorter lines). */
export const NARROW_CHART_WIDTH = 600;

/** One dot per unit, x = internal score, y = external score, with the fitted line. */
export function buildScatter(input: ScatterInput): ScatterChart {
  const width = input.width ?? 880;
  const height = input.height ?? 520;
  const narrow = width < NARROW_CHART_WIDTH;
  const f = frame(width, height, narrow ? NARROW_MARGIN : MARGIN);
  // Axis titles (14 px, bold: about 8.6 units a character) wrap at 105 characters in the wide
  // chart, to the width in the narrow one.
  const lines = (text: string) =>
    wrap(text, narrow ? Math.floor((width - 8) / 8.6) : 105, narrow ? 3 : 2).map((t, i) => ({
      text: t,
      dy: i ? 16 : 0,
    }));
  const xs = input.points.map((p) => p.x);
  const ys = input.points.map((p) => p.y);
  const x = scaleLinear().domain(padded(xs)).range([f.left, f.right]).nice(6);
  const y = scaleLinear().domain(padded(ys)).range([f.bottom, f.top]).nice(6);
  const tick = (s: typeof x): Tick[] => {
    const values = s.ticks(6);
    const digits = decimalsOf(values);
    return values.map((v) => ({
      pos: px(s(v)),
      label: formatNumber(v, input.lang, digits, digits),
    }));
  };
  const R = 6;
  const centres = input.points.map((p) => ({ cx: px(x(p.x)), cy: px(y(p.y)), r: R }));
  const placed = placeLabels(
    centres.map((c, i) => ({ ...c, text: shorten(input.points[i].name) })),
    { x0: f.left, y0: f.top, x1: f.right, y1: f.bottom },
  );
  const dots = input.points.map((p, i): ScatterDot => {
    const at = placed[i];
    return {
      ...centres[i],
      title: input.describe(p),
      label: at ? at.text : null,
      labelX: at ? at.x : 0,
      labelY: at ? at.y : 0,
      labelAnchor: at ? at.anchor : 'start',
    };
  });
  return {
    frame: f,
    xTicks: tick(x),
    yTicks: tick(y),
    dots,
    fit: input.fit ? clipLine(input.fit, x.domain(), y.domain(), x, y) : null,
    meanX: xs.length ? px(x(average(xs))) : null,
    meanY: ys.length ? px(y(average(ys))) : null,
    xTitle: { lines: lines(`${input.xTitle} →`), x: px((f.left + f.right) / 2), y: f.bottom + 44 },
    yTitle: { lines: lines(`↑ ${input.yTitle}`), x: 4, y: 16 },
    colors: PALETTE,
  };
}

const average = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** The data range with 5 % air on both sides (a single value gets ±1, no data gives 0…1). */
export function padded(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** Enough decimals to tell the ticks apart (0 for 1, 2, 3; 1 for 3.5, 4.0; …). */
export function decimalsOf(ticks: number[]): number {
  if (ticks.length < 2) return 2;
  const step = Math.abs(ticks[1] - ticks[0]);
  return Math.max(0, Math.min(3, Math.ceil(-Math.log10(step) - 1e-9)));
}

/** The segment of y = a + b·x inside the plotting rectangle, in pixels (null if it misses it). */
export function clipLine(
  fit: { slope: number; intercept: number },
  [x0, x1]: number[],
  [y0, y1]: number[],
  sx: (v: number) => number,
  sy: (v: number) => number,
): { x1: number; y1: number; x2: number; y2: number } | null {
  const { slope: b, intercept: a } = fit;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const [ylo, yhi] = [Math.min(y0, y1), Math.max(y0, y1)];
  let from = x0;
  let to = x1;
  if (b !== 0) {
    const xa = (ylo - a) / b;
    const xb = (yhi - a) / b;
    from = Math.max(from, Math.min(xa, xb));
    to = Math.min(to, Math.max(xa, xb));
  } else if (a < ylo || a > yhi) return null;
  if (!(from < to)) return null;
  return { x1: px(sx(from)), y1: px(sy(a + b * from)), x2: px(sx(to)), y2: px(sy(a + b * to)) };
}

// --- label placement ----------------------------------------------------------------------------

/** An axis-aligned rectangle in chart pixels. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LabelDot {
  cx: number;
  cy: number;
  r: number;
  text: string;
}

export interface PlacedLabel {
  text: string;
  /** Text baseline position and anchor, as SVG <text> takes them. */
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  box: Box;
}

/** Approximate size of 12 px label text (the chart's .rp-dot-label). */
export const LABEL_METRICS = { charWidth: 6.8, height: 14, gap: 3, descent: 4 };

/** A name cut to 24 characters (the hover title and the data table carry it whole). */
export function shorten(name: string, max = 24): string {
  const chars = [...name];
  return chars.length <= max ? name : `${chars.slice(0, max - 1).join('')}…`;
}

export const intersects = (a: Box, b: Box) =>
  a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

const inside = (a: Box, b: Box) => a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1;

/**
 * Greedy label placement: each dot in turn (left to right) tries eight positions around itself
 * (right, left, above, below, then the diagonals) and takes the first whose box stays inside
 * `bounds`, meets no label placed before and covers no dot; a label that fits nowhere is dropped
 * (null), the data table lists every unit. Kept boxes never intersect.
 */
export function placeLabels(
  dots: readonly LabelDot[],
  bounds: Box,
  m: typeof LABEL_METRICS = LABEL_METRICS,
): Array<PlacedLabel | null> {
  const dotBoxes = dots.map((d) => ({
    x0: d.cx - d.r,
    y0: d.cy - d.r,
    x1: d.cx + d.r,
    y1: d.cy + d.r,
  }));
  const kept: Box[] = [];
  const out: Array<PlacedLabel | null> = dots.map(() => null);
  const order = dots.map((_, i) => i).sort((a, b) => dots[a].cx - dots[b].cx || a - b);
  for (const i of order) {
    const d = dots[i];
    if (!d.text) continue;
    const w = [...d.text].length * m.charWidth;
    const h = m.height;
    const off = d.r + m.gap;
    // [box left, box top, anchor]
    const candidates: Array<[number, number, PlacedLabel['anchor']]> = [
      [d.cx + off, d.cy - h / 2, 'start'],
      [d.cx - off - w, d.cy - h / 2, 'end'],
      [d.cx - w / 2, d.cy - off - h, 'middle'],
      [d.cx - w / 2, d.cy + off, 'middle'],
      [d.cx + off, d.cy - off - h, 'start'],
      [d.cx + off, d.cy + off, 'start'],
      [d.cx - off - w, d.cy - off - h, 'end'],
      [d.cx - off - w, d.cy + off, 'end'],
    ];
    for (const [left, top, anchor] of candidates) {
      const box = { x0: left, y0: top, x1: left + w, y1: top + h };
      if (!inside(box, bounds)) continue;
      if (kept.some((b) => intersects(b, box))) continue;
      if (dotBoxes.some((b) => intersects(b, box))) continue;
      kept.push(box);
      const x = anchor === 'start' ? left : anchor === 'end' ? left + w : left + w / 2;
      out[i] = { text: d.text, x: px(x), y: px(top + h - m.descent), anchor, box };
      break;
    }
  }
  return out;
}
