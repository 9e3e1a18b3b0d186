// Small test-data factories: rows written straight through Db.write (insert*), then a few
// compositions of them (a unit with its contacts, an open campaign with invitees).
import { iso } from '../../src/common/clock.js';
import { newId } from '../../src/common/crypto.js';
import { recountAnswerCounts } from '../../src/database/answer-counts.js';
import type { Db } from '../../src/database/db.js';
import { ContactEntity } from '../../src/database/schema/contact.entity.js';
import { InvitationEntity } from '../../src/database/schema/invitation.entity.js';
import { ResponseEntity } from '../../src/database/schema/response.entity.js';
import { UnitEntity } from '../../src/database/schema/unit.entity.js';

/** A valid POST /api/campaigns body: internal, en+it, one question of every type. */
export function campaignDefinition(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    name: 'Internal service 2026-Q1',
    audience: 'internal',
    wave: '2026-Q1',
    anonymous: true,
    languages: ['en', 'it'],
    closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    headline: 'sat',
    questions: [
      {
        key: 'sat',
        type: 'csat',
        required: true,
        text: {
          en: 'How satisfied are you with the support you receive?',
          it: 'Quanto è soddisfatto del supporto che riceve?',
        },
      },
      {
        key: 'nps',
        type: 'nps',
        text: { en: 'Would you recommend us?', it: 'Ci raccomanderebbe?' },
      },
      {
        key: 'effort',
        type: 'ces',
        text: { en: 'It was easy to get help.', it: 'È stato facile ottenere aiuto.' },
      },
      {
        key: 'informed',
        type: 'likert',
        text: { en: 'I am kept informed.', it: 'Vengo tenuto informato.' },
      },
      {
        key: 'channel',
        type: 'choice',
        multiple: false,
        options: [
          { value: 'web', label: { en: 'Web', it: 'Web' } },
          { value: 'phone', label: { en: 'Phone', it: 'Telefono' } },
        ],
        text: { en: 'How do you contact us?', it: 'Come ci contatta?' },
      },
      { key: 'why', type: 'text', required: true, text: { en: 'Why?', it: 'Perché?' } },
    ],
    ...overrides,
  };
}

/** A unit row written straight through the Db manager; returns its id. */
export function insertUnitRow(db: Db, code?: string): Promise<string> {
  return insertUnitWith(db, { code });
}

/** A contact row of the given unit; returns its id. */
export function insertContactRow(
  db: Db,
  unitId: string,
  audience: 'internal' | 'external' = 'internal',
): Promise<string> {
  return insertContactWith(db, unitId, { audience });
}

/** An invitation row (no link, no mail); returns its id. */
export async function insertInvitationRow(
  db: Db,
  campaignId: string,
  contactId: string,
): Promise<string> {
  const id = newId();
  await db.write((m) =>
    m.insert(InvitationEntity, {
      id,
      campaignId,
      contactId,
      status: 'created',
      answered: false,
      createdAt: iso(),
      sentAt: null,
      openedAt: null,
      answeredAt: null,
      remindedAt: null,
      reminders: 0,
    }),
  );
  return id;
}

/** A response row without answers; returns its id. */
export async function insertResponseRow(
  db: Db,
  campaignId: string,
  unitId: string,
): Promise<string> {
  const id = newId();
  await db.write(async (m) => {
    await m.insert(ResponseEntity, {
      id,
      campaignId,
      unitId,
      invitationId: null,
      language: 'en',
      submittedAt: iso(),
    });
    await recountAnswerCounts(m, [campaignId]);
  });
  return id;
}

/** An open campaign row (one language, no questions written); returns its id. */
export function insertCampaignRow(
  db: Db,
  audience: 'internal' | 'external' = 'external',
): Promise<string> {
  return insertCampaignWith(db, { audience, languages: 'en' });
}

/** An outbox row addressed to a contact; returns its id. */
export async function insertOutboxRow(
  db: Db,
  contactId: string,
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled' = 'queued',
  campaignId: string | null = null,
): Promise<string> {
  const { OutboxEntity } = await import('../../src/database/schema/outbox.entity.js');
  const id = newId();
  await db.write((m) =>
    m.insert(OutboxEntity, {
      id,
      campaignId,
      contactId,
      kind: 'invitation',
      toAddress: `${contactId}@example.com`,
      subject: 'Your opinion matters',
      bodyText: 'Dear Test Contact, please answer: http://survey.test/s/x',
      bodyHtml: '<p>Dear Test Contact</p>',
      status,
      attempts: status === 'queued' ? 0 : 1,
      nextAttemptAt: iso(),
      lockedUntil: null,
      lastError: status === 'failed' ? `550 ${contactId}@example.com unknown` : null,
      createdAt: iso(),
      sentAt: status === 'sent' ? iso() : null,
    }),
  );
  return id;
}

/** A unit row with options (code, parent); returns its id. */
export async function insertUnitWith(
  db: Db,
  o: { code?: string; parentId?: string | null } = {},
): Promise<string> {
  const id = newId();
  const now = iso();
  const code = o.code ?? `U${id.slice(0, 8)}`;
  await db.write((m) =>
    m.insert(UnitEntity, {
      id,
      code,
      name: `Unit ${code}`,
      parentId: o.parentId ?? null,
      createdAt: now,
      updatedAt: now,
    }),
  );
  return id;
}

export interface ContactOptions {
  audience?: 'internal' | 'external';
  language?: 'en' | 'it';
  name?: string | null;
  email?: string;
  optedOut?: boolean;
  /** An erased contact: no e-mail, no name, erased_at set. */
  erased?: boolean;
}

/** A contact row of the given unit with options; returns its id (e-mail `<id>@example.com` unless given). */
export async function insertContactWith(
  db: Db,
  unitId: string,
  o: ContactOptions = {},
): Promise<string> {
  const id = newId();
  const now = iso();
  await db.write((m) =>
    m.insert(ContactEntity, {
      id,
      email: o.erased ? null : (o.email ?? `${id}@example.com`),
      name: o.erased ? null : o.name === undefined ? 'Test Contact' : o.name,
      audience: o.audience ?? 'internal',
      unitId,
      language: o.language ?? 'en',
      optedOut: o.optedOut ?? false,
      erasedAt: o.erased ? now : null,
      createdAt: now,
      updatedAt: now,
    }),
  );
  return id;
}

export interface CampaignOptions {
  audience?: 'internal' | 'external';
  status?: 'draft' | 'open' | 'closed';
  languages?: string;
  anonymous?: boolean;
  name?: string;
  closesAt?: string | null;
}

/** A campaign row (no questions) with options; returns its id. */
export async function insertCampaignWith(db: Db, o: CampaignOptions = {}): Promise<string> {
  const { CampaignEntity } = await import('../../src/database/schema/campaign.entity.js');
  const id = newId();
  const now = iso();
  const status = o.status ?? 'open';
  const audience = o.audience ?? 'internal';
  await db.write((m) =>
    m.insert(CampaignEntity, {
      id,
      name: o.name ?? `Campaign ${id.slice(0, 8)}`,
      audience,
      wave: '2026-Q1',
      anonymous: o.anonymous ?? audience === 'internal',
      languages: o.languages ?? 'en,it',
      headline: 'sat',
      status,
      closesAt: o.closesAt ?? null,
      createdAt: now,
      launchedAt: status === 'draft' ? null : now,
      closedAt: status === 'closed' ? now : null,
    }),
  );
  return id;
}

/** A question row for `insertReportCampaign` (options only for choice questions). */
export interface ReportQuestionSpec {
  key: string;
  type: 'nps' | 'csat' | 'ces' | 'likert' | 'choice' | 'text';
  multiple?: boolean;
  options?: string[];
}

/** A campaign with the given questions written straight to the database; returns its id. */
export async function insertReportCampaign(
  db: Db,
  o: {
    audience: 'internal' | 'external';
    anonymous?: boolean;
    name?: string;
    headline?: string;
    questions: ReportQuestionSpec[];
    /** Default 2026-Q1. */
    wave?: string;
    /** Default closed. */
    status?: 'open' | 'closed';
  },
): Promise<string> {
  const { CampaignEntity } = await import('../../src/database/schema/campaign.entity.js');
  const { QuestionEntity } = await import('../../src/database/schema/question.entity.js');
  const id = newId();
  const now = iso();
  await db.write(async (m) => {
    await m.insert(CampaignEntity, {
      id,
      name: o.name ?? `Report ${id.slice(0, 8)}`,
      audience: o.audience,
      wave: o.wave ?? '2026-Q1',
      anonymous: o.anonymous ?? o.audience === 'internal',
      languages: 'en',
      headline: o.headline ?? o.questions[0].key,
      status: o.status ?? 'closed',
      closesAt: null,
      createdAt: now,
      launchedAt: now,
      closedAt: o.status === 'open' ? null : now,
    });
    await m.insert(
      QuestionEntity,
      o.questions.map((q, position) => ({
        campaignId: id,
        key: q.key,
        position,
        type: q.type,
        required: false,
        multiple: q.multiple ?? false,
        providerUnitId: null,
        textJson: JSON.stringify({ en: `Question ${q.key}` }),
        optionsJson: q.options
          ? JSON.stringify(q.options.map((value) => ({ value, label: { en: value } })))
          : null,
      })),
    );
  });
  return id;
}

/** One synthetic response: numbers for numeric questions, strings (arrays for multiple choice). */
export interface ReportResponseSpec {
  unitId: string;
  answers: Record<string, number | string | string[]>;
  invitationId?: string | null;
  language?: 'en' | 'it';
}

/** Responses and their answers, inserted in chunks (fast enough for tens of thousands). */
export async function insertReportResponses(
  db: Db,
  campaignId: string,
  responses: readonly ReportResponseSpec[],
): Promise<string[]> {
  const { AnswerEntity } = await import('../../src/database/schema/answer.entity.js');
  const ids: string[] = [];
  const now = iso();
  for (let start = 0; start < responses.length; start += 400) {
    const chunk = responses.slice(start, start + 400);
    const rows = chunk.map((r) => ({
      id: newId(),
      campaignId,
      unitId: r.unitId,
      invitationId: r.invitationId ?? null,
      language: r.language ?? 'en',
      submittedAt: now,
    }));
    const answers = chunk.flatMap((r, i) =>
      Object.entries(r.answers).flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map((v, seq) => ({
          responseId: rows[i].id,
          questionKey: key,
          seq,
          campaignId,
          numValue: typeof v === 'number' ? v : null,
          textValue: typeof v === 'string' ? v : null,
        })),
      ),
    );
    await db.write(async (m) => {
      await m.insert(ResponseEntity, rows);
      for (let a = 0; a < answers.length; a += 500)
        await m.insert(AnswerEntity, answers.slice(a, a + 500));
    });
    ids.push(...rows.map((r) => r.id));
  }
  await db.write((m) => recountAnswerCounts(m, [campaignId]));
  return ids;
}

/** `n` contact rows of a unit, written one after the other; returns their ids in that order. */
export async function insertContactsWith(
  db: Db,
  unitId: string,
  n: number,
  o: ContactOptions = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await insertContactWith(db, unitId, o));
  return ids;
}

/** A fresh unit with `n` contacts and an open campaign (options as insertCampaignWith). */
export async function openCampaignWithContacts(
  db: Db,
  n: number,
  options: CampaignOptions = {},
): Promise<{ unit: string; campaign: string; contacts: string[] }> {
  const unit = await insertUnitWith(db);
  const contacts = await insertContactsWith(db, unit, n);
  const campaign = await insertCampaignWith(db, { status: 'open', ...options });
  return { unit, campaign, contacts };
}
