import {
  isDateTime,
  normaliseDateTime,
  validateDefinition,
  type CampaignDefinitionInput,
  type DefinitionContext,
  type QuestionInput,
} from './campaign-definition.js';

const NOW = '2026-01-15T12:00:00.000Z';
const ctx = (unitCodes: string[] = ['IT', 'HR']): DefinitionContext => ({
  now: NOW,
  unitCodes: new Set(unitCodes),
});

const text = (en = 'Question?', it = 'Domanda?') => ({ en, it });

function definition(overrides: Partial<CampaignDefinitionInput> = {}): CampaignDefinitionInput {
  return {
    name: 'Internal service 2026-Q1',
    audience: 'internal',
    wave: '2026-Q1',
    languages: ['en', 'it'],
    closesAt: '2026-03-31T23:59:59Z',
    headline: 'sat',
    questions: [
      { key: 'sat', type: 'csat', required: true, text: text() },
      { key: 'it_service', type: 'csat', providerUnitCode: 'IT', text: text() },
      { key: 'nps', type: 'nps', text: text() },
      { key: 'effort', type: 'ces', text: text() },
      { key: 'agree', type: 'likert', text: text() },
      {
        key: 'channel',
        type: 'choice',
        multiple: true,
        options: [
          { value: 'web', label: text('Web', 'Web') },
          { value: 'phone', label: text('Phone', 'Telefono') },
        ],
        text: text(),
      },
      { key: 'why', type: 'text', required: true, text: text() },
    ],
    ...overrides,
  };
}

/** The definition with question i changed. */
function withQuestion(i: number, change: Partial<QuestionInput>): CampaignDefinitionInput {
  const def = definition();
  def.questions[i] = { ...def.questions[i], ...change };
  return def;
}

const fields = (def: CampaignDefinitionInput, c = ctx()) =>
  validateDefinition(def, c).map((e) => e.field);

describe('validateDefinition', () => {
  it('accepts a definition with every question type and a provider question', () => {
    expect(validateDefinition(definition(), ctx())).toEqual([]);
  });

  it('accepts a campaign without closing time', () => {
    expect(fields(definition({ closesAt: null }))).toEqual([]);
    expect(fields(definition({ closesAt: undefined }))).toEqual([]);
  });

  it('refuses a closing time that is not in the future', () => {
    expect(fields(definition({ closesAt: NOW }))).toEqual(['closesAt']);
    expect(fields(definition({ closesAt: '2026-01-15T13:00:00+02:00' }))).toEqual(['closesAt']);
    expect(fields(definition({ closesAt: '2026-01-15T12:00:01Z' }))).toEqual([]);
  });

  it('refuses duplicate question keys, naming the later one', () => {
    const errors = validateDefinition(withQuestion(2, { key: 'sat' }), ctx());
    expect(errors).toEqual([
      { field: 'questions[2].key', message: expect.stringContaining('questions[0]') },
    ]);
  });

  it('wants a non-blank text in every campaign language', () => {
    expect(fields(withQuestion(2, { text: { en: 'Only English' } }))).toEqual([
      'questions[2].text.it',
    ]);
    expect(fields(withQuestion(3, { text: { en: '  ', it: '' } }))).toEqual([
      'questions[3].text.en',
      'questions[3].text.it',
    ]);
    expect(fields(withQuestion(6, { text: { en: null, it: 'x' } }))).toEqual([
      'questions[6].text.en',
    ]);
  });

  it('refuses texts in languages the campaign does not have', () => {
    const def = definition({ languages: ['en'] });
    const errors = fields(def);
    // every question and every option label carries an Italian text
    expect(errors).toContain('questions[0].text.it');
    expect(errors).toContain('questions[5].options[1].label.it');
    expect(errors.every((f) => f.endsWith('.it'))).toBe(true);
  });

  it('accepts a single-language campaign with single-language texts', () => {
    const def = definition({ languages: ['it'] });
    for (const q of def.questions) {
      q.text = { it: 'Domanda?' };
      for (const o of q.options ?? []) o.label = { it: 'Etichetta' };
    }
    expect(fields(def)).toEqual([]);
  });

  it('wants 2 to 50 options on a choice question', () => {
    const one = [{ value: 'a', label: text() }];
    const many = Array.from({ length: 51 }, (_, k) => ({ value: `o${k}`, label: text() }));
    expect(fields(withQuestion(5, { options: one }))).toEqual(['questions[5].options']);
    expect(fields(withQuestion(5, { options: many }))).toEqual(['questions[5].options']);
    expect(fields(withQuestion(5, { options: undefined }))).toEqual(['questions[5].options']);
    expect(fields(withQuestion(5, { options: null, multiple: undefined }))).toEqual([
      'questions[5].options',
    ]);
  });

  it('refuses duplicate option values and missing labels', () => {
    const options = [
      { value: 'web', label: text('Web', 'Web') },
      { value: 'web', label: { en: 'Web again' } },
    ];
    expect(fields(withQuestion(5, { options }))).toEqual([
      'questions[5].options[1].value',
      'questions[5].options[1].label.it',
    ]);
  });

  it('allows options and multiple only on choice questions', () => {
    const options = [
      { value: 'a', label: text() },
      { value: 'b', label: text() },
    ];
    expect(fields(withQuestion(2, { options }))).toEqual(['questions[2].options']);
    expect(fields(withQuestion(2, { multiple: false }))).toEqual(['questions[2].multiple']);
    expect(fields(withQuestion(6, { options: [], multiple: true }))).toEqual([
      'questions[6].options',
      'questions[6].multiple',
    ]);
  });

  it('lets a text question be required', () => {
    expect(fields(withQuestion(6, { required: true }))).toEqual([]);
  });

  it('allows providerUnitCode only on numeric questions of internal campaigns, for known units', () => {
    expect(fields(withQuestion(6, { providerUnitCode: 'IT' }))).toEqual([
      'questions[6].providerUnitCode',
    ]);
    expect(fields(withQuestion(5, { providerUnitCode: 'IT' }))).toEqual([
      'questions[5].providerUnitCode',
    ]);
    expect(fields(withQuestion(1, { providerUnitCode: 'NOPE' }))).toEqual([
      'questions[1].providerUnitCode',
    ]);
    expect(fields(definition({ audience: 'external' }))).toEqual(['questions[1].providerUnitCode']);
    for (const type of ['nps', 'csat', 'ces', 'likert'] as const)
      expect(fields(withQuestion(1, { type }))).toEqual([]);
    expect(fields(withQuestion(1, { providerUnitCode: null }))).toEqual([]);
  });

  it('reports every provider problem of one question', () => {
    const def = definition({ audience: 'external' });
    def.questions[6] = { ...def.questions[6], providerUnitCode: 'NOPE' };
    const messages = validateDefinition(def, ctx()).filter(
      (e) => e.field === 'questions[6].providerUnitCode',
    );
    expect(messages).toHaveLength(3);
  });

  it('wants the headline to be a numeric question that rates no provider', () => {
    expect(fields(definition({ headline: 'missing' }))).toEqual(['headline']);
    expect(fields(definition({ headline: 'why' }))).toEqual(['headline']);
    expect(fields(definition({ headline: 'channel' }))).toEqual(['headline']);
    expect(fields(definition({ headline: 'it_service' }))).toEqual(['headline']);
    for (const headline of ['sat', 'nps', 'effort', 'agree'])
      expect(fields(definition({ headline }))).toEqual([]);
  });

  it('lists every problem at once', () => {
    const def = definition({ headline: 'why', closesAt: '2020-01-01T00:00:00Z' });
    def.questions[2] = { ...def.questions[2], key: 'sat', text: { en: 'x' } };
    def.questions[4] = { ...def.questions[4], multiple: true };
    expect(fields(def)).toEqual([
      'closesAt',
      'questions[2].key',
      'questions[2].text.it',
      'questions[4].multiple',
      'headline',
    ]);
  });
});

describe('isDateTime', () => {
  it.each([
    '2026-03-31T23:59:59Z',
    '2026-03-31T23:59Z',
    '2026-03-31T23:59:59.123Z',
    '2026-03-31T23:59:59+02:00',
    '2028-02-29T00:00:00Z',
  ])('accepts %s', (value) => expect(isDateTime(value)).toBe(true));

  it.each([
    '2026-03-31',
    '2026-03-31T23:59:59',
    '2026-02-30T00:00:00Z',
    '2027-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-31T24:00:00Z',
    '2026-03-31T23:60:00Z',
    '2026-03-31T23:59:59+25:00',
    '1999-12-31T23:59:59Z',
    '+020000-01-01T00:00:00Z',
    'tomorrow',
    '',
  ])('refuses %s', (value) => expect(isDateTime(value)).toBe(false));

  it('refuses non-strings', () => {
    expect(isDateTime(1_700_000_000_000)).toBe(false);
    expect(isDateTime(null)).toBe(false);
  });

  it('normalises to fixed-width UTC', () => {
    expect(normaliseDateTime('2026-03-31T23:59:59+02:00')).toBe('2026-03-31T21:59:59.000Z');
    expect(normaliseDateTime('2026-03-31T23:59Z')).toBe('2026-03-31T23:59:00.000Z');
  });
});
