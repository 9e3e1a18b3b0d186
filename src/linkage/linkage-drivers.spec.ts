import type { QuestionEntity } from '../database/schema/question.entity.js';
import { driverQuestions, driverRow, questionText, rankDrivers } from './linkage-drivers.js';
import type { Pairing } from './linkage-pairing.js';
import type { DriverRow } from './linkage.dto.js';

const question = (key: string, type: string, providerUnitId: string | null = null) =>
  ({ key, type, providerUnitId, textJson: '{"en":"E","it":"I"}' }) as QuestionEntity;
const row = (questionKey: string, r: number | null, p: number | null): DriverRow => ({
  questionKey,
  questionType: 'csat',
  text: {},
  metric: 'mean',
  n: 10,
  r,
  ci95: null,
  p,
  pAdjusted: null,
  nullReasons: {},
});

describe('driverQuestions', () => {
  const questions = [
    question('sat', 'csat'),
    question('nps', 'nps'),
    question('comment', 'text'),
    question('p1', 'csat', 'u1'),
  ];

  it('scores numeric, non-provider questions', () => {
    expect(driverQuestions(questions, 'mean').scored.map((q) => q.key)).toEqual(['sat', 'nps']);
  });

  it('skips non-nps questions under the nps metric, saying why', () => {
    expect(driverQuestions(questions, 'nps')).toEqual({
      scored: [questions[1]],
      skipped: [{ questionKey: 'sat', reason: 'the nps metric applies to nps questions only' }],
    });
  });
});

describe('driverRow', () => {
  it('has no r below three units, and says why', () => {
    const pairing: Pairing = { units: [], excluded: [], ids: [] };
    const row = driverRow(question('sat', 'csat'), 'topbox', pairing);
    expect(row).toMatchObject({
      questionKey: 'sat',
      questionType: 'csat',
      text: { en: 'E', it: 'I' },
      metric: 'topbox',
      n: 0,
      r: null,
      ci95: null,
      p: null,
      pAdjusted: null,
    });
    expect(Object.keys(row.nullReasons)).toEqual(['pearson']);
    expect(row.nullReasons.pearson.code).toBe('tooFewUnits');
    expect(row.nullReasons.pearson.it).toMatch(/\S/);
  });

  it('says why r is null when one side does not vary', () => {
    const unit = (x: number, y: number) => ({
      unitCode: `U${x}${y}`,
      unitName: 'U',
      internal: { n: 10, score: x },
      external: { n: 10, score: y },
    });
    const pairing: Pairing = {
      units: [unit(3, 1), unit(3, 2), unit(3, 4)],
      excluded: [],
      ids: ['a', 'b', 'c'],
    };
    const row = driverRow(question('sat', 'csat'), 'mean', pairing);
    expect(row.r).toBeNull();
    expect(row.nullReasons.pearson.code).toBe('noVariation');
  });
});

describe('rankDrivers', () => {
  it('adjusts p (BH) and sorts by |r| descending, then key, undefined r last', () => {
    const ranked = rankDrivers([
      row('a', 0.2, 0.04),
      row('n', null, null),
      row('c', -0.6, 0.01),
      row('b', 0.2, 0.03),
    ]);
    expect(ranked.map((d) => d.questionKey)).toEqual(['c', 'a', 'b', 'n']);
    expect(ranked.map((d) => d.pAdjusted)).toEqual([0.03, 0.04, 0.04, null]);
  });
});

describe('questionText', () => {
  it('reads both languages and survives unreadable JSON', () => {
    expect(questionText('{"en":"Hi","it":3}')).toEqual({ en: 'Hi', it: null });
    expect(questionText('{')).toEqual({});
  });
});
