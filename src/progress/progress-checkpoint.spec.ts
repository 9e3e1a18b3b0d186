import { checkpointOf, countsUpTo, dayOf } from './progress-checkpoint.js';

const days = (entries: [string, number][]) => new Map(entries);

describe('checkpointOf', () => {
  it('is nothing until whole past days hold at least k responses', () => {
    expect(checkpointOf(days([]), '2026-03-05', 5)).toEqual({ day: null, responses: 0 });
    expect(checkpointOf(days([['2026-03-01', 4]]), '2026-03-05', 5)).toEqual({
      day: null,
      responses: 0,
    });
    // Today's answers never count: the day is still moving.
    expect(checkpointOf(days([['2026-03-05', 9]]), '2026-03-05', 5).day).toBeNull();
  });

  it('moves only to a day that brought at least k responses since the previous checkpoint', () => {
    const perDay = days([
      ['2026-03-01', 6],
      ['2026-03-02', 1],
      ['2026-03-03', 3],
      ['2026-03-04', 1],
      ['2026-03-06', 7],
    ]);
    expect(checkpointOf(perDay, '2026-03-02', 5)).toEqual({ day: '2026-03-01', responses: 6 });
    expect(checkpointOf(perDay, '2026-03-04', 5)).toEqual({ day: '2026-03-01', responses: 6 });
    expect(checkpointOf(perDay, '2026-03-05', 5)).toEqual({ day: '2026-03-04', responses: 11 });
    expect(checkpointOf(perDay, '2026-03-07', 5)).toEqual({ day: '2026-03-06', responses: 18 });
  });

  it('any two checkpoints of any two moments are at least k responses apart', () => {
    const perDay = new Map<string, number>();
    let seed = 7;
    for (let d = 1; d <= 28; d++) {
      seed = (seed * 48271) % 2147483647;
      perDay.set(`2026-02-${String(d).padStart(2, '0')}`, seed % 4);
    }
    for (const k of [1, 3, 5, 10]) {
      const seen = new Map<string | null, number>();
      for (let d = 1; d <= 28; d++) {
        const c = checkpointOf(perDay, `2026-02-${String(d).padStart(2, '0')}`, k);
        seen.set(c.day, c.responses);
      }
      const totals = [...seen.values()].sort((a, b) => a - b);
      for (let i = 1; i < totals.length; i++)
        expect(totals[i] - totals[i - 1]).toBeGreaterThanOrEqual(k);
    }
  });
});

describe('countsUpTo', () => {
  const rows = [
    { unitId: 'a', day: '2026-03-01', n: 2 },
    { unitId: 'a', day: '2026-03-02', n: 1 },
    { unitId: 'b', day: '2026-03-02', n: 4 },
  ];
  it('adds each unit’s responses of the days up to the checkpoint', () => {
    expect(countsUpTo(rows, null)).toEqual(new Map());
    expect(countsUpTo(rows, '2026-03-01')).toEqual(new Map([['a', 2]]));
    expect(countsUpTo(rows, '2026-03-02')).toEqual(
      new Map([
        ['a', 3],
        ['b', 4],
      ]),
    );
  });
  it('reads the day of full and day-only timestamps', () => {
    expect(dayOf('2026-03-01T00:00:00.000Z')).toBe('2026-03-01');
    expect(dayOf('2026-03-01T23:59:59.123Z')).toBe('2026-03-01');
  });
});
