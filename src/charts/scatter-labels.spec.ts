import fc from 'fast-check';
import { type Box, buildScatter, intersects, placeLabels, shorten } from './scatter.js';

const BOUNDS: Box = { x0: 56, y0: 52, x1: 856, y1: 448 };

describe('placeLabels', () => {
  it('puts a lone label to the right of its dot', () => {
    const [at] = placeLabels([{ cx: 200, cy: 200, r: 6, text: 'North' }], BOUNDS);
    expect(at).not.toBeNull();
    expect(at!.anchor).toBe('start');
    expect(at!.x).toBeGreaterThan(206);
  });

  it('moves a label near the right edge to the left of its dot', () => {
    const [at] = placeLabels([{ cx: 850, cy: 200, r: 6, text: 'North' }], BOUNDS);
    expect(at!.anchor).toBe('end');
    expect(at!.box.x1).toBeLessThanOrEqual(BOUNDS.x1);
  });

  it('drops labels of dots on top of each other rather than overlapping them', () => {
    const dots = Array.from({ length: 12 }, (_, i) => ({
      cx: 400,
      cy: 250,
      r: 6,
      text: `Branch ${i}`,
    }));
    const placed = placeLabels(dots, BOUNDS);
    const kept = placed.filter((p) => p !== null);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(12);
  });

  it('never keeps two intersecting labels, keeps them inside the plot and off every dot', () => {
    const dot = fc.record({
      cx: fc.integer({ min: BOUNDS.x0, max: BOUNDS.x1 }),
      cy: fc.integer({ min: BOUNDS.y0, max: BOUNDS.y1 }),
      r: fc.constant(6),
      text: fc.string({ minLength: 1, maxLength: 30 }),
    });
    fc.assert(
      fc.property(fc.array(dot, { maxLength: 60 }), (dots) => {
        const placed = placeLabels(dots, BOUNDS);
        expect(placed).toHaveLength(dots.length);
        const boxes = placed.filter((p) => p !== null).map((p) => p.box);
        for (let i = 0; i < boxes.length; i++) {
          const b = boxes[i];
          expect(
            b.x0 >= BOUNDS.x0 && b.x1 <= BOUNDS.x1 && b.y0 >= BOUNDS.y0 && b.y1 <= BOUNDS.y1,
          ).toBe(true);
          for (let j = i + 1; j < boxes.length; j++) expect(intersects(b, boxes[j])).toBe(false);
          for (const d of dots) {
            const db = { x0: d.cx - d.r, y0: d.cy - d.r, x1: d.cx + d.r, y1: d.cy + d.r };
            expect(intersects(b, db)).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the scatter plot labels', () => {
  it('draws unit names, not codes, and cuts long names', () => {
    const chart = buildScatter({
      points: [
        { code: 'N', name: 'North', x: 1, y: 2, nx: 5, ny: 5 },
        { code: 'S', name: 'A branch with a very long name indeed', x: 3, y: 1, nx: 5, ny: 5 },
        { code: 'E', name: 'East', x: 2, y: 3, nx: 5, ny: 5 },
      ],
      fit: null,
      xTitle: 'x',
      yTitle: 'y',
      lang: 'en',
      describe: (p) => p.name,
    });
    expect(chart.dots.map((d) => d.label)).toEqual([
      'North',
      shorten('A branch with a very long name indeed'),
      'East',
    ]);
    expect(shorten('A branch with a very long name indeed')).toHaveLength(24);
  });
});
