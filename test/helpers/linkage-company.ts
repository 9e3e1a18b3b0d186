/**
 * A synthetic company for the linkage tests, written row by row through Db.write, whose every
 * answer is known: the tests recompute the expected unit scores from the same arrays.
 */
import { iso } from '../../src/common/clock.js';
import { newId } from '../../src/common/crypto.js';
import { recountAnswerCounts } from '../../src/database/answer-counts.js';
import type { Db } from '../../src/database/db.js';
import { AnswerEntity } from '../../src/database/schema/answer.entity.js';
import { CampaignEntity } from '../../src/database/schema/campaign.entity.js';
import { QuestionEntity } from '../../src/database/schema/question.entity.js';
import { ResponseEntity } from '../../src/database/schema/response.entity.js';
import { UnitEntity } from '../../src/database/schema/unit.entity.js';

/** Deterministic pseudo-random integers in [min, max] (a small LCG; same numbers on every run). */
export function generator(seed: number) {
  let s = seed >>> 0 || 1;
  return (min: number, max: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return min + (s % (max - min + 1));
  };
}

export interface FixtureUnit {
  id: string;
  code: string;
  parentCode: string | null;
}

/** One response: its unit and its numeric answers by question key. */
export interface FixtureResponse {
  unitCode: string;
  answers: Record<string, number>;
}

export interface FixtureQuestion {
  key: string;
  type: 'nps' | 'csat' | 'ces' | 'likert' | 'text';
  providerCode?: string;
}

let campaignSeq = 0;

export async function insertUnits(
  db: Db,
  units: Array<{ code: string; parentCode: string | null }>,
): Promise<Map<string, FixtureUnit>> {
  const out = new Map<string, FixtureUnit>();
  for (const u of units) {
    out.set(u.code, { id: newId(), code: u.code, parentCode: u.parentCode });
  }
  const now = iso();
  await db.write(async (m) => {
    for (const u of units) {
      const row = out.get(u.code) as FixtureUnit;
      await m.insert(UnitEntity, {
        id: row.id,
        code: u.code,
        name: `Unit ${u.code}`,
        parentId: u.parentCode ? (out.get(u.parentCode) as FixtureUnit).id : null,
        createdAt: now,
        updatedAt: now,
      });
    }
  });
  return out;
}

export async function insertCampaign(
  db: Db,
  o: {
    audience: 'internal' | 'external';
    wave?: string;
    name?: string;
    headline?: string;
    /** Default closed; launched (and closed) when it was created. */
    status?: 'draft' | 'open' | 'closed';
    /** Default: the next of distinct, increasing creation times. */
    createdAt?: string;
    questions: FixtureQuestion[];
    responses: FixtureResponse[];
    units: Map<string, FixtureUnit>;
  },
): Promise<string> {
  const id = newId();
  // Distinct, increasing creation times, so "the most recently created" is well defined.
  const createdAt =
    o.createdAt ?? new Date(Date.UTC(2026, 0, 1) + ++campaignSeq * 1000).toISOString();
  const status = o.status ?? 'closed';
  await db.write(async (m) => {
    await m.insert(CampaignEntity, {
      id,
      name: o.name ?? `Campaign ${id.slice(0, 8)}`,
      audience: o.audience,
      wave: o.wave ?? '2026-Q1',
      anonymous: o.audience === 'internal',
      languages: 'en,it',
      headline: o.headline ?? 'sat',
      status,
      closesAt: null,
      createdAt,
      launchedAt: createdAt,
      closedAt: status === 'closed' ? createdAt : null,
    });
    await m.insert(
      QuestionEntity,
      o.questions.map((q, position) => ({
        campaignId: id,
        key: q.key,
        position,
        type: q.type,
        required: false,
        multiple: false,
        providerUnitId: q.providerCode ? (o.units.get(q.providerCode) as FixtureUnit).id : null,
        textJson: JSON.stringify({ en: `Question ${q.key}`, it: `Domanda ${q.key}` }),
        optionsJson: null,
      })),
    );
    const responses: ResponseEntity[] = [];
    const answers: AnswerEntity[] = [];
    for (const r of o.responses) {
      const rid = newId();
      responses.push({
        id: rid,
        campaignId: id,
        unitId: (o.units.get(r.unitCode) as FixtureUnit).id,
        invitationId: null,
        language: 'en',
        submittedAt: '2026-02-01',
      });
      for (const [key, value] of Object.entries(r.answers)) {
        answers.push({
          responseId: rid,
          questionKey: key,
          seq: 0,
          campaignId: id,
          numValue: value,
          textValue: null,
        });
      }
    }
    for (let i = 0; i < responses.length; i += 400) {
      await m.insert(ResponseEntity, responses.slice(i, i + 400));
    }
    for (let i = 0; i < answers.length; i += 400) {
      await m.insert(AnswerEntity, answers.slice(i, i + 400));
    }
    await recountAnswerCounts(m, [id]);
  });
  return id;
}

/** Responses of `count` people of a unit, answers drawn per key from [min, max]. */
export function responsesOf(
  unitCode: string,
  count: number,
  ranges: Record<string, [number, number]>,
  rnd: (min: number, max: number) => number,
): FixtureResponse[] {
  return Array.from({ length: count }, () => ({
    unitCode,
    answers: Object.fromEntries(
      Object.entries(ranges).map(([key, [min, max]]) => [key, rnd(min, max)]),
    ),
  }));
}

// --- expected values, recomputed from the arrays -------------------------------------------------

export const valuesOf = (responses: FixtureResponse[], key: string, unitCodes?: Set<string>) =>
  responses
    .filter((r) => (unitCodes ? unitCodes.has(r.unitCode) : true) && r.answers[key] !== undefined)
    .map((r) => r.answers[key]);

export const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
export const topBoxOf = (values: number[], max: number) =>
  values.filter((v) => v >= max - 1).length / values.length;
export const npsOf = (values: number[]) =>
  (100 * (values.filter((v) => v >= 9).length - values.filter((v) => v <= 6).length)) /
  values.length;

// --- answers varied enough for the release gate (issue 7) ----------------------------------------

/** Where each numeric scale's top box starts (scale max − 1): csat/likert 4–5, ces 6–7, nps 9–10. */
export const TOP_FROM = { csat: 4, likert: 4, ces: 6, nps: 9 } as const;

/**
 * Whether the release gate may release a group with these answers on its own (issue 7): at least
 * k people, at least k of them differ from the most common answer, and some but not all of them in
 * the top box (values ≥ `topFrom`).
 */
export function variedEnough(values: readonly number[], k: number, topFrom: number): boolean {
  const byValue = new Map<number, number>();
  for (const v of values) byValue.set(v, (byValue.get(v) ?? 0) + 1);
  const mode = Math.max(0, ...byValue.values());
  const top = values.filter((v) => v >= topFrom).length;
  return values.length >= k && values.length - mode >= k && top > 0 && top < values.length;
}

/**
 * `count` answers drawn from [min, max]; when such a group can be varied enough at all (see
 * `variedEnough`), they are drawn again (deterministically, from `rnd`) until it is, so a fixture
 * group large enough to be released is never hidden for being (nearly) uniform. Groups that cannot
 * be (fewer than k people, or a range too narrow) get plain random answers.
 */
export function variedValues(
  count: number,
  [min, max]: [number, number],
  topFrom: number,
  k: number,
  rnd: (min: number, max: number) => number,
): number[] {
  const draw = () => Array.from({ length: count }, () => rnd(min, max));
  const feasible =
    count - Math.ceil(count / (max - min + 1)) >= k && min < topFrom && topFrom <= max;
  if (!feasible) return draw();
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const values = draw();
    if (variedEnough(values, k, topFrom)) return values;
  }
  throw new Error(`no varied answers for ${count} people in [${min}, ${max}]`);
}
