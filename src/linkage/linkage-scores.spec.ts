import {
  addValue,
  answerCount,
  emptyCounts,
  meanScale,
  scoreOf,
  type ValueCounts,
} from './linkage-scores.js';

function counts(type: string, values: Record<number, number>): ValueCounts {
  const c = emptyCounts();
  for (const [v, n] of Object.entries(values)) addValue(c, type, Number(v), n);
  return c;
}

describe('scoreOf', () => {
  it('computes the mean on the question scale', () => {
    expect(scoreOf(counts('csat', { 1: 1, 4: 2, 5: 1 }), 'mean')).toBe(3.5);
  });

  it('computes the top-two-box share per question scale', () => {
    expect(scoreOf(counts('csat', { 3: 2, 4: 1, 5: 1 }), 'topbox')).toBe(0.5);
    const mixed = counts('ces', { 6: 1, 5: 1 });
    addValue(mixed, 'csat', 4, 2);
    expect(scoreOf(mixed, 'topbox')).toBe(0.75);
  });

  it('computes NPS from promoters and detractors, only over nps answers', () => {
    expect(scoreOf(counts('nps', { 10: 3, 8: 1, 2: 1 }), 'nps')).toBe(40);
    expect(scoreOf(counts('csat', { 5: 1 }), 'nps')).toBeNull();
  });

  it('rescales mixed scales to 0–100 for the mean', () => {
    const mixed = counts('csat', { 5: 1 });
    addValue(mixed, 'ces', 1, 1);
    expect(meanScale(mixed.keys())).toEqual({ scale: { min: 0, max: 100 }, pomp: true });
    expect(scoreOf(mixed, 'mean')).toBe(50);
    expect(meanScale(['csat', 'likert'])).toEqual({ scale: { min: 1, max: 5 }, pomp: false });
  });

  it('is null for an empty distribution and ignores non-numeric types', () => {
    const c = emptyCounts();
    addValue(c, 'text', 1, 3);
    expect(answerCount(c)).toBe(0);
    expect(scoreOf(c, 'mean')).toBeNull();
  });
});
