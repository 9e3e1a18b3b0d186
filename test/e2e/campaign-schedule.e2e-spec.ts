import { jest } from '@jest/globals';
import { Db } from '../../src/database/db.js';
import { CampaignCloseWorker } from '../../src/campaigns/campaign-close.worker.js';
import { CampaignsService } from '../../src/campaigns/campaigns.service.js';
import { RemindersService } from '../../src/invitations/reminders.service.js';
import { InvitationSweepService } from '../../src/invitations/invitation-sweep.service.js';
import { ReminderPlanWorker } from '../../src/invitations/reminder-plan.worker.js';
import { OutboxEntity } from '../../src/database/schema/outbox.entity.js';
import { csrfOf, signIn } from '../helpers/auth.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { campaignDefinition, insertContactsWith, insertUnitRow } from '../helpers/factories.js';

type Body = Record<string, any>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The schedule of issue 8: scheduled launches and automatic reminder rounds. Time moves through
 * the clock the app reads (Date, faked here: timers stay real), never by sleeping.
 */
describe.each(dbKinds())('campaign schedule on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let unitCode: string;
  let start: number;
  const admin = () => bearer(t.adminToken);
  const at = (ms: number) => new Date(start + ms);
  const setClock = (ms: number) => jest.setSystemTime(at(ms));
  const iso = (ms: number) => at(ms).toISOString();
  const create = (body: Body) => t.http().post('/api/campaigns').set(admin()).send(body);
  const get = async (id: string): Promise<Body> =>
    (await t.http().get(`/api/campaigns/${id}`).set(admin()).expect(200)).body;
  const schedule = (id: string, body: Body) =>
    t.http().patch(`/api/campaigns/${id}/schedule`).set(admin()).send(body);
  const mails = (campaignId: string, kind: 'invitation' | 'reminder') =>
    db.manager.countBy(OutboxEntity, { campaignId, kind });
  const sweep = (ms: number) => t.app.get(CampaignCloseWorker).sweep(at(ms));
  const remindDue = (ms: number) => t.app.get(ReminderPlanWorker).sendDue(at(ms));

  /** A draft (internal) with its own unit of `n` contacts, all invited. */
  async function draftWithInvitees(n: number, extra: Body = {}): Promise<Body> {
    const unit = await insertUnitRow(db);
    const code = (await db.manager.query(
      kind === 'sqlite'
        ? 'SELECT code FROM units WHERE id = ?'
        : 'SELECT code FROM units WHERE id = $1',
      [unit],
    )) as Array<{ code: string }>;
    unitCode = code[0].code;
    await insertContactsWith(db, unit, n);
    const res = await create(campaignDefinition(extra));
    expect(res.status).toBe(201);
    await t
      .http()
      .post(`/api/campaigns/${res.body.id}/invitations`)
      .set(admin())
      .send({ unitCodes: [unitCode] })
      .expect(201);
    return res.body;
  }

  beforeAll(async () => {
    t = await startApp(kind, {
      CLOSE_SWEEP_MS: '3600000',
      REMINDER_SWEEP_MS: '3600000',
      MAIL_POLL_MS: '600000',
      REMIND_INTERVAL_HOURS: '24',
    });
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  beforeEach(() => {
    start = Date.now();
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
      now: start,
    });
  });
  afterEach(() => jest.useRealTimers());

  describe('scheduled launch', () => {
    it('creates a scheduled draft, launches it once when its time comes and mails its invitations', async () => {
      const c = await draftWithInvitees(3, { opensAt: iso(2 * HOUR), closesAt: iso(10 * DAY) });
      expect(c).toMatchObject({ status: 'draft', opensAt: iso(2 * HOUR) });
      expect(await mails(c.id, 'invitation')).toBe(0);

      expect((await sweep(HOUR)).launched).toBe(0);
      expect((await get(c.id)).status).toBe('draft');

      setClock(2 * HOUR + 1000);
      expect((await sweep(2 * HOUR + 1000)).launched).toBe(1);
      expect(await sweep(2 * HOUR + 2000)).toEqual({ closed: 0, launched: 0 });
      const opened = await get(c.id);
      expect(opened).toMatchObject({
        status: 'open',
        launchedAt: iso(2 * HOUR + 1000),
      });

      // The invitations made while it was a draft are mailed as after a manual launch.
      await t.app.get(InvitationSweepService).queueOpened(Date.now() + DAY);
      expect(await mails(c.id, 'invitation')).toBe(3);
    });

    it('launches once when two sweeps run at the same time', async () => {
      const c = await draftWithInvitees(1, { opensAt: iso(HOUR) });
      setClock(HOUR + 1);
      const results = await Promise.all([sweep(HOUR + 1), sweep(HOUR + 1), sweep(HOUR + 1)]);
      expect(results.map((r) => r.launched).reduce((a, b) => a + b, 0)).toBe(1);
      expect((await get(c.id)).status).toBe('open');
    });

    it('launches a scheduled draft at once with Launch now, and the sweep leaves it alone', async () => {
      const c = await draftWithInvitees(1, { opensAt: iso(DAY) });
      await t.http().post(`/api/campaigns/${c.id}/launch`).set(admin()).expect(200);
      const opened = await get(c.id);
      expect(opened).toMatchObject({ status: 'open', opensAt: null });
      expect((await sweep(2 * DAY)).launched).toBe(0);
    });
  });

  describe('validation', () => {
    it('refuses a bad schedule with 400 naming each field, and writes nothing', async () => {
      const past = await create(campaignDefinition({ opensAt: iso(-HOUR) })).expect(400);
      expect(past.body.errors).toEqual([
        { field: 'opensAt', message: 'opensAt must be in the future' },
      ]);
      const after = await create(
        campaignDefinition({ opensAt: iso(2 * DAY), closesAt: iso(DAY) }),
      ).expect(400);
      expect(after.body.errors.map((e: Body) => e.field)).toEqual(['closesAt']);
      const plan = await create(
        campaignDefinition({ reminderPlan: { afterDays: 0, maxReminders: 11 } }),
      ).expect(400);
      expect(plan.body.errors.map((e: Body) => e.field).sort()).toEqual([
        'reminderPlan.afterDays',
        'reminderPlan.maxReminders',
      ]);
      const notDate = await create(campaignDefinition({ opensAt: 'tomorrow' })).expect(400);
      expect(notDate.body.errors.map((e: Body) => e.field)).toEqual(['opensAt']);
      const extra = await create(
        campaignDefinition({ reminderPlan: { afterDays: 2, maxReminders: 1, every: 3 } }),
      ).expect(400);
      expect(extra.body.errors.length).toBeGreaterThan(0);
    });

    it('changes the schedule of drafts and open campaigns, within the rules', async () => {
      const c = (await create(campaignDefinition()).expect(201)).body;
      const set = await schedule(c.id, {
        opensAt: iso(DAY),
        closesAt: iso(5 * DAY),
        reminderPlan: { afterDays: 2, maxReminders: 1 },
      }).expect(200);
      expect(set.body).toMatchObject({
        status: 'draft',
        opensAt: iso(DAY),
        closesAt: iso(5 * DAY),
        reminderPlan: { afterDays: 2, maxReminders: 1 },
      });
      // PATCH of the definition leaves an absent opensAt/reminderPlan as it is.
      const replaced = await t
        .http()
        .patch(`/api/campaigns/${c.id}`)
        .set(admin())
        .send(campaignDefinition({ closesAt: iso(6 * DAY) }))
        .expect(200);
      expect(replaced.body).toMatchObject({ opensAt: iso(DAY), reminderPlan: { afterDays: 2 } });
      // ...and its closesAt must still follow the opening date the draft keeps (or is given).
      const beforeOpening = await t
        .http()
        .patch(`/api/campaigns/${c.id}`)
        .set(admin())
        .send(campaignDefinition({ closesAt: iso(HOUR) }))
        .expect(400);
      expect(beforeOpening.body.errors).toEqual([
        { field: 'closesAt', message: 'closesAt must be after opensAt' },
      ]);
      await t
        .http()
        .patch(`/api/campaigns/${c.id}`)
        .set(admin())
        .send(campaignDefinition({ opensAt: iso(HOUR / 2), closesAt: iso(HOUR) }))
        .expect(200);
      await schedule(c.id, { opensAt: iso(DAY), closesAt: iso(6 * DAY) }).expect(200);

      await t.http().post(`/api/campaigns/${c.id}/launch`).set(admin()).expect(200);
      const opensLater = await schedule(c.id, { opensAt: iso(2 * DAY) }).expect(400);
      expect(opensLater.body.errors.map((e: Body) => e.field)).toEqual(['opensAt']);
      const closesPast = await schedule(c.id, { closesAt: iso(-HOUR) }).expect(400);
      expect(closesPast.body.errors.map((e: Body) => e.field)).toEqual(['closesAt']);
      const earlier = await schedule(c.id, { closesAt: iso(3 * DAY), reminderPlan: null }).expect(
        200,
      );
      expect(earlier.body).toMatchObject({ closesAt: iso(3 * DAY), reminderPlan: null });

      await t.http().post(`/api/campaigns/${c.id}/close`).set(admin()).expect(200);
      const closed = await schedule(c.id, { closesAt: iso(9 * DAY) }).expect(409);
      expect(closed.body.message).toBe('the campaign is closed; its schedule can no longer change');
    });
  });

  describe('automatic reminders', () => {
    it('sends due rounds once each, every afterDays, at most maxReminders', async () => {
      const c = await draftWithInvitees(3, { reminderPlan: { afterDays: 2, maxReminders: 2 } });
      await t.http().post(`/api/campaigns/${c.id}/launch`).set(admin()).expect(200);

      setClock(DAY);
      expect(await remindDue(DAY)).toBe(0);
      setClock(2 * DAY + 60_000);
      const both = await Promise.all([remindDue(2 * DAY + 60_000), remindDue(2 * DAY + 60_000)]);
      expect(both[0] + both[1]).toBe(1);
      expect(await mails(c.id, 'reminder')).toBe(3);
      expect(await remindDue(2 * DAY + 120_000)).toBe(0);

      setClock(3 * DAY);
      expect(await remindDue(3 * DAY)).toBe(0);
      setClock(4 * DAY + 120_000);
      expect(await remindDue(4 * DAY + 120_000)).toBe(1);
      expect(await mails(c.id, 'reminder')).toBe(6);

      setClock(20 * DAY);
      expect(await remindDue(20 * DAY)).toBe(0);
      expect(await mails(c.id, 'reminder')).toBe(6);
      // (API tokens expire; days later the app's own read API is asked.)
      expect((await t.app.get(CampaignsService).get(c.id)).autoReminders).toBe(2);
    });

    it('never sends a round within REMIND_INTERVAL_HOURS of a manual one', async () => {
      const c = await draftWithInvitees(2, { reminderPlan: { afterDays: 1, maxReminders: 3 } });
      await t.http().post(`/api/campaigns/${c.id}/launch`).set(admin()).expect(200);
      setClock(12 * HOUR);
      // A manual round (the Remind button's path) half a day after launch.
      expect(await t.app.get(RemindersService).queue(c.id)).toEqual({ queued: 2 });
      expect(await mails(c.id, 'reminder')).toBe(2);

      setClock(DAY + 60_000);
      expect(await remindDue(DAY + 60_000)).toBe(0);
      setClock(36 * HOUR + 60_000);
      expect(await remindDue(36 * HOUR + 60_000)).toBe(1);
      expect(await mails(c.id, 'reminder')).toBe(4);
    });

    it('sends nothing once the campaign is closed or past its closing date', async () => {
      const closed = await draftWithInvitees(1, {
        reminderPlan: { afterDays: 1, maxReminders: 3 },
      });
      await t.http().post(`/api/campaigns/${closed.id}/launch`).set(admin()).expect(200);
      await t.http().post(`/api/campaigns/${closed.id}/close`).set(admin()).expect(200);
      const expiring = await draftWithInvitees(1, {
        closesAt: iso(DAY + HOUR),
        reminderPlan: { afterDays: 2, maxReminders: 3 },
      });
      await t.http().post(`/api/campaigns/${expiring.id}/launch`).set(admin()).expect(200);
      setClock(3 * DAY);
      await remindDue(3 * DAY);
      expect(await mails(closed.id, 'reminder')).toBe(0);
      expect(await mails(expiring.id, 'reminder')).toBe(0);
    });
  });

  describe('pages', () => {
    const local = (ms: number) => iso(ms).slice(0, 16);

    it('edits the schedule on the campaign page: PRG, errors next to the fields with the input kept', async () => {
      const c = (await create(campaignDefinition()).expect(201)).body;
      const agent = await signIn(t);
      const page = await agent.get(`/admin/campaigns/${c.id}`).expect(200);
      expect(page.text).toContain(`href="/admin/campaigns/${c.id}/progress">Progress</a>`);
      expect(page.text).toContain(`href="/admin/campaigns/${c.id}/mail">E-mail texts</a>`);
      expect(page.text).toContain('No automatic reminders.');
      const csrf = csrfOf(page.text);

      const bad = await agent
        .post(`/admin/campaigns/${c.id}/schedule`)
        .type('form')
        .send({
          _csrf: csrf,
          opensAt: local(-HOUR),
          closesAt: 'soon',
          remind: 'on',
          afterDays: '0',
          maxReminders: '2',
        })
        .expect(400);
      expect(bad.text).toContain('The schedule was not saved. Please correct the following:');
      expect(bad.text).toContain('Enter the closing date as a date and time.');
      expect(bad.text).toContain('Enter a whole number of days from 1 to 90.');
      expect(bad.text).toContain(`value="${local(-HOUR)}"`);
      expect(bad.text).toContain('value="soon"');
      expect(bad.text).toMatch(/id="after-days"[^>]*value="0"[^>]*aria-invalid="true"/);
      expect((await get(c.id)).reminderPlan).toBeNull();

      const past = await agent
        .post(`/admin/campaigns/${c.id}/schedule`)
        .type('form')
        .send({
          _csrf: csrf,
          opensAt: local(-HOUR),
          closesAt: '',
          afterDays: '3',
          maxReminders: '2',
        })
        .expect(400);
      expect(past.text).toContain('The opening date must be in the future.');

      const saved = await agent
        .post(`/admin/campaigns/${c.id}/schedule`)
        .type('form')
        .send({
          _csrf: csrf,
          opensAt: local(DAY),
          closesAt: local(20 * DAY),
          remind: 'on',
          afterDays: '3',
          maxReminders: '2',
        })
        .expect(303);
      expect(saved.headers.location).toBe(`/admin/campaigns/${c.id}?done=scheduleSaved#schedule`);
      expect(await get(c.id)).toMatchObject({
        status: 'draft',
        opensAt: `${local(DAY)}:00.000Z`,
        closesAt: `${local(20 * DAY)}:00.000Z`,
        reminderPlan: { afterDays: 3, maxReminders: 2 },
      });
      const after = await agent.get(`/admin/campaigns/${c.id}?done=scheduleSaved`).expect(200);
      expect(after.text).toContain('The schedule was saved.');
      expect(after.text).toMatch(/class="badge scheduled">scheduled</);
      expect(after.text).toContain(
        'Reminders: 3 days after launch, then every 3 days, at most 2 — next on',
      );
    });

    it('offers Launch now or Schedule on the launch step', async () => {
      const c = await draftWithInvitees(2);
      const agent = await signIn(t);
      const confirm = await agent.get(`/admin/campaigns/${c.id}/confirm/launch`).expect(200);
      expect(confirm.text).toContain('2 e-mails will be sent');
      expect(confirm.text).toContain('>Launch now</button>');
      expect(confirm.text).toContain('>Schedule</button>');
      const csrf = csrfOf(confirm.text);
      const refused = await agent
        .post(`/admin/campaigns/${c.id}/launch`)
        .type('form')
        .send({ _csrf: csrf, when: 'schedule', opensAt: local(-DAY) })
        .expect(400);
      expect(refused.text).toContain('The opening date must be in the future.');
      expect(refused.text).toContain(`value="${local(-DAY)}"`);
      const ok = await agent
        .post(`/admin/campaigns/${c.id}/launch`)
        .type('form')
        .send({ _csrf: csrf, when: 'schedule', opensAt: local(2 * DAY) })
        .expect(303);
      expect(ok.headers.location).toBe(`/admin/campaigns/${c.id}?done=scheduled`);
      expect(await get(c.id)).toMatchObject({
        status: 'draft',
        opensAt: `${local(2 * DAY)}:00.000Z`,
      });
      const page = await agent.get(ok.headers.location).expect(200);
      expect(page.text).toContain('The campaign is scheduled: it opens by itself on');
    });

    it('renders the campaign page, its list and its launch step in Italian', async () => {
      const c = await draftWithInvitees(3, {
        opensAt: iso(DAY),
        reminderPlan: { afterDays: 3, maxReminders: 2 },
      });
      const agent = await signIn(t);
      const page = await agent.get(`/admin/campaigns/${c.id}?lang=it`).expect(200);
      expect(page.text).toContain('<html lang="it">');
      expect(page.text).toMatch(/class="badge scheduled">programmata</);
      expect(page.text).toContain('Programmazione e solleciti');
      expect(page.text).toContain(
        'Solleciti: 3 giorni dopo l’avvio, poi ogni 3 giorni, al massimo 2',
      );
      expect(page.text).toContain('>Avanzamento</a>');
      expect(page.text).toContain('>Testi delle e-mail</a>');
      expect(page.text).toContain('Tutti i contatti interni');
      for (const english of ['Invitations', 'Definition', 'Reminders:', 'Launch…', 'Schedule and'])
        expect(page.text).not.toContain(english);
      const list = await agent.get('/admin/campaigns?lang=it').expect(200);
      expect(list.text).toContain('Nuova campagna interna');
      expect(list.text).toContain('Tasso di risposta');
      const confirm = await agent
        .get(`/admin/campaigns/${c.id}/confirm/launch?lang=it`)
        .expect(200);
      expect(confirm.text).toContain('Verranno inviate 3 e-mail');
      expect(confirm.text).toContain('Avvia ora');
    });

    it('the Remind button says when the last round went, in the page language', async () => {
      const c = await draftWithInvitees(1);
      await t.http().post(`/api/campaigns/${c.id}/launch`).set(admin()).expect(200);
      const agent = await signIn(t);
      const page = await agent.get(`/admin/campaigns/${c.id}`).expect(200);
      const csrf = csrfOf(page.text);
      const first = await agent
        .post(`/admin/campaigns/${c.id}/reminders`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303);
      const done = await agent.get(first.headers.location).expect(200);
      expect(done.text).toContain('1 reminders queued.');
      expect(done.text).toMatch(/<td>[^<]+<\/td><td class="num">1<\/td>/);
      const second = await agent
        .post(`/admin/campaigns/${c.id}/reminders`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303);
      const refused = await agent.get(`${second.headers.location}&lang=it`).expect(200);
      expect(refused.text).toContain('L’ultimo giro di solleciti è partito il');
      expect(refused.text).toContain('al massimo un giro ogni 24 ore');
    });
  });
});
