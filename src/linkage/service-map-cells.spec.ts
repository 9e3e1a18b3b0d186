import { decideDisclosure } from '../confidentiality/disclosure-plan.js';
import { UnitForest } from '../confidentiality/suppression.js';
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
/** hr1 answers per rater unit: value → count (every rater answered once). */
const answers: Record<string, Record<number, number>> = {
  b1: { 4: 5, 5: 3, 2: 2 },
  b2: { 1: 3, 2: 3, 4: 2 },
  b3: { 5: 2 },
};
const mapCounts = (byUnit: Record<string, Record<number, number>>): ServiceMapCounts => ({
  questions: [question('hr1', 'csat', 'hr'), question('sat', 'csat', null)],
  units,
  ratings: Object.entries(byUnit).flatMap(([unit, values]) =>
    Object.entries(values).map(([v, c]) => rating(unit, Number(v), c)),
  ),
  respondents: Object.entries(byUnit).map(([unit, values]) =>
    people(
      unit,
      Object.values(values).reduce((a, b) => a + b, 0),
    ),
  ),
});
/** The campaign's release decision over the same answers (a closed internal campaign). */
const disclosureOf = (byUnit: Record<string, Record<number, number>>) => {
  const perUnit = new Map(
    Object.entries(byUnit).map(([u, values]) => [
      u,
      new Map(Object.entries(values).map(([v, c]) => [Number(v), c])),
    ]),
  );
  const n = new Map([...perUnit].map(([u, m]) => [u, [...m.values()].reduce((a, b) => a + b, 0)]));
  return decideDisclosure({
    internal: true,
    released: true,
    forest: new UnitForest(units),
    responses: n,
    answered: new Map([['hr1', n]]),
    numeric: new Map([['hr1', perUnit]]),
    choice: new Map(),
    types: new Map([['hr1', 'csat']]),
    headline: null,
    k: K,
    kComments: 10,
  });
};
const counts = mapCounts(answers);
const disclosure = disclosureOf(answers);

describe('serviceMapCells', () => {
  it('shows the provider total and hides a small rater cell with its complement', () => {
    const map = serviceMapCells(counts, null, disclosure);
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
      { raterUnitCode: 'B1', providerUnitCode: 'HR', n: 10, mean: 3.9 },
      { raterUnitCode: 'B2', providerUnitCode: 'HR', suppressed: true },
      { raterUnitCode: 'B3', providerUnitCode: 'HR', suppressed: true },
    ]);
    expect(map.raters.map((r) => r.unitCode)).toEqual(['B1', 'B2', 'B3']);
  });

  it('rolls raters up to a level, with the same decision', () => {
    const map = serviceMapCells(counts, 0, disclosure);
    expect(map.cells).toEqual([{ raterUnitCode: 'R', providerUnitCode: 'HR', n: 20, mean: 3.3 }]);
  });

  it('hides a group where fewer than k answered otherwise than the most common answer', () => {
    const uniform = { ...answers, b1: { 4: 8, 5: 2 } };
    const map = serviceMapCells(mapCounts(uniform), null, disclosureOf(uniform));
    expect(map.cells[0]).toEqual({ raterUnitCode: 'B1', providerUnitCode: 'HR', suppressed: true });
  });

  it('suppresses a provider below k with all its cells', () => {
    const small = { b1: { 4: 2, 3: 1 } };
    const map = serviceMapCells(mapCounts(small), null, disclosureOf(small));
    expect(map.providers[0]).toMatchObject({ unitCode: 'HR', suppressed: true });
    expect(map.providers[0].n).toBeUndefined();
    expect(map.cells).toEqual([{ raterUnitCode: 'B1', providerUnitCode: 'HR', suppressed: true }]);
  });
});
