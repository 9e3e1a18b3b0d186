import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { QuestionEntity } from '../database/schema/question.entity.js';
import {
  assertAudience,
  describeSide,
  requireSide,
  resolveOptions,
  resolveSide,
} from './linkage-sides.js';

const K = 5;
const campaign = (over: Partial<CampaignEntity> = {}) =>
  ({
    id: 'c1',
    name: 'Q1',
    wave: '2026-Q1',
    audience: 'internal',
    headline: 'sat',
    ...over,
  }) as CampaignEntity;
const question = (key: string, type: string, providerUnitId: string | null = null) =>
  ({ key, type, providerUnitId }) as QuestionEntity;
const QUESTIONS = [
  question('sat', 'csat'),
  question('nps', 'nps'),
  question('comment', 'text'),
  question('p1', 'csat', 'u1'),
  question('p2', 'ces', 'u2'),
];

describe('resolveOptions', () => {
  it('defaults to mean, member, no roll-up, English, k on both sides', () => {
    expect(resolveOptions({}, K)).toEqual({
      internalMetric: 'mean',
      externalMetric: 'mean',
      internalMetricField: 'metric',
      externalMetricField: 'metric',
      internalMin: K,
      externalMin: K,
      perspective: 'member',
      level: null,
      lang: 'en',
      notes: [],
    });
  });

  it('lets a side override the metric and names the field it came from', () => {
    const o = resolveOptions({ metric: 'topbox', externalMetric: 'nps' }, K);
    expect([o.internalMetric, o.internalMetricField]).toEqual(['topbox', 'metric']);
    expect([o.externalMetric, o.externalMetricField]).toEqual(['nps', 'externalMetric']);
  });

  it('never lets the internal side below k, and says so', () => {
    const o = resolveOptions({ minResponses: 2 }, K);
    expect([o.internalMin, o.externalMin]).toEqual([K, 2]);
    expect(o.notes).toEqual([
      'minResponses 2 is below the anonymity threshold (5): the internal side uses 5, the external side 2.',
    ]);
  });
});

describe('resolveSide', () => {
  const opts = resolveOptions({}, K);

  it('scores the headline by default, on its scale', () => {
    const side = requireSide(resolveSide('internal', campaign(), QUESTIONS, undefined, opts, 'q'));
    expect(side).toMatchObject({ questionKeys: ['sat'], scale: { min: 1, max: 5 }, pomp: false });
    expect(describeSide(side)).toEqual({
      campaign: { id: 'c1', name: 'Q1', wave: '2026-Q1' },
      questionKeys: ['sat'],
      metric: 'mean',
      scale: { min: 1, max: 5 },
      minResponses: K,
    });
  });

  it('pools every provider question in the provider perspective, on 0–100 when scales mix', () => {
    const provider = resolveOptions({ perspective: 'provider' }, K);
    const side = requireSide(
      resolveSide('internal', campaign(), QUESTIONS, undefined, provider, 'q'),
    );
    expect(side).toMatchObject({
      questionKeys: ['p1', 'p2'],
      scale: { min: 0, max: 100 },
      pomp: true,
    });
    expect(
      resolveSide('internal', campaign(), QUESTIONS, 'sat', provider, 'internalQuestion'),
    ).toEqual({
      errors: [
        {
          field: 'internalQuestion',
          message:
            'internalQuestion is not used in the provider perspective: every provider question of the campaign is pooled',
        },
      ],
    });
  });

  it('keeps the external side in the member perspective', () => {
    const provider = resolveOptions({ perspective: 'provider' }, K);
    const c = campaign({ audience: 'external' });
    expect(
      requireSide(resolveSide('external', c, QUESTIONS, undefined, provider, 'q')).perspective,
    ).toBe('member');
  });

  it('rejects a non-numeric question, naming the field', () => {
    expect(
      resolveSide('internal', campaign(), QUESTIONS, 'comment', opts, 'internalQuestion'),
    ).toEqual({
      errors: [
        {
          field: 'internalQuestion',
          message: '"comment" is not a numeric question of the internal campaign',
        },
      ],
    });
    const noHeadline = campaign({ headline: 'comment' });
    expect(resolveSide('internal', noHeadline, QUESTIONS, undefined, opts, 'q')).toMatchObject({
      errors: [{ field: 'headline' }],
    });
  });

  it('allows nps only on nps questions, and throws on requireSide', () => {
    const nps = resolveOptions({ internalMetric: 'nps' }, K);
    const result = resolveSide('internal', campaign(), QUESTIONS, undefined, nps, 'q');
    expect(result).toEqual({
      errors: [
        {
          field: 'internalMetric',
          message: 'the nps metric needs nps questions; the internal side scores csat',
        },
      ],
    });
    expect(() => requireSide(result)).toThrow('Invalid linkage parameters');
    expect(
      requireSide(resolveSide('internal', campaign(), QUESTIONS, 'nps', nps, 'q')).scale,
    ).toEqual({
      min: -100,
      max: 100,
    });
  });
});

describe('assertAudience', () => {
  it('rejects a campaign of the other audience', () => {
    expect(() => assertAudience(campaign(), 'external', 'external')).toThrow(
      'external must be an external campaign',
    );
    expect(assertAudience(campaign(), 'internal', 'internal').id).toBe('c1');
  });
});
