import { scaleBand, scaleLinear } from 'd3-scale';
import {
  formatNumber,
  formatP,
  frame,
  type Frame,
  PALETTE,
  px,
  type Tick,
  wrap,
} from './common.js';
import { decimalsOf } from './scatter.js';

// ---------------------------------------------------------------------------------------------
// A question's answer distribution: one small vertical bar per scale value.
// ---------------------------------------------------------------------------------------------

export interface DistributionBar {
  x: number;
  /** Centre of the bar, for its labels. */
  cx: number;
  y: number;
  width: number;
  height: number;
  /** The scale value under the bar. */
  label: string;
  /** Count above the bar. */
  countLabel: string;
  countY: number;
  share: number;
  title: string;
}

export interface DistributionChart {
  frame: Frame;
  bars: DistributionBar[];
  color: string;
  /** y of the axis line. */
  baseline: number;
}

/**
 * Every value of the scale gets a bar, answered or not (a 0–10 scale shows eleven bars), so the
 * shape of the distribution is comparable between questions.
 */
export function buildDistribution(
  scale: number[],
  counts: Record<string, number>,
  lang: string,
  titleOf: (value: number, count: number, share: number) => string,
  color: string = PALETTE.internal,
): DistributionChart {
  const width = Math.max(260, scale.length * 26 + 16);
  const height = 130;
  const f = frame(width, height, { top: 16, right: 8, bottom: 20, left: 8 });
  const total = scale.reduce((s, v) => s + (counts[String(v)] ?? 0), 0);
  const max = Math.max(1, ...scale.map((v) => counts[String(v)] ?? 0));
  const x = scaleBand<number>().domain(scale).range([f.left, f.right]).padding(0.18);
  const y = scaleLinear().domain([0, max]).range([f.bottom, f.top]);
  return {
    frame: f,
    color,
    baseline: f.bottom,
    bars: scale.map((v) => {
      const count = counts[String(v)] ?? 0;
      const share = total ? count / total : 0;
      const top = y(count);
      return {
        x: px(x(v) ?? 0),
        cx: px((x(v) ?? 0) + x.bandwidth() / 2),
        y: px(top),
        width: px(x.bandwidth()),
        height: px(f.bottom - top),
        label: String(v),
        countLabel: count ? formatNumber(count, lang, 0) : '',
        countY: px(top - 3),
        share,
        title: titleOf(v, count, share),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Drivers: one horizontal bar per internal question, r with its 95 % interval, strongest first.
// ---------------------------------------------------------------------------------------------

export interface DriverInput {
  key: string;
  text: string;
  r: number | null;
  ci95: [number, number] | null;
  p: number | null;
  pAdjusted: number | null;
  n: number;
}

export interface DriverRow {
  key: string;
  /** The question in one or two lines (tspans, 16 units apart). */
  labelLines: { text: string; dy: number }[];
  fullText: string;
  /** Bar from zero to r. */
  barX: number;
  barWidth: number;
  barY: number;
  barHeight: number;
  /** CI whisker. */
  ciX1: number | null;
  ciX2: number | null;
  midY: number;
  capY1: number;
  capY2: number;
  labelY: number;
  /** Baseline of the first label line (two lines are centred on the bar). */
  labelTop: number;
  valueX: number;
  valueAnchor: 'start' | 'end';
  valueLabel: string;
  significant: boolean;
  fill: string;
  title: string;
  rLabel: string;
  ciLabel: string;
  pLabel: string;
  pAdjustedLabel: string;
  n: number;
}

export interface DriversChart {
  frame: Frame;
  rows: DriverRow[];
  ticks: Tick[];
  zeroX: number;
  colors: typeof PALETTE;
  axisTitle: { text: string; x: number; y: number };
}

export const DRIVER_ALPHA = 0.05;

export function buildDrivers(
  drivers: DriverInput[],
  lang: string,
  axisTitle: string,
  titleOf: (d: DriverInput) => string,
  ciLabelOf: (ci: [number, number] | null) => string,
): DriversChart {
  const rowH = 46;
  const sorted = [...drivers].sort(
    (a, b) => Math.abs(b.r ?? 0) - Math.abs(a.r ?? 0) || a.key.localeCompare(b.key),
  );
  const width = 760;
  const margin = { top: 8, right: 64, bottom: 52, left: 330 };
  const height = margin.top + margin.bottom + Math.max(1, sorted.length) * rowH;
  const f = frame(width, height, margin);
  const lows = sorted.map((d) => d.ci95?.[0] ?? d.r ?? 0);
  const highs = sorted.map((d) => d.ci95?.[1] ?? d.r ?? 0);
  const lo = Math.min(0, ...lows);
  const hi = Math.max(0, ...highs);
  const x = scaleLinear()
    .domain([Math.max(-1, lo), Math.min(1, hi === lo ? lo + 1 : hi)])
    .range([f.left, f.right])
    .nice(8);
  const y = scaleBand<string>()
    .domain(sorted.map((d) => d.key))
    .range([f.top, f.bottom])
    .padding(0.3);
  const values = x.ticks(8);
  const digits = decimalsOf(values);
  const zero = x(0);
  return {
    frame: f,
    zeroX: px(zero),
    colors: PALETTE,
    axisTitle: { text: axisTitle, x: px((f.left + f.right) / 2), y: height - 12 },
    ticks: values.map((v) => ({ pos: px(x(v)), label: formatNumber(v, lang, digits, digits) })),
    rows: sorted.map((d) => {
      const band = y(d.key) ?? 0;
      const r = d.r ?? 0;
      const end = x(r);
      const significant = d.pAdjusted !== null && d.pAdjusted < DRIVER_ALPHA;
      const ciHi = d.ci95 ? x(d.ci95[1]) : end;
      const ciLo = d.ci95 ? x(d.ci95[0]) : end;
      const right = r >= 0;
      return {
        key: d.key,
        labelLines: labelLines(d.text),
        fullText: d.text,
        barX: px(Math.min(zero, end)),
        barWidth: px(Math.abs(end - zero)),
        barY: px(band),
        barHeight: px(y.bandwidth()),
        ciX1: d.ci95 ? px(ciLo) : null,
        ciX2: d.ci95 ? px(ciHi) : null,
        midY: px(band + y.bandwidth() / 2),
        capY1: px(band + y.bandwidth() / 2 - 6),
        capY2: px(band + y.bandwidth() / 2 + 6),
        labelY: px(band + y.bandwidth() / 2 + 4),
        labelTop: px(band + y.bandwidth() / 2 + (labelLines(d.text).length > 1 ? -4 : 4)),
        valueX: px(right ? Math.max(ciHi, end) + 6 : Math.min(ciLo, end) - 6),
        valueAnchor: right ? ('start' as const) : ('end' as const),
        valueLabel:
          d.r === null ? '–' : `${formatNumber(d.r, lang, 2, 2)}${significant ? ' *' : ''}`,
        significant,
        fill: significant ? PALETTE.strong : PALETTE.weak,
        title: titleOf(d),
        rLabel: formatNumber(d.r, lang, 2, 2),
        ciLabel: ciLabelOf(d.ci95),
        pLabel: formatP(d.p, lang),
        pAdjustedLabel: formatP(d.pAdjusted, lang),
        n: d.n,
      };
    }),
  };
}

/** Up to two lines of about 44 characters (13 px text fits the 330-unit label column). */
function labelLines(text: string) {
  return wrap(text, 44, 2).map((t, i) => ({ text: t, dy: i ? 16 : 0 }));
}
