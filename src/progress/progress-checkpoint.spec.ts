import { checkpointOf, countsUpTo, dayOf } from './progress-checkpoint.js';

const days = (entries: [string, number][]) => new Map(entries);

describe('checkpointOf', () => {
  it('is nothing until whole past days hold k responses and k more came in after them', () => {
    expect(checkpointOf(days([]), '2026-03-05', 5)).toEqual({ day: null, responses: 0 });
    expect(checkpointOf(days([['2026-03-01', 4]]), '2026-03-05', 5).day).toBeNull();
    // Today's answers never make a checkpoint: the day is still moving.
    expect(checkpointOf(days([['2026-03-05', 9]]), '2026-03-05', 5).day).toBeNull();
    // A checkpoint of 6 is not shown until 5 more answers (today's count too) follow it.
    const first = days([
      ['2026-03-01', 6],
      ['2026-03-02', 4],
    ]);
    expect(checkpointOf(first, '2026-03-02', 5).day).toBeNull();
    const more = days([
      ['2026-03-01', 6],
      ['2026-03-02', 5],
    ]);
    expect(checkpointOf(more, '2026-03-02', 5)).toEqual({ day: '2026-03-01', responses: 6 });
  });

  it('moves only to a checkpoint k responses after the previous one, once k more followed it', () => {
    const perDay = days([
      ['2026-03-01', 6],
      ['2026-03-02', 1],
      ['2026-03-03', 3],
      ['2026-03-04', 1],
      ['2026-03-06', 7],
    ]);
    // Checkpoints: 03-01 (6), 03-04 (11), 03-06 (18).
    expect(checkpointOf(perDay, '2026-03-02', 5).day).toBeNull(); // 7 − 6 < 5
    expect(checkpointOf(perDay, '2026-03-04', 5)).toEqual({ day: '2026-03-01', responses: 6 });
    expect(checkpointOf(perDay, '2026-03-05', 5)).toEqual({ day: '2026-03-01', responses: 6 });
    expect(checkpointOf(perDay, '2026-03-07', 5)).toEqual({ day: '2026-03-04', responses: 11 });
    // Days after today are not known yet (a read at that moment could not see them).
    expect(checkpointOf(perDay, '2026-03-03', 5).day).toBeNull();
  });

  it('at every moment: k responses since the shown checkpoint, and shown ones k apart', () => {
    let seed = 7;
    for (const k of [1, 3, 5, 10]) {
      for (let trial = 0; trial < 6; trial++) {
        const perDay = new Map<string, number>();
        const shown = new Map<string | null, number>();
        let live = 0;
        for (let d = 1; d <= 28; d++) {
          const today = `2026-02-${String(d).padStart(2, '0')}`;
          // Answers arrive during the day, read after each one.
          seed = (seed * 48271) % 2147483647;
          const arriving = seed % (2 * k + 2);
          for (let a = 0; a <= arriving; a++) {
            if (a > 0) {
              perDay.set(today, (perDay.get(today) ?? 0) + 1);
              live += 1;
            }
            const c = checkpointOf(perDay, today, k);
            if (c.day !== null) expect(live - c.responses).toBeGreaterThanOrEqual(k);
            shown.set(c.day, c.responses);
          }
        }
        const totals = [...shown.values()].sort((a, b) => a - b);
        for (let i = 1; i < totals.length; i++)
          expect(totals[i] - totals[i - 1]).toBeGreaterThanOrEqual(k);
      }
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
