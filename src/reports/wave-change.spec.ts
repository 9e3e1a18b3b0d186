import { previousWave, seriesStem } from './wave-change.js';

const c = (id: string, name: string, wave: string, createdAt = '2026-01-01T00:00:00.000Z') => ({
  id,
  name,
  wave,
  status: 'closed' as const,
  createdAt,
});

describe('seriesStem', () => {
  it('takes the wave label out of the name, whatever its place', () => {
    expect(seriesStem('Internal service 2026-Q1', '2026-Q1')).toBe('internal service');
    expect(seriesStem('2026-Q2  Internal service', '2026-Q2')).toBe('internal service');
    // "copy to next wave" of a name without its label appends the label.
    expect(seriesStem('Pulse', 'W1')).toBe(seriesStem('Pulse W2', 'W2'));
  });
});

describe('previousWave', () => {
  const current = c('now', 'Buyers 2026-Q3', '2026-Q3');
  it('takes the greatest earlier wave of the same series, newest campaign of that wave', () => {
    const prev = previousWave(current, [
      c('a', 'Buyers 2026-Q1', '2026-Q1'),
      c('b', 'Buyers 2026-Q2', '2026-Q2', '2026-04-01T00:00:00.000Z'),
      c('b2', 'Buyers 2026-Q2', '2026-Q2', '2026-04-02T00:00:00.000Z'),
      c('x', 'Suppliers 2026-Q2', '2026-Q2', '2026-05-01T00:00:00.000Z'),
      c('later', 'Buyers 2026-Q4', '2026-Q4'),
      current,
    ]);
    expect(prev?.id).toBe('b2');
  });
  it('is null for the first wave of a series', () => {
    expect(previousWave(current, [c('x', 'Suppliers 2026-Q2', '2026-Q2'), current])).toBeNull();
  });
});
