import { builderView } from './campaign-builder.view.js';
import { newBuilderState } from './campaign-builder.js';
import { previewView } from './campaign-preview.view.js';
import { confirmView, copyView } from './campaigns-pages.view.js';
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
    expect(what(confirmView(campaign(), 'launch', mailing, { intervalHours: 24 }))).toContain(
      '612 e-mails will be sent',
    );
    const open = campaign({ status: 'open' });
    expect(what(confirmView(open, 'remind', mailing, { intervalHours: 24 }))).toContain(
      '1 e-mail will be sent',
    );
    const refused = confirmView(open, 'remind', mailing, { intervalHours: 24, refusal: 'later' });
    expect(refused).toMatchObject({ refused: 'later' });
    expect(confirmView(open, 'launch', mailing, { intervalHours: 24 })).toHaveProperty('refused');
    expect(confirmView(open, 'delete', mailing, { intervalHours: 24 })).toHaveProperty('refused');
    expect(confirmView(campaign(), 'delete', mailing, { intervalHours: 24 })).toMatchObject({
      action: '/admin/campaigns/c1/delete',
      danger: true,
    });
    expect(confirmView(open, 'remind', mailing, { intervalHours: 24 }).action).toBe(
      '/admin/campaigns/c1/reminders',
    );
  });

  it('copy form: friendly messages per field', () => {
    const v = copyView(campaign(), { wave: '', name: 'x' }, [
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
      errors: [{ field: 'questions[0].text.it', message: 'text in "it" is required' }],
    });
    expect(v.questions[0].texts.find((t) => t.lang === 'it')?.errors).toEqual([
      'Write the question in Italiano.',
    ]);
    expect(v.errors[0]).toMatchObject({ anchor: 'q0-text-it', where: 'Question 1 (A)' });
    expect(v.headline.choices.map((c) => c.key)).toEqual(['a']);
    expect(v.anonymous).toBe(true);
  });
});
