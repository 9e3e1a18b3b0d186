import { builderView } from './campaign-builder.view.js';
import { newBuilderState } from './campaign-builder.js';
import { previewView } from './campaign-preview.view.js';
import {
  campaignDetail,
  confirmView,
  copyView,
  invitationOutcome,
} from './campaigns-pages.view.js';
import type { CampaignView } from './campaigns.dto.js';

const campaign = (over: Partial<CampaignView> = {}): CampaignView => ({
  id: 'c1',
  name: 'Buyers 2026-Q2',
  audience: 'external',
  wave: '2026-Q2',
  anonymous: false,
  languages: ['en', 'it'],
  headline: 'nps',
  status: 'draft',
  closesAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  launchedAt: null,
  closedAt: null,
  opensAt: null,
  reminderPlan: null,
  autoReminders: 0,
  lastAutoReminderAt: null,
  questions: [
    {
      key: 'nps',
      type: 'nps',
      position: 0,
      required: true,
      multiple: false,
      options: null,
      text: { en: 'Recommend us?', it: 'Ci raccomanderebbe?' },
      providerUnitId: null,
      providerUnitCode: null,
    },
  ],
  ...over,
});

const mailing = { unsent: 612, unanswered: 1, lastReminderAt: null };
const what = (v: object) => (v as { what?: string }).what;

describe('campaign page view models', () => {
  it('confirmation steps say what will happen, with the real counts', () => {
    const r = { intervalHours: 24 };
    expect(what(confirmView(campaign(), 'launch', mailing, r, 'en'))).toContain(
      '612 e-mails will be sent',
    );
    expect(what(confirmView(campaign(), 'launch', mailing, r, 'it'))).toContain(
      'Verranno inviate 612 e-mail',
    );
    const open = campaign({ status: 'open' });
    expect(what(confirmView(open, 'remind', mailing, r, 'en'))).toContain('1 e-mail will be sent');
    const wait = {
      lastReminderAt: '2026-12-01T09:00:00.000Z',
      nextAt: '2026-12-02T09:00:00.000Z',
      intervalHours: 24,
      message: '',
    };
    expect(confirmView(open, 'remind', mailing, { ...r, wait }, 'en')).toMatchObject({
      refused:
        'The last reminder round went on 1 Dec 2026, 09:00 (UTC); at most one round every 24 hours, so the next is possible from 2 Dec 2026, 09:00 (UTC).',
    });
    expect(confirmView(open, 'remind', mailing, { ...r, wait }, 'it')).toMatchObject({
      refused: expect.stringContaining('L’ultimo giro di solleciti è partito il 1 dic 2026, 09:00'),
    });
    expect(confirmView(open, 'launch', mailing, r, 'en')).toHaveProperty('refused');
    expect(confirmView(open, 'delete', mailing, r, 'en')).toHaveProperty('refused');
    expect(confirmView(campaign(), 'delete', mailing, r, 'en')).toMatchObject({
      action: '/admin/campaigns/c1/delete',
      danger: true,
    });
    expect(confirmView(open, 'remind', mailing, r, 'en').action).toBe(
      '/admin/campaigns/c1/reminders',
    );
    // A scheduled draft: Launch says when it would open by itself and offers the date to change.
    const scheduled = campaign({ opensAt: '2026-12-04T09:00:00.000Z' });
    const launch = confirmView(scheduled, 'launch', mailing, r, 'en');
    expect((launch as { details?: string[] }).details).toContain(
      'It is scheduled to open by itself on 4 Dec 2026, 09:00 (UTC); launching now opens it at once instead.',
    );
    expect(launch).toMatchObject({ scheduleForm: { value: '2026-12-04T09:00', errors: [] } });
  });

  it('campaign page: the reminder plan in one sentence, with the next round', () => {
    const open = campaign({
      status: 'open',
      launchedAt: '2026-12-01T09:00:00.000Z',
      reminderPlan: { afterDays: 3, maxReminders: 2 },
    });
    const reminders = { nextAutoAt: '2026-12-04T09:00:00.000Z', lastReminderAt: null, rounds: [] };
    const en = campaignDetail(open, { invited: 0, responses: 0 }, 'en', {
      reminders,
      intervalHours: 24,
    });
    expect(`${en.schedule.plan} — ${en.schedule.next}`).toBe(
      'Reminders: 3 days after launch, then every 3 days, at most 2 — next on 4 Dec 2026, 09:00 (UTC)',
    );
    expect(en.campaign.statusLabel).toBe('open');
    const it = campaignDetail(open, { invited: 0, responses: 0 }, 'it', {
      reminders,
      intervalHours: 24,
    });
    expect(it.schedule.plan).toBe(
      'Solleciti: 3 giorni dopo l’avvio, poi ogni 3 giorni, al massimo 2',
    );
    expect(it.campaign.statusLabel).toBe('aperta');
    const draft = campaignDetail(
      campaign({ opensAt: '2026-12-04T09:00:00.000Z' }),
      { invited: 0, responses: 0 },
      'it',
      { reminders: { nextAutoAt: null, lastReminderAt: null, rounds: [] }, intervalHours: 24 },
    );
    expect(draft.campaign).toMatchObject({ status: 'scheduled', statusLabel: 'programmata' });
  });

  it('invitation results and refusals read back from the query, in the page language', () => {
    expect(invitationOutcome({ invited: '15' }, 'en')).toMatchObject({
      invited: '15 invitations created.',
    });
    expect(
      invitationOutcome(
        {
          invited: '0',
          skipped: '2 already invited, 1 fatigue: invited to another campaign within 30 days',
        },
        'it',
      ),
    ).toMatchObject({
      invited:
        'Inviti creati: 0; esclusi: già invitati (2), invitati a un’altra campagna negli ultimi 30 giorni (1).',
    });
    expect(invitationOutcome({ inviteError: 'unknownUnits', units: 'X-1, X-2' }, 'it')).toEqual({
      invited: undefined,
      reminded: undefined,
      error: 'Codice di unità sconosciuto: X-1, X-2.',
    });
    expect(
      invitationOutcome(
        {
          inviteError: 'remindWait',
          last: '2026-12-01T09:00:00.000Z',
          next: '2026-12-02T09:00:00.000Z',
          hours: '24',
        },
        'en',
      )?.error,
    ).toBe(
      'The last reminder round went on 1 Dec 2026, 09:00 (UTC); at most one round every 24 hours, so the next is possible from 2 Dec 2026, 09:00 (UTC).',
    );
    expect(invitationOutcome({ inviteError: 'CAMPAIGN_CLOSED' }, 'en')?.error).toBe(
      'The campaign is closed: no more invitations.',
    );
    expect(invitationOutcome({}, 'en')).toBeUndefined();
  });

  it('copy form: friendly messages per field', () => {
    const v = copyView(campaign(), { wave: '', name: 'x' }, 'en', [
      { field: 'wave', message: 'wave must match' },
    ]);
    expect(v.waveErrors[0]).toContain('period label');
    expect(v.errors).toEqual([{ anchor: 'wave', message: v.waveErrors[0] }]);
  });

  it('preview: the respondent form model per language, marked as a preview', () => {
    const it = previewView(campaign(), { lang: 'it', width: 'phone' });
    expect(it.lang).toBe('it');
    expect(it.questions[0]).toMatchObject({ legend: 'Ci raccomanderebbe?', isScale: true });
    expect(it.action).toBe('/admin/campaigns/c1/preview?lang=it&width=phone');
    expect(it.preview).toMatchObject({
      phone: true,
      widthHref: '/admin/campaigns/c1/preview?lang=it',
    });
    expect(previewView(campaign(), { lang: 'de' }).lang).toBe('en');
  });

  it('builder: errors next to their fields, headline choices among eligible questions', () => {
    const state = {
      ...newBuilderState('internal'),
      questions: [
        {
          key: 'a',
          type: 'csat',
          required: true,
          multiple: false,
          providerUnitCode: '',
          text: { en: 'A', it: '' },
          options: [],
        },
        {
          key: 'b',
          type: 'text',
          required: false,
          multiple: false,
          providerUnitCode: '',
          text: { en: 'B', it: 'B' },
          options: [],
        },
      ],
      headline: 'a',
    };
    const v = builderView({
      state,
      units: [],
      lang: 'en',
      errors: [{ field: 'questions[0].text.it', message: 'text in "it" is required' }],
    });
    expect(v.questions[0].texts.find((t) => t.lang === 'it')?.errors).toEqual([
      'Write the question in Italian.',
    ]);
    expect(v.errors[0]).toMatchObject({ anchor: 'q0-text-it', where: 'Question 1 (A)' });
    expect(v.headline.choices.map((c) => c.key)).toEqual(['a']);
    expect(v.anonymous).toBe(true);
  });
});
