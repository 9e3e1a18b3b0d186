import { scaleLinear, scalePoint } from 'd3-scale';
import { fitLines, formatNumber, px, type Tick } from './common.js';
import { decimalsOf, padded } from './scatter.js';

export interface SeriesInput {
  name: string;
  color: string;
  /** The axis title of this series' panel (metric and question). */
  yTitle: string;
  /** One value per wave; null where the wave has no (released) value. */
  values: (number | null)[];
  /** Per wave: hover text. */
  titles: string[];
}

export interface PanelPoint {
  cx: number;
  cy: number;
  label: string;
  title: string;
}

export interface Panel {
  name: string;
  color: string;
  top: number;
  bottom: number;
  yTicks: Tick[];
  /** The panel's title in full (for the figure caption). */
  yTitle: string;
  /** The title as drawn: at most two lines that fit the chart's width (TITLE_FONT). */
  titleLines: { text: string; y: number }[];
  /** Connected runs of defined values, as polyline `points` attributes (numbers only). */
  segments: string[];
  points: PanelPoint[];
  nameY: number;
}

export interface TrendChart {
  width: number;
  height: number;
  left: number;
  right: number;
  xTicks: Tick[];
  xAxisY: number;
  panels: Panel[];
}

/** The panel titles' font: 14 px, semibold (.rp-panel-name in reports.css). */
export const TITLE_FONT = { size: 14, bold: true, lineHeight: 17 } as const;
export const TREND_WIDTH = 720;
/** The phone drawing of the trend: its text stays legible on a 390 px screen. */
export const TREND_NARROW_WIDTH = 360;

/**
 * Internal and external headline per wave, as two stacked panels that share the wave axis.
 * Each panel keeps its own, honest scale (a mean of 1–5 and an NPS of −100…100 cannot share one
 * axis), and a reader sees at a glance whether the two lines move together.
 */
export function buildTrend(
  waves: readonly string[],
  series: readonly SeriesInput[],
  lang: string,
  /** Least span of each y axis, so that noise does not look like a landslide. */
  minSpan: readonly number[] = [],
  /** TREND_WIDTH, or TREND_NARROW_WIDTH for phones (titles in up to three lines, less margin). */
  width = TREND_WIDTH,
): TrendChart {
  const narrow = width < TREND_WIDTH;
  const panelH = narrow ? 190 : 170;
  const gap = 36;
  const margin = narrow
    ? { top: 24, right: 20, bottom: 36, left: 44 }
    : { top: 24, right: 32, bottom: 36, left: 56 };
  const height = margin.top + margin.bottom + series.length * panelH + (series.length - 1) * gap;
  const x = scalePoint<string>()
    .domain(waves)
    .range([margin.left, width - margin.right])
    .padding(0.4);
  const panels = series.map((s, i) => {
    const top = margin.top + i * (panelH + gap);
    const bottom = top + panelH - 10;
    // The title starts at the plot's left edge and may use the width up to 8 units from the edge.
    const lines = fitLines(
      s.yTitle,
      width - margin.left - 8,
      TITLE_FONT.size,
      narrow ? 3 : 2,
      TITLE_FONT.bold,
    );
    const extra = (lines.length - 1) * TITLE_FONT.lineHeight;
    // The heading sits above the plot; values start 28 units lower.
    const defined = s.values.filter((v): v is number => v !== null);
    const y = scaleLinear()
      .domain(atLeast(padded(defined), minSpan[i] ?? 0))
      .range([bottom, top + 30 + extra])
      .nice(4);
    const ticksV = y.ticks(3);
    const digits = decimalsOf(ticksV);
    const segments: string[] = [];
    let run: string[] = [];
    const points: PanelPoint[] = [];
    s.values.forEach((v, w) => {
      if (v === null) {
        if (run.length > 1) segments.push(run.join(' '));
        run = [];
        return;
      }
      const cx = px(x(waves[w]) ?? 0);
      const cy = px(y(v));
      run.push(`${cx},${cy}`);
      points.push({
        cx,
        cy,
        label: formatNumber(v, lang, 2, Math.min(2, digits + 1)),
        title: s.titles[w] ?? '',
      });
    });
    if (run.length > 1) segments.push(run.join(' '));
    return {
      name: s.name,
      color: s.color,
      top,
      bottom,
      nameY: top + 14,
      yTicks: ticksV.map((v) => ({ pos: px(y(v)), label: formatNumber(v, lang, digits, digits) })),
      yTitle: s.yTitle,
      titleLines: lines.map((text, l) => ({ text, y: top + 14 + l * TITLE_FONT.lineHeight })),
      segments,
      points,
    };
  });
  const xAxisY = height - margin.bottom + 4;
  return {
    width,
    height,
    left: margin.left,
    right: width - margin.right,
    xAxisY,
    xTicks: waves.map((w) => ({ pos: px(x(w) ?? 0), label: w })),
    panels,
  };
}

/** Widens [lo, hi] symmetrically to at least `span`. */
export function atLeast([lo, hi]: [number, number], span: number): [number, number] {
  if (hi - lo >= span) return [lo, hi];
  const mid = (lo + hi) / 2;
  return [mid - span / 2, mid + span / 2];
}
