import { iso } from '../../src/common/clock.js';
import { newId, newToken, sha256 } from '../../src/common/crypto.js';
import { Db } from '../../src/database/db.js';
import type { TestApp } from './app.js';
import { CampaignEntity } from '../../src/database/schema/campaign.entity.js';
import { ContactEntity } from '../../src/database/schema/contact.entity.js';
import { InvitationLinkEntity } from '../../src/database/schema/invitation-link.entity.js';
import { InvitationEntity } from '../../src/database/schema/invitation.entity.js';
import { QuestionEntity } from '../../src/database/schema/question.entity.js';
import { UnitEntity } from '../../src/database/schema/unit.entity.js';

export interface SurveyOptions {
  anonymous?: boolean;
  audience?: 'internal' | 'external';
  status?: 'draft' | 'open' | 'closed';
  closesAt?: string | null;
  invitees?: number;
  languages?: string;
  contactLanguage?: 'en' | 'it';
  name?: string;
}

export interface Survey {
  campaignId: string;
  unitId: string;
  tokens: string[];
  invitationIds: string[];
  contactIds: string[];
}

/** The questionnaire used by the answering tests: one question of every type. */
export const QUESTIONS = [
  {
    key: 'sat',
    type: 'csat',
    required: true,
    text: { en: 'How satisfied are you?', it: 'Quanto è soddisfatto?' },
  },
  {
    key: 'nps',
    type: 'nps',
    required: false,
    text: { en: 'Would you recommend us?', it: 'Ci raccomanderebbe?' },
  },
  {
    key: 'effort',
    type: 'ces',
    required: false,
    text: { en: 'It was easy', it: 'È stato facile' },
  },
  { key: 'agree', type: 'likert', required: false, text: { en: 'I agree', it: 'Sono d’accordo' } },
  {
    key: 'channel',
    type: 'choice',
    required: false,
    multiple: false,
    options: [
      { value: 'web', label: { en: 'Web', it: 'Web' } },
      { value: 'phone', label: { en: 'Phone', it: 'Telefono' } },
    ],
    text: { en: 'Which channel?', it: 'Quale canale?' },
  },
  {
    key: 'topics',
    type: 'choice',
    required: false,
    multiple: true,
    options: [
      { value: 'price', label: { en: 'Price', it: 'Prezzo' } },
      { value: 'speed', label: { en: 'Speed', it: 'Velocità' } },
      { value: 'care', label: { en: 'Care', it: 'Cura' } },
    ],
    text: { en: 'What matters?', it: 'Cosa conta?' },
  },
  { key: 'why', type: 'text', required: false, text: { en: 'Why?', it: 'Perché?' } },
] as const;

/** Writes a unit, contacts, an open campaign with QUESTIONS and one invitation (+ link) per contact. */
export async function seedSurvey(t: TestApp, o: SurveyOptions = {}): Promise<Survey> {
  const db = t.app.get(Db);
  const now = iso();
  const unitId = newId();
  const campaignId = newId();
  const n = o.invitees ?? 3;
  const audience = o.audience ?? 'internal';
  const tokens: string[] = [];
  const invitationIds: string[] = [];
  const contactIds: string[] = [];
  await db.write(async (m) => {
    const code = `U${unitId.slice(0, 8)}`;
    await m.insert(UnitEntity, {
      id: unitId,
      code,
      name: `Unit ${code}`,
      parentId: null,
      createdAt: now,
      updatedAt: now,
    });
    await m.insert(CampaignEntity, {
      id: campaignId,
      name: o.name ?? 'Service survey',
      audience,
      wave: '2026-Q1',
      anonymous: o.anonymous ?? true,
      languages: o.languages ?? 'en,it',
      headline: 'sat',
      status: o.status ?? 'open',
      closesAt: o.closesAt ?? null,
      createdAt: now,
      launchedAt: now,
      closedAt: null,
    });
    await m.insert(
      QuestionEntity,
      QUESTIONS.map((q, position) => ({
        campaignId,
        key: q.key,
        position,
        type: q.type,
        required: q.required,
        multiple: 'multiple' in q ? q.multiple : false,
        providerUnitId: null,
        textJson: JSON.stringify(q.text),
        optionsJson: 'options' in q ? JSON.stringify(q.options) : null,
      })),
    );
    for (let i = 0; i < n; i++) {
      const contactId = newId();
      const invitationId = newId();
      const token = newToken();
      await m.insert(ContactEntity, {
        id: contactId,
        email: `person-${contactId}@example.com`,
        name: `Person ${i}`,
        audience,
        unitId,
        language: o.contactLanguage ?? 'en',
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
      invitationIds.push(invitationId);
      contactIds.push(contactId);
    }
  });
  return { campaignId, unitId, tokens, invitationIds, contactIds };
}

export const VALID_ANSWERS = {
  sat: 4,
  nps: 9,
  effort: 6,
  agree: 5,
  channel: 'web',
  topics: ['price', 'care'],
  why: 'Quick 👩🏽‍💻',
};
