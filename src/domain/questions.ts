/** Question types and the answer scale of each numeric type. */
export type QuestionType = 'nps' | 'csat' | 'ces' | 'likert' | 'choice' | 'text';
export const QUESTION_TYPES: readonly QuestionType[] = [
  'nps',
  'csat',
  'ces',
  'likert',
  'choice',
  'text',
];
export type NumericQuestionType = 'nps' | 'csat' | 'ces' | 'likert';
export const NUMERIC_TYPES: readonly NumericQuestionType[] = ['nps', 'csat', 'ces', 'likert'];
/** The answer scale of each numeric type, both ends included. */
export const QUESTION_SCALES: Readonly<Record<NumericQuestionType, { min: number; max: number }>> =
  {
    nps: { min: 0, max: 10 },
    csat: { min: 1, max: 5 },
    ces: { min: 1, max: 7 },
    likert: { min: 1, max: 5 },
  };
export const isNumericType = (type: string): type is NumericQuestionType =>
  (NUMERIC_TYPES as readonly string[]).includes(type);
