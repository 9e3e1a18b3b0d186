import { npsFromScores, wilsonInterval } from '../stats/index.js';
import { numericQuestion, scalePoints } from './question-stats.js';

const counts = (values: number[]) => {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

describe('numericQuestion', () => {
  it('lists every scale point, zero counts included', () => {
    expect(scalePoints('ces')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const q = numericQuestion('sat', 'csat', counts([5, 5, 4, 1]));
    expect(q.distribution).toEqual({ '1': 1, '2': 0, '3': 0, '4': 1, '5': 2 });
    expect(q.n).toBe(4);
    expect(q.mean).toBe(3.75);
    expect(q.topBox).toEqual({
      share: 0.75,
      ci95: [wilsonInterval(3, 4)!.lower, wilsonInterval(3, 4)!.upper],
    });
  });

  it('uses 6–7 as top box for CES and the NPS groups for NPS', () => {
    expect(numericQuestion('e', 'ces', counts([7, 6, 5, 1])).topBox?.share).toBe(0.5);
    const scores = [10, 9, 8, 7, 6, 0];
    const q = numericQuestion('n', 'nps', counts(scores));
    const ref = npsFromScores(scores)!;
    expect(q.nps).toEqual({
      score: ref.score,
      promoters: 2,
      passives: 2,
      detractors: 2,
      ci95: [ref.ci.lower, ref.ci.upper],
    });
    expect(q.topBox).toBeUndefined();
  });

  it('gives null, never NaN, for no answers', () => {
    const q = numericQuestion('sat', 'likert', new Map());
    expect(q).toEqual({
      key: 'sat',
      type: 'likert',
      n: 0,
      mean: null,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    });
  });
});
