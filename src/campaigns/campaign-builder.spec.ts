import {
  applyStep,
  builderFieldOf,
  builderStateFromForm,
  definitionOf,
  doneOf,
  droppedProviderUnits,
  friendlyMessage,
  keyFrom,
  newBuilderState,
  nextWave,
  parseStep,
  type BuilderState,
} from './campaign-builder.js';
import { builderView, typeLabel } from './campaign-builder.view.js';
import { renamedForWave } from './campaign-definition.service.js';

const q = (key: string, type = 'csat', en = `${key} en`, it = `${key} it`) => ({
  key,
  type,
  required: true,
  multiple: false,
  providerUnitCode: '',
  text: { en, it },
  options: [],
});

const state = (keys: string[]): BuilderState => ({
  ...newBuilderState('internal'),
  name: 'N',
  wave: 'W1',
  questions: keys.map((k) => q(k)),
});

describe('campaign builder', () => {
  it('defaults: internal anonymous, external not', () => {
    expect(newBuilderState(undefined)).toMatchObject({ audience: 'internal', anonymous: true });
    expect(newBuilderState('external')).toMatchObject({ audience: 'external', anonymous: false });
  });

  it('parses the steps and refuses anything else as a plain save', () => {
    expect(parseStep('up:2')).toEqual({ kind: 'up', index: 2 });
    expect(parseStep('dup:0')).toEqual({ kind: 'duplicate', index: 0 });
    expect(parseStep('del:1')).toEqual({ kind: 'remove', index: 1 });
    expect(parseStep('lib:ext_nps')).toEqual({ kind: 'library', id: 'ext_nps' });
    expect(parseStep('add')).toEqual({ kind: 'add' });
    expect(parseStep('refresh')).toEqual({ kind: 'refresh' });
    expect(parseStep('up:-1')).toEqual({ kind: 'save' });
    expect(parseStep(undefined)).toEqual({ kind: 'save' });
  });

  it('moves, duplicates and removes questions; the headline follows or falls back', () => {
    const s = { ...state(['a', 'b', 'c']), headline: 'b' };
    expect(applyStep(s, { kind: 'up', index: 1 }).state.questions.map((x) => x.key)).toEqual([
      'b',
      'a',
      'c',
    ]);
    expect(applyStep(s, { kind: 'up', index: 0 }).state.questions.map((x) => x.key)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(applyStep(s, { kind: 'down', index: 2 }).state.questions.map((x) => x.key)).toEqual([
      'a',
      'b',
      'c',
    ]);
    const dup = applyStep(s, { kind: 'duplicate', index: 1 });
    expect(dup.state.questions.map((x) => x.key)).toEqual(['a', 'b', 'b_2', 'c']);
    expect(dup.focus).toBe(2);
    const removed = applyStep(s, { kind: 'remove', index: 1 }).state;
    expect(removed.questions.map((x) => x.key)).toEqual(['a', 'c']);
    expect(removed.headline).toBe('a');
  });

  it('adds the new question (key from its text) and library items with unique keys', () => {
    const s = {
      ...state(['overall']),
      draft: { ...q('', 'nps', 'Would you recommend us?', 'Ci raccomanderebbe?') },
    };
    const added = applyStep(s, { kind: 'add' }).state;
    expect(added.questions.map((x) => x.key)).toEqual(['overall', 'recommend']);
    expect(added.draft.text.en).toBe('');
    const lib = applyStep(state(['overall']), { kind: 'library', id: 'int_overall' }).state;
    expect(lib.questions.map((x) => x.key)).toEqual(['overall', 'overall_2']);
    expect(keyFrom({ type: 'text', text: { en: '', it: 'Perché è così?' } })).toBe('perche_cosi');
  });

  it('reads the parallel lists of the form, dropping empty option rows', () => {
    const s = builderStateFromForm({
      name: 'N',
      audience: 'internal',
      wave: 'W',
      languages: 'en',
      qKey: ['a', 'b'],
      qType: ['csat', 'choice'],
      qRequired: ['yes', 'no'],
      qMultiple: ['no', 'yes'],
      qProvider: ['', ''],
      qTextEn: ['A', 'B'],
      qTextIt: ['', ''],
      optQ: ['1', '1', '1'],
      optValue: ['x', '', ''],
      optEn: ['X', 'Y', ''],
      optIt: ['', '', ''],
    });
    expect(s.languages).toEqual(['en']);
    expect(s.questions[1]).toMatchObject({ required: false, multiple: true });
    expect(s.questions[1].options.map((o) => o.value)).toEqual(['x', '']);
    const def = definitionOf(s) as { questions: Array<Record<string, any>> };
    expect(def.questions[1].options).toEqual([
      { value: 'x', label: { en: 'X' } },
      { value: 'y', label: { en: 'Y' } },
    ]);
    expect(def.questions[0]).not.toHaveProperty('options');
  });

  it('says what is wrong next to the right field, without paths or JSON', () => {
    expect(builderFieldOf('questions[2].text.it')).toBe('q2-text-it');
    expect(builderFieldOf('questions[1].options[0].label.en')).toBe('q1-opt0-en');
    expect(builderFieldOf('questions[1].providerUnitCode')).toBe('q1-provider');
    expect(builderFieldOf('languages')).toBe('languages-en');
    expect(
      friendlyMessage({ field: 'questions[0].text.it', message: 'text in "it" is required' }),
    ).toBe('Write the question in Italian.');
    expect(
      friendlyMessage({ field: 'questions[0].text.it', message: 'text in "it" is required' }, 'it'),
    ).toBe('Scriva la domanda in italiano.');
    expect(
      friendlyMessage({
        field: 'questions',
        message: 'questions must contain at least 1 elements',
      }),
    ).toBe('Add at least one question (at most 100).');
  });

  it('proposes the next wave label and renames the copy', () => {
    expect(nextWave('2026-Q2')).toBe('2026-Q3');
    expect(nextWave('2026-Q4')).toBe('2027-Q1');
    expect(nextWave('2026-H2')).toBe('2027-H1');
    expect(nextWave('2026-12')).toBe('2027-01');
    expect(nextWave('Wave 7')).toBe('Wave 8');
    expect(nextWave('2026')).toBe('2027');
    expect(nextWave('spring')).toBe('spring 2');
    expect(renamedForWave('Service 2026-Q2', '2026-Q2', '2026-Q3')).toBe('Service 2026-Q3');
    expect(renamedForWave('Service', '2026-Q2', '2026-Q3')).toBe('Service 2026-Q3');
  });

  it('switching to external removes provider units only when confirmed (the "external" step)', () => {
    const state: BuilderState = {
      ...newBuilderState('internal'),
      audience: 'external',
      questions: [
        { ...q('a'), providerUnitCode: 'IT' },
        q('b'),
        { ...q('c'), providerUnitCode: 'HR' },
      ],
      headline: 'b',
    };
    expect(droppedProviderUnits(state)).toEqual([0, 2]);
    expect(droppedProviderUnits({ ...state, audience: 'internal' })).toEqual([]);
    // Any other step keeps them (the service then refuses the save).
    expect(applyStep(state, parseStep('save')).state.questions[0].providerUnitCode).toBe('IT');
    const step = parseStep('external');
    expect(step).toEqual({ kind: 'external' });
    const { state: next } = applyStep({ ...state, audience: 'internal' }, step);
    expect(next.audience).toBe('external');
    expect(next.questions.map((x) => x.providerUnitCode)).toEqual(['', '', '']);
    expect(droppedProviderUnits(next)).toEqual([]);
    expect(doneOf(step, false)).toBe('external');
    expect(doneOf(parseStep('up:1'), false)).toBe('moved');
    expect(doneOf(parseStep('up:1'), true)).toBe('created');
    // The page lists what will be removed and says it in the refusal.
    const units = [{ code: 'IT', name: 'IT services' }];
    const v = builderView({
      campaignId: 'c1',
      state,
      units,
      lang: 'en',
      errors: [{ field: 'audience', message: '2 question(s) rate a provider unit' }],
    });
    expect(v.dropUnits).toEqual({
      title:
        'External campaigns cannot rate a provider unit: 2 questions lose their provider unit.',
      confirm: 'Make it external and remove 2 provider units',
      items: ['Question 1 (a en): IT services (IT)', 'Question 3 (c en): HR'],
    });
    expect(v.errors).toEqual([
      {
        anchor: 'external-confirm',
        where: '',
        message:
          'Switching to external removes the provider unit of 2 questions: confirm it below, or keep the campaign internal.',
      },
    ]);
    const it = builderView({ campaignId: 'c1', state, units, lang: 'it' });
    expect(it.dropUnits?.confirm).toBe('Renda la campagna esterna e rimuova 2 unità fornitrici');
  });

  it('shows the notice of a step next to the question it concerns, else at the top', () => {
    const state: BuilderState = { ...newBuilderState('internal'), questions: [q('a'), q('b')] };
    const at = builderView({
      campaignId: 'c1',
      state,
      units: [],
      lang: 'en',
      done: 'added',
      at: '1',
    });
    expect(at.notice).toBeUndefined();
    expect(at.questions.map((x) => x.notice)).toEqual([
      undefined,
      'The question was added and the draft saved.',
    ]);
    const top = builderView({ campaignId: 'c1', state, units: [], lang: 'it', done: 'saved' });
    expect(top.notice).toBe('La bozza è stata salvata.');
    expect(top.questions.every((x) => x.notice === undefined)).toBe(true);
    // An index past the end, or an unknown notice, shows nothing misplaced.
    expect(builderView({ state, units: [], lang: 'en', done: 'added', at: '7' }).notice).toBe(
      'The question was added and the draft saved.',
    );
    expect(builderView({ state, units: [], lang: 'en', done: 'nope', at: '0' }).notice).toBe(
      undefined,
    );
  });

  it('labels the page in the page language', () => {
    const state: BuilderState = { ...newBuilderState('internal'), questions: [q('a', 'nps')] };
    const it = builderView({ state, units: [], lang: 'it' });
    expect(it.title).toBe('Nuova campagna');
    expect(it.questions[0].types.find((x) => x.selected)?.label).toBe('NPS 0–10 (raccomandazione)');
    expect(it.questions[0].texts.map((x) => x.label)).toEqual([
      'Domanda in inglese',
      'Domanda in italiano',
    ]);
    expect(it.shownLanguages).toBe('inglese e italiano');
    expect(it.languages.map((l) => l.name)).toEqual(['English', 'Italiano']);
    expect(it.library[0].title).toBe('Servizi interni');
    expect(it.library[0].items[0].title).toBe('Soddisfazione complessiva');
    expect(typeLabel('text', 'en')).toBe('Free text');
    expect(builderView({ state, units: [], lang: 'en' }).questions[0].texts[1].label).toBe(
      'Question in Italian',
    );
  });
});
