import type { QuestionEntity } from '../database/schema/question.entity.js';
import { serviceMapCells, type ServiceMapCounts } from './service-map-cells.js';

const K = 5;
const question = (key: string, type: string, providerUnitId: string | null) =>
  ({ key, type, providerUnitId }) as QuestionEntity;
const units = [
  { id: 'root', code: 'R', name: 'Root', parentId: null },
  { id: 'hr', code: 'HR', name: 'Human Resources', parentId: 'root' },
  { id: 'b1', code: 'B1', name: 'Branch 1', parentId: 'root' },
  { id: 'b2', code: 'B2', name: 'Branch 2', parentId: 'root' },
  { id: 'b3', code: 'B3', name: 'Branch 3', parentId: 'root' },
];
const rating = (raterUnitId: string, value: number, count: number) => ({
  raterUnitId,
  providerUnitId: 'hr',
  type: 'csat',
  value,
  count,
});
const people = (raterUnitId: string, respondents: number) => ({
  raterUnitId,
  providerGroup: 'hr',
  respondents,
});
const counts: ServiceMapCounts = {
  questions: [question('hr1', 'csat', 'hr'), question('sat', 'csat', null)],
  units,
  ratings: [rating('b1', 4, 10), rating('b2', 2, 8), rating('b3', 5, 2)],
  respondents: [people('b1', 10), people('b2', 8), people('b3', 2)],
};

describe('serviceMapCells', () => {
  it('shows the provider total and hides a small rater cell with its complement', () => {
    const map = serviceMapCells(counts, null, K);
    expect(map.providers).toEqual([
      {
        unitCode: 'HR',
        unitName: 'Human Resources',
        questionKeys: ['hr1'],
        scale: { min: 1, max: 5 },
        n: 20,
        mean: 3.3,
      },
    ]);
    expect(map.cells).toEqual([
      { raterUnitCode: 'B1', providerUnitCode: 'HR', n: 10, mean: 4 },
      { raterUnitCode: 'B2', providerUnitCode: 'HR', suppressed: true },
      { raterUnitCode: 'B3', providerUnitCode: 'HR', suppressed: true },
    ]);
    expect(map.raters.map((r) => r.unitCode)).toEqual(['B1', 'B2', 'B3']);
  });

  it('rolls raters up to a level', () => {
    const map = serviceMapCells(counts, 0, K);
    expect(map.cells).toEqual([{ raterUnitCode: 'R', providerUnitCode: 'HR', n: 20, mean: 3.3 }]);
  });

  it('suppresses a provider below k with all its cells', () => {
    const small = { ...counts, ratings: [rating('b1', 4, 3)], respondents: [people('b1', 3)] };
    const map = serviceMapCells(small, null, K);
    expect(map.providers[0]).toMatchObject({ unitCode: 'HR', suppressed: true });
    expect(map.providers[0].n).toBeUndefined();
    expect(map.cells).toEqual([{ raterUnitCode: 'B1', providerUnitCode: 'HR', suppressed: true }]);
  });
});
