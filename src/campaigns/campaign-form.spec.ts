import { EXAMPLE_QUESTIONS, emptyCampaignForm, parseCampaignForm } from './campaign-form.js';
import { validateDefinition } from './campaign-definition.js';

const form = (overrides: Record<string, unknown> = {}) => ({
  ...emptyCampaignForm(),
  name: 'Internal service',
  wave: '2026-Q1',
  anonymous: 'true',
  closesAt: '2099-03-31T23:59',
  ...overrides,
});

describe('parseCampaignForm', () => {
  it('turns the pre-filled example into a valid definition', () => {
    const parsed = parseCampaignForm(form());
    expect(parsed.errors).toEqual([]);
    const def = parsed.definition!;
    expect(def.closesAt).toBe('2099-03-31T23:59Z');
    expect(def.anonymous).toBe(true);
    expect(def.questions.map((q) => q.type)).toEqual([
      'csat',
      'nps',
      'ces',
      'likert',
      'choice',
      'text',
    ]);
    expect(
      validateDefinition(def, { now: new Date().toISOString(), unitCodes: new Set() }),
    ).toEqual([]);
    expect(EXAMPLE_QUESTIONS).toHaveLength(6);
  });

  it('reads an unchecked box as false, one language as a list, an empty date as none', () => {
    const parsed = parseCampaignForm(form({ anonymous: undefined, languages: 'en', closesAt: '' }));
    expect(parsed.definition?.anonymous).toBe(false);
    expect(parsed.definition?.languages).toEqual(['en']);
    expect(parsed.definition?.closesAt).toBeNull();
  });

  it('reports invalid JSON on the questions field', () => {
    expect(parseCampaignForm(form({ questions: '[{' })).errors).toEqual([
      { field: 'questions', message: expect.stringMatching(/^questions must be valid JSON/) },
    ]);
    expect(parseCampaignForm(form({ questions: '[{"__proto__": {}}]' })).errors[0].field).toBe(
      'questions',
    );
  });

  it('applies the API DTOs, unknown fields included, with bracketed paths', () => {
    const questions = JSON.parse(emptyCampaignForm().questions);
    questions[4].options[1].label.de = 'Telefon';
    questions[2].colour = 'red';
    questions[0].type = 'stars';
    const fields = parseCampaignForm(
      form({ questions: JSON.stringify(questions), audience: 'both' }),
    ).errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'audience',
        'questions[0].type',
        'questions[2].colour',
        'questions[4].options[1].label.de',
      ]),
    );
  });
});
