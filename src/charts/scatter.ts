import { scaleLinear } from 'd3-scale';
import { formatNumber, frame, type Frame, PALETTE, px, type Tick, wrap } from './common.js';

export interface ScatterPoint {
  /** Short label drawn next to the dot (a unit code). */
  code: string;
  /** Full name, for the hover title and the table. */
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
  label: string;
  /** Label anchor: labels near the right edge go to the left of the dot. */
  labelX: number;
  labelAnchor: 'start' | 'end';
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

/** One dot per unit, x = internal score, y = external score, with the fitted line. */
export function buildScatter(input: ScatterInput): ScatterChart {
  const width = input.width ?? 880;
  const height = input.height ?? 520;
  const f = frame(width, height, MARGIN);
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
  const dots = input.points.map((p) => {
    const cx = px(x(p.x));
    const nearRight = cx > f.right - 60;
    return {
      cx,
      cy: px(y(p.y)),
      r: 6,
      title: input.describe(p),
      label: p.code,
      labelX: px(nearRight ? cx - 9 : cx + 9),
      labelAnchor: nearRight ? ('end' as const) : ('start' as const),
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

/** A title in at most two lines of about 95 characters (13 px text in the 720-unit-wide chart). */
const lines = (text: string) => wrap(text, 105, 2).map((t, i) => ({ text: t, dy: i ? 16 : 0 }));

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
