import { buildDistribution, buildDrivers } from './bars.js';
import { fitLines, formatNumber, formatP, shorten, textWidth, wrap } from './common.js';
import {
  buildHeatmap,
  contrast,
  DIVERGING,
  divergingColor,
  luminance,
  TEXT_DARK,
  TEXT_LIGHT,
  textOn,
} from './heatmap.js';
import { atLeast, buildTrend, TITLE_FONT, TREND_WIDTH } from './lines.js';
import { buildScatter, clipLine, decimalsOf, padded } from './scatter.js';

const describeDot = (p: { name: string }) => p.name;

describe('scatter', () => {
  const points = [
    { code: 'A', name: 'Alpha', x: 3, y: 10, nx: 6, ny: 20 },
    { code: 'B', name: 'Beta <b>', x: 4, y: 30, nx: 7, ny: 25 },
    { code: 'C', name: 'Gamma', x: 5, y: 50, nx: 8, ny: 30 },
  ];
  const chart = buildScatter({
    points,
    fit: { slope: 20, intercept: -50 },
    xTitle: 'Internal',
    yTitle: 'External',
    lang: 'en',
    describe: describeDot,
  });

  it('places one dot per point inside the plot, higher scores right and up', () => {
    expect(chart.dots).toHaveLength(3);
    const f = chart.frame;
    for (const d of chart.dots) {
      expect(d.cx).toBeGreaterThanOrEqual(f.left);
      expect(d.cx).toBeLessThanOrEqual(f.right);
      expect(d.cy).toBeGreaterThanOrEqual(f.top);
      expect(d.cy).toBeLessThanOrEqual(f.bottom);
    }
    expect(chart.dots[2].cx).toBeGreaterThan(chart.dots[0].cx);
    expect(chart.dots[2].cy).toBeLessThan(chart.dots[0].cy);
    expect(chart.dots[1].title).toBe('Beta <b>'); // plain text: the template escapes it
  });

  it('draws the fitted line through the points it fits exactly', () => {
    const { fit } = chart;
    expect(fit).not.toBeNull();
    const slope = (fit!.y2 - fit!.y1) / (fit!.x2 - fit!.x1);
    const viaDots = (chart.dots[2].cy - chart.dots[0].cy) / (chart.dots[2].cx - chart.dots[0].cx);
    expect(slope).toBeCloseTo(viaDots, 1);
  });

  it('has d3 ticks with labels and wrapped axis titles with arrows', () => {
    expect(chart.xTicks.length).toBeGreaterThan(2);
    expect(chart.xTicks.map((t) => t.label)).toContain('4.0');
    expect(chart.xTitle.lines[0].text).toBe('Internal →');
    expect(chart.yTitle.lines[0].text).toBe('↑ External');
  });

  it('copes with no points and no fit', () => {
    const empty = buildScatter({
      points: [],
      fit: null,
      xTitle: 'x',
      yTitle: 'y',
      lang: 'it',
      describe: describeDot,
    });
    expect(empty.dots).toEqual([]);
    expect(empty.fit).toBeNull();
    expect(empty.meanX).toBeNull();
  });

  it('clips a line to the plot and drops one that misses it', () => {
    const id = (v: number) => v;
    expect(clipLine({ slope: 1, intercept: 0 }, [0, 10], [0, 5], id, id)).toEqual({
      x1: 0,
      y1: 0,
      x2: 5,
      y2: 5,
    });
    expect(clipLine({ slope: 0, intercept: 9 }, [0, 10], [0, 5], id, id)).toBeNull();
    expect(clipLine({ slope: NaN, intercept: 0 }, [0, 10], [0, 5], id, id)).toBeNull();
  });

  it('pads domains and picks tick decimals', () => {
    expect(padded([])).toEqual([0, 1]);
    expect(padded([2, 2])).toEqual([1, 3]);
    expect(padded([0, 10])).toEqual([-0.5, 10.5]);
    expect(decimalsOf([1, 2, 3])).toBe(0);
    expect(decimalsOf([3.5, 4, 4.5])).toBe(1);
    expect(decimalsOf([0.05, 0.1])).toBe(2);
  });
});

describe('bars', () => {
  it('draws every scale value, answered or not', () => {
    const c = buildDistribution([1, 2, 3, 4, 5], { '2': 3, '5': 1 }, 'en', (v, n) => `${v}:${n}`);
    expect(c.bars.map((b) => b.label)).toEqual(['1', '2', '3', '4', '5']);
    expect(c.bars[0].height).toBe(0);
    expect(c.bars[1].height).toBeGreaterThan(c.bars[4].height);
    expect(c.bars[1].share).toBeCloseTo(0.75);
    expect(c.bars[1].title).toBe('2:3');
  });

  it('sorts drivers by |r|, marks BH-significant ones and draws whiskers', () => {
    const chart = buildDrivers(
      [
        { key: 'a', text: 'A', r: 0.2, ci95: [-0.3, 0.6], p: 0.4, pAdjusted: 0.4, n: 12 },
        { key: 'b', text: 'B', r: -0.7, ci95: [-0.9, -0.3], p: 0.001, pAdjusted: 0.003, n: 12 },
        { key: 'c', text: 'C', r: null, ci95: null, p: null, pAdjusted: null, n: 2 },
      ],
      'en',
      'r',
      (d) => d.text,
      () => '',
    );
    expect(chart.rows.map((r) => r.key)).toEqual(['b', 'a', 'c']);
    expect(chart.rows[0].significant).toBe(true);
    expect(chart.rows[0].valueLabel).toBe('-0.70 *');
    expect(chart.rows[0].barX).toBeLessThan(chart.zeroX);
    expect(chart.rows[0].valueAnchor).toBe('end');
    expect(chart.rows[1].significant).toBe(false);
    expect(chart.rows[1].ciX1).toBeLessThan(chart.zeroX);
    expect(chart.rows[2].ciX1).toBeNull();
    expect(chart.rows[2].valueLabel).toBe('–');
  });
});

describe('heatmap', () => {
  const chart = buildHeatmap(
    [
      { key: 'R1', label: 'Rater one' },
      { key: 'R2', label: 'Rater two' },
      { key: 'R3', label: 'Rater three' },
      { key: 'R4', label: 'Rater four' },
    ],
    [{ key: 'P', label: 'Provider' }],
    [
      { row: 'R1', col: 'P', value: 2, n: 8, suppressed: false },
      { row: 'R2', col: 'P', value: null, n: null, suppressed: true },
      { row: 'R3', col: 'P', value: 4.6, n: 9, suppressed: false },
      { row: 'R4', col: 'P', value: 3, n: 9, suppressed: false },
    ],
    'en',
    (c, row) => `${row}:${c.suppressed}`,
    { min: 1, max: 5 },
  );

  it('colours released cells and hatches suppressed ones without a number', () => {
    expect(chart.cells[0].fill).toMatch(/^rgb\(/);
    expect(chart.cells[0].label).toBe('2.0');
    expect(chart.cells[1].fill).toBe('url(#hatch)');
    expect(chart.cells[1].label).toBe('');
    expect(chart.cells[1].title).toBe('Rater two:true');
    expect(chart.legend.swatches.length).toBeGreaterThan(5);
  });

  it('diverges around the neutral point: bad orange, good blue, neutral grey', () => {
    const rgb = (c: string) => c.match(/\d+/g)!.map(Number);
    const [r1, , b1] = rgb(chart.cells[0].fill); // 2 of 1–5: below neutral
    const [r3, , b3] = rgb(chart.cells[2].fill); // 4.6: above
    const [r4, g4, b4] = rgb(chart.cells[3].fill); // 3: neutral
    expect(r1).toBeGreaterThan(b1);
    expect(b3).toBeGreaterThan(r3);
    expect(Math.max(r4, g4, b4) - Math.min(r4, g4, b4)).toBeLessThan(8);
    expect(chart.legend.midLabel).toBe('3');
    expect(chart.legend.midX).toBeCloseTo(chart.legend.x + 120, 0);
    expect(chart.legend.ticks.map((t) => t.label)).toEqual(['1', '2', '3', '4', '5']);
    // Each cell on its own scale: 5 of 0–10 is neutral too.
    const mixed = buildHeatmap(
      [{ key: 'R', label: 'R' }],
      [{ key: 'P', label: 'P' }],
      [{ row: 'R', col: 'P', value: 5, n: 9, suppressed: false, scale: { min: 0, max: 10 } }],
      'it',
      () => '',
    );
    expect(mixed.cells[0].fill).toBe(divergingColor(0.5));
  });

  it('gives every possible cell colour a text colour with WCAG contrast ≥ 4.5:1', () => {
    const fills = new Set<string>(DIVERGING);
    for (let i = 0; i <= 4000; i++) fills.add(divergingColor(i / 4000));
    expect(fills.size).toBeGreaterThan(300);
    let worst = Infinity;
    for (const fill of fills) worst = Math.min(worst, contrast(fill, textOn(fill)));
    expect(worst).toBeGreaterThanOrEqual(4.5);
    for (const c of chart.cells.filter((x) => !x.suppressed && !x.empty))
      expect(contrast(c.fill, c.textFill)).toBeGreaterThanOrEqual(4.5);
    // Hidden and empty cells carry no number or a dash on a light fill: dark text.
    expect(chart.cells[1].textFill).toBe(TEXT_DARK);
  });

  it('computes WCAG luminance and contrast', () => {
    expect(luminance('#000000')).toBe(0);
    expect(luminance('rgb(255, 255, 255)')).toBeCloseTo(1);
    expect(contrast(TEXT_DARK, TEXT_LIGHT)).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(textOn('#2166ac')).toBe(TEXT_LIGHT);
    expect(textOn('#f7f7f7')).toBe(TEXT_DARK);
  });
});

describe('trend', () => {
  it('draws one panel per series, with gaps where a wave has no value', () => {
    const t = buildTrend(
      ['W1', 'W2', 'W3'],
      [
        { name: 'i', color: '#000', yTitle: 'I', values: [3, null, 4], titles: ['a', 'b', 'c'] },
        { name: 'e', color: '#111', yTitle: 'E', values: [10, 20, 30], titles: ['a', 'b', 'c'] },
      ],
      'en',
      [1, 20],
    );
    expect(t.panels).toHaveLength(2);
    expect(t.panels[0].segments).toHaveLength(0);
    expect(t.panels[0].points).toHaveLength(2);
    expect(t.panels[1].segments).toHaveLength(1);
    expect(t.panels[1].top).toBeGreaterThan(t.panels[0].bottom);
    expect(t.xTicks.map((x) => x.label)).toEqual(['W1', 'W2', 'W3']);
  });

  it('fits every panel title line inside the chart at the assumed font metrics', () => {
    const titles = [
      'Internal (mean 1–5): How satisfied are you overall with the service you received from this unit during the last quarter?',
      'Esterno (NPS): Quanto è probabile che raccomandi la nostra azienda a un amico o a un collega, considerando la qualità del servizio ricevuto?',
      'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW',
      'MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM MMMM',
      'Short title',
      '',
    ];
    for (const title of titles) {
      const chart = buildTrend(
        ['W1', 'W2'],
        [{ name: 'i', color: '#000', yTitle: title, values: [3, 4], titles: ['', ''] }],
        'en',
      );
      const [panel] = chart.panels;
      expect(panel.yTitle).toBe(title);
      expect(panel.titleLines.length).toBeLessThanOrEqual(2);
      for (const line of panel.titleLines) {
        const right = chart.left + textWidth(line.text, TITLE_FONT.size, TITLE_FONT.bold);
        expect([line.text, right <= TREND_WIDTH]).toEqual([line.text, true]);
        expect(line.y).toBeLessThan(panel.bottom);
      }
      // Lines follow each other; the plot starts below the last one.
      for (const tick of panel.yTicks)
        expect(tick.pos).toBeGreaterThan(panel.titleLines.at(-1)?.y ?? 0);
    }
  });

  it('wraps titles by width, cutting only what does not fit', () => {
    expect(fitLines('Short title', 600, 14)).toEqual(['Short title']);
    const long = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu';
    const two = fitLines(long, 200, 14);
    expect(two).toHaveLength(2);
    expect(two[1].endsWith('…')).toBe(true);
    expect(two[0].startsWith('alpha beta')).toBe(true);
    const all = fitLines(long, 2000, 14);
    expect(all).toEqual([long]);
    const word = fitLines('x'.repeat(200), 100, 14, 3);
    for (const line of word) expect(textWidth(line, 14)).toBeLessThanOrEqual(100);
  });

  it('keeps a least span on the axis', () => {
    expect(atLeast([3, 3.2], 1)).toEqual([2.6, 3.6]);
    expect(atLeast([0, 5], 1)).toEqual([0, 5]);
  });
});

describe('text helpers', () => {
  it('formats numbers and p-values per language', () => {
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5');
    expect(formatNumber(0.5, 'it', 2, 2)).toBe('0,50');
    expect(formatNumber(null, 'en')).toBe('–');
    expect(formatP(0.0001, 'en')).toBe('< 0.001');
    expect(formatP(0.0123, 'it')).toBe('0,012');
  });

  it('wraps and shortens labels', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three fo…']);
    expect(wrap('short', 20)).toEqual(['short']);
    expect(shorten('abcdef', 4)).toBe('abc…');
  });
});
