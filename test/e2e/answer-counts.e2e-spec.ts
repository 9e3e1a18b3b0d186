import { iso } from '../../src/common/clock.js';
import { newId, newToken, sha256 } from '../../src/common/crypto.js';
import { Db } from '../../src/database/db.js';
import { CampaignEntity } from '../../src/database/schema/campaign.entity.js';
import { ContactEntity } from '../../src/database/schema/contact.entity.js';
import { InvitationLinkEntity } from '../../src/database/schema/invitation-link.entity.js';
import { InvitationEntity } from '../../src/database/schema/invitation.entity.js';
import { QuestionEntity } from '../../src/database/schema/question.entity.js';
import { UnitEntity } from '../../src/database/schema/unit.entity.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { QUESTIONS } from '../helpers/survey-fixtures.js';

/**
 * `answer_counts` (src/database/answer-counts.ts) against a recount from the answers, computed
 * here in TypeScript from the raw rows with the definitions the reports used to GROUP BY: after
 * random answers submitted concurrently through the real answering path (with refused duplicates
 * and invalid bodies among them), after erasures and after the close. Any drift fails.
 */

/** Deterministic PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCALES: Record<string, [number, number]> = {
  csat: [1, 5],
  nps: [0, 10],
  ces: [1, 7],
  likert: [1, 5],
};

describe.each(dbKinds())('answer counts stay equal to a recount on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  const p = (i: number) => (kind === 'sqlite' ? '?' : `$${i}`);

  beforeAll(async () => {
    t = await startApp(kind, { TOKEN_MAX_FAILURES_PER_ADDRESS: '10000' });
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  interface Seeded {
    campaignId: string;
    tokens: string[];
    contactIds: string[];
    questions: Array<{
      key: string;
      type: string;
      multiple: boolean;
      options: string[];
      provider: string | null;
    }>;
  }

  /** Four units, two of them also providers, an open identified campaign, `n` invited contacts. */
  async function seed(n: number, rnd: () => number): Promise<Seeded> {
    const now = iso();
    const campaignId = newId();
    const units = Array.from({ length: 4 }, () => newId());
    const providerQuestions = [
      { key: 'pa1', type: 'csat', provider: units[2] },
      { key: 'pa2', type: 'nps', provider: units[2] },
      { key: 'pb1', type: 'likert', provider: units[3] },
    ];
    const questions: Seeded['questions'] = [
      ...QUESTIONS.map((q) => ({
        key: q.key,
        type: q.type,
        multiple: 'multiple' in q ? q.multiple : false,
        options: 'options' in q ? q.options.map((o) => o.value) : [],
        provider: null,
      })),
      ...providerQuestions.map((q) => ({ ...q, multiple: false, options: [] })),
    ];
    const tokens: string[] = [];
    const contactIds: string[] = [];
    await db.write(async (m) => {
      for (const [i, id] of units.entries())
        await m.insert(UnitEntity, {
          id,
          code: `AC${id.slice(0, 6)}${i}`,
          name: `Unit ${i}`,
          parentId: i === 0 ? null : units[0],
          createdAt: now,
          updatedAt: now,
        });
      await m.insert(CampaignEntity, {
        id: campaignId,
        name: 'Counts',
        audience: 'internal',
        wave: '2026-Q1',
        anonymous: false,
        languages: 'en',
        headline: 'sat',
        status: 'open',
        closesAt: null,
        createdAt: now,
        launchedAt: now,
        closedAt: null,
      });
      await m.insert(
        QuestionEntity,
        questions.map((q, position) => ({
          campaignId,
          key: q.key,
          position,
          type: q.type as QuestionEntity['type'],
          required: false,
          multiple: q.multiple,
          providerUnitId: q.provider,
          textJson: JSON.stringify({ en: q.key, it: q.key }),
          optionsJson: q.options.length
            ? JSON.stringify(q.options.map((v) => ({ value: v, label: { en: v, it: v } })))
            : null,
        })),
      );
      for (let i = 0; i < n; i++) {
        const contactId = newId();
        const invitationId = newId();
        const token = newToken();
        await m.insert(ContactEntity, {
          id: contactId,
          email: `counts-${contactId}@example.com`,
          name: null,
          audience: 'internal',
          unitId: units[Math.floor(rnd() * units.length)],
          language: 'en',
          optedOut: false,
          erasedAt: null,
          createdAt: now,
          updatedAt: now,
        });
        await m.insert(InvitationEntity, {
          id: invitationId,
          campaignId,
          contactId,
          status: 'sent',
          answered: false,
          createdAt: now,
          sentAt: now,
          openedAt: null,
          answeredAt: null,
          remindedAt: null,
          reminders: 0,
        });
        await m.insert(InvitationLinkEntity, {
          tokenHash: sha256(token),
          invitationId,
          createdAt: now,
        });
        tokens.push(token);
        contactIds.push(contactId);
      }
    });
    return { campaignId, tokens, contactIds, questions };
  }

  /** A random valid body: each question answered with probability 0.7. */
  function answersFor(s: Seeded, rnd: () => number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const q of s.questions) {
      if (rnd() > 0.7) continue;
      if (q.type === 'text') out[q.key] = rnd() < 0.5 ? 'fine' : `comment ${Math.floor(rnd() * 5)}`;
      else if (q.type === 'choice') {
        if (q.multiple) {
          const chosen = q.options.filter(() => rnd() < 0.5);
          if (chosen.length) out[q.key] = chosen;
        } else out[q.key] = q.options[Math.floor(rnd() * q.options.length)];
      } else {
        const [lo, hi] = SCALES[q.type];
        out[q.key] = lo + Math.floor(rnd() * (hi - lo + 1));
      }
    }
    return out;
  }

  /** The table as a map `kind|question|unit|value` → n (provider sets normalised). */
  async function table(campaignId: string): Promise<Map<string, number>> {
    const rows = (await db.manager.query(
      `SELECT kind, question_key AS k, unit_id AS u, value AS v, n FROM answer_counts
       WHERE campaign_id = ${p(1)}`,
      [campaignId],
    )) as Array<{ kind: string; k: string; u: string; v: string; n: unknown }>;
    const out = new Map<string, number>();
    for (const r of rows) {
      const v = r.kind === 'prov' ? r.v.split(',').sort().join(',') : r.v;
      const key = `${r.kind}|${r.k}|${r.u}|${v}`;
      out.set(key, (out.get(key) ?? 0) + Number(r.n));
    }
    return out;
  }

  /** The recount, from the raw answers, with the definitions the report queries grouped by. */
  async function recount(campaignId: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const add = (key: string) => out.set(key, (out.get(key) ?? 0) + 1);
    const responses = (await db.manager.query(
      `SELECT id, unit_id AS u FROM responses WHERE campaign_id = ${p(1)}`,
      [campaignId],
    )) as Array<{ id: string; u: string }>;
    for (const r of responses) add(`resp||${r.u}|`);
    const rows = (await db.manager.query(
      `SELECT a.response_id AS rid, r.unit_id AS u, a.question_key AS k, a.seq AS seq,
              a.num_value AS num, a.text_value AS txt, q.type AS type, q.provider_unit_id AS prov
         FROM answers a JOIN responses r ON r.id = a.response_id
         JOIN questions q ON q.campaign_id = a.campaign_id AND q.question_key = a.question_key
        WHERE a.campaign_id = ${p(1)}`,
      [campaignId],
    )) as Array<{
      rid: string;
      u: string;
      k: string;
      seq: unknown;
      num: unknown;
      txt: string | null;
      type: string;
      prov: string | null;
    }>;
    const said = new Set<string>();
    const providers = new Map<string, { u: string; set: Set<string> }>();
    for (const a of rows) {
      if (a.num !== null) {
        add(`num|${a.k}|${a.u}|${Number(a.num)}`);
        if (a.prov && Number(a.seq) === 0) {
          const entry = providers.get(a.rid) ?? { u: a.u, set: new Set<string>() };
          entry.set.add(a.prov);
          providers.set(a.rid, entry);
        }
      }
      if (a.txt !== null && a.type === 'choice') add(`text|${a.k}|${a.u}|${a.txt}`);
      if (a.txt !== null && a.txt !== '') said.add(`${a.rid}|${a.k}|${a.u}`);
    }
    for (const s of said) {
      const [, k, u] = s.split('|');
      add(`said|${k}|${u}|`);
    }
    for (const { u, set } of providers.values()) add(`prov||${u}|${[...set].sort().join(',')}`);
    return out;
  }

  const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

  it('after concurrent random answers, refusals, erasures and the close', async () => {
    const rnd = prng(kind === 'sqlite' ? 9001 : 9002);
    const s = await seed(90, rnd);
    const submit = (token: string, answers: unknown) =>
      t.http().post(`/api/s/${token}`).send({ answers });

    // Random answers, 15 at a time (SQLite groups them in one batched transaction; PostgreSQL
    // runs them as concurrent transactions on the same rows).
    const answered: number[] = [];
    for (let start = 0; start < 70; start += 15) {
      const batch = s.tokens.slice(start, Math.min(70, start + 15));
      const statuses = await Promise.all(
        batch.map(async (token, j) => {
          const res = await submit(token, answersFor(s, rnd));
          if (res.status === 201) answered.push(start + j);
          return res.status;
        }),
      );
      expect(statuses.every((x) => x === 201)).toBe(true);
    }
    expect(sorted(await table(s.campaignId))).toEqual(sorted(await recount(s.campaignId)));
    const before = sorted(await table(s.campaignId));
    expect(before.length).toBeGreaterThan(20);
    for (const kindName of ['resp', 'num', 'text', 'said', 'prov'])
      expect(before.some(([key]) => key.startsWith(`${kindName}|`))).toBe(true);

    // Refused writes change nothing: a second answer on a used link, an invalid body, both racing.
    const refused = await Promise.all([
      submit(s.tokens[0], answersFor(s, rnd)),
      submit(s.tokens[1], { sat: 99 }), // answered first: 409 before the body is checked
      submit(s.tokens[70], { sat: 'x' }),
      submit(s.tokens[2], answersFor(s, rnd)),
    ]);
    expect(refused.map((r) => r.status)).toEqual([409, 409, 400, 409]);
    expect(sorted(await table(s.campaignId))).toEqual(before);

    // Erasures (answered and not) keep the responses, unlinked: the counts stay.
    for (const i of [3, 4, 75])
      await t
        .http()
        .delete(`/api/contacts/${s.contactIds[i]}`)
        .set(bearer(t.adminToken))
        .expect(204);
    await submit(s.tokens[75], answersFor(s, rnd)).expect(404);
    expect(sorted(await table(s.campaignId))).toEqual(before);
    expect(sorted(await recount(s.campaignId))).toEqual(before);

    // More answers, then the close; answers after it are refused and change nothing.
    const late = await Promise.all(
      s.tokens
        .slice(70, 85)
        .filter((_, j) => j !== 5)
        .map((token) => submit(token, answersFor(s, rnd))),
    );
    expect(late.every((r) => r.status === 201)).toBe(true);
    await t
      .http()
      .post(`/api/campaigns/${s.campaignId}/close`)
      .set(bearer(t.adminToken))
      .expect(200);
    await submit(s.tokens[86], answersFor(s, rnd)).expect(410);
    const closed = sorted(await table(s.campaignId));
    expect(closed).toEqual(sorted(await recount(s.campaignId)));
    expect(closed).not.toEqual(before);
    const resp = closed.filter(([key]) => key.startsWith('resp|')).reduce((n, [, v]) => n + v, 0);
    expect(resp).toBe(answered.length + late.length);
  }, 120_000);

  it('recountAnswerCounts rebuilds the same rows the answering path wrote', async () => {
    const { recountAnswerCounts } = await import('../../src/database/answer-counts.js');
    const rnd = prng(kind === 'sqlite' ? 77 : 78);
    const s = await seed(25, rnd);
    for (const token of s.tokens)
      await t
        .http()
        .post(`/api/s/${token}`)
        .send({ answers: answersFor(s, rnd) })
        .expect(201);
    const kept = sorted(await table(s.campaignId));
    await db.write((m) => recountAnswerCounts(m, [s.campaignId]));
    expect(sorted(await table(s.campaignId))).toEqual(kept);
    expect(kept).toEqual(sorted(await recount(s.campaignId)));
  }, 60_000);
});
