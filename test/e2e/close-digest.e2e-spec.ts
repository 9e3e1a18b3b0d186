/**
 * Issue 9, the close digest: chosen leaders get one short e-mail in their language when a campaign
 * closes (by hand or at closesAt), with the headline, its change since the previous wave and a
 * link to the report — through the outbox and a real SMTP peer; exactly once; nothing to a user
 * who lost access; never an internal figure the report would not show.
 */
import { Db } from '../../src/database/db.js';
import { CampaignCloseWorker } from '../../src/campaigns/campaign-close.worker.js';
import { DigestWorker } from '../../src/digest/digest.worker.js';
import { OutboxEntity } from '../../src/database/schema/outbox.entity.js';
import { CampaignEntity } from '../../src/database/schema/campaign.entity.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { csrfOf, signIn } from '../helpers/auth.js';
import {
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
} from '../helpers/factories.js';
import { readMail, SmtpPeer, waitFor } from '../helpers/smtp-peer.js';

const K = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(dbKinds())('close digest on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let peer: SmtpPeer;
  const users: Record<string, { id: string; email: string }> = {};
  const admin = () => ({ ...bearer(t.adminToken) });
  const setRecipients = (id: string, ids: unknown) =>
    t
      .http()
      .patch(`/api/campaigns/${id}/digest-recipients`)
      .set(admin())
      .send({ digestRecipients: ids });
  const textOf = (address: string) => readMail(peer.to(address)[0].raw);

  beforeAll(async () => {
    peer = await SmtpPeer.start();
    t = await startApp(kind, {
      SMTP_URL: peer.url,
      MIN_GROUP_SIZE: String(K),
      // The sweeps run when the tests say so.
      CLOSE_SWEEP_MS: '3600000',
    });
    db = t.app.get(Db);
    for (const [name, lang] of [
      ['leader-en', 'en'],
      ['leader-it', 'it'],
      ['leaver', 'en'],
    ] as const) {
      const who = { email: `${name}@example.com`, password: 'leader password 1' };
      const res = await t
        .http()
        .post('/api/users')
        .set(admin())
        .send({ ...who, role: 'analyst' })
        .expect(201);
      users[name] = { id: res.body.id as string, email: who.email };
      const token = (await t.http().post('/api/auth/token').send(who).expect(201)).body.accessToken;
      await t.http().patch('/api/account').set(bearer(token)).send({ language: lang }).expect(200);
    }
  });
  afterAll(async () => {
    await t.close();
    await peer.close();
  });

  describe('external series closed by hand', () => {
    let q1: string;
    let q2: string;

    beforeAll(async () => {
      const unit = await insertUnitWith(db, { code: 'DG-A' });
      const make = (wave: string, status: 'open' | 'closed') =>
        insertReportCampaign(db, {
          audience: 'external',
          name: `Buyers ${wave}`,
          wave,
          status,
          headline: 'sat',
          questions: [{ key: 'sat', type: 'csat' }],
        });
      q1 = await make('2026-Q1', 'closed');
      q2 = await make('2026-Q2', 'open');
      const answers = (values: number[]) =>
        values.map((sat) => ({ unitId: unit, answers: { sat } }));
      await insertReportResponses(db, q1, answers([2, 3, 3, 2, 3, 4, 2, 3, 3, 2]));
      await insertReportResponses(db, q2, answers([4, 5, 5, 4, 5, 4, 5, 5, 4, 5]));
    });

    it('takes recipients with report access only, and shows them in the campaigns API', async () => {
      const bad = await setRecipients(q2, [users['leader-en'].id, 'nobody']).expect(400);
      expect(bad.body.errors).toEqual([
        { field: 'digestRecipients[1]', message: expect.stringContaining('report access') },
      ]);
      await setRecipients(q2, 'not a list').expect(400);
      const ids = [users['leader-en'].id, users['leader-it'].id, users.leaver.id];
      const ok = await setRecipients(q2, ids).expect(200);
      expect(ok.body.digestRecipients).toEqual(ids);
      expect(ok.body.digestSentAt).toBeNull();
      // Nothing is sent while the campaign is open.
      expect(await t.app.get(DigestWorker).sendDue()).toBe(0);
    });

    it('mails each recipient once, in their language, when the campaign closes; a disabled one gets nothing', async () => {
      await t
        .http()
        .patch(`/api/users/${users.leaver.id}`)
        .set(admin())
        .send({ disabled: true })
        .expect(200);
      await t.http().post(`/api/campaigns/${q2}/close`).set(admin()).expect(200);
      expect(await t.app.get(DigestWorker).sendDue()).toBe(1);
      await waitFor(
        () =>
          peer.count(users['leader-en'].email) === 1 && peer.count(users['leader-it'].email) === 1,
        10_000,
        'the two digests',
      );
      const en = textOf(users['leader-en'].email);
      expect(en.headers).toMatch(/^Subject: Results of Buyers 2026-Q2 are ready$/m);
      expect(en.text).toContain('Buyers 2026-Q2 (wave 2026-Q2) has closed: 10 responses');
      expect(en.text).toContain('Mean: 4.60 (n = 10)');
      expect(en.text).toContain('Change since the previous wave (2026-Q1):');
      expect(en.text).toMatch(
        /Mean: 2\.70 → 4\.60, change \+1\.90 \(95% interval \+1\.\d\d to \+2\.\d\d\)\. A real change/,
      );
      expect(en.text).toContain(`http://survey.test/reports/campaigns/${q2}?lang=en`);
      const it = textOf(users['leader-it'].email);
      expect(it.text).toContain('Variazione rispetto alla rilevazione precedente (2026-Q1):');
      expect(it.text).toContain('Media: 4,60 (n = 10)');
      expect(it.text).toContain(`http://survey.test/reports/campaigns/${q2}?lang=it`);
      expect(it.text).not.toContain('Mean');

      // A second sweep sends nothing; the disabled recipient never got a message.
      expect(await t.app.get(DigestWorker).sendDue()).toBe(0);
      await sleep(600);
      expect(peer.count(users['leader-en'].email)).toBe(1);
      expect(peer.count(users['leader-it'].email)).toBe(1);
      expect(peer.count(users.leaver.email)).toBe(0);
      const rows = await db.manager.findBy(OutboxEntity, { campaignId: q2, kind: 'digest' });
      expect(rows.map((r) => r.toAddress).sort()).toEqual([
        users['leader-en'].email,
        users['leader-it'].email,
      ]);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      const json = (await t.http().get(`/api/campaigns/${q2}`).set(admin()).expect(200)).body;
      expect(json.digestSentAt).toEqual(expect.any(String));
      // Closed: the recipients can no longer change.
      await setRecipients(q2, []).expect(409);
      expect(q1).toBeDefined();
    });
  });

  it('sends the digest of a campaign closed by the close sweep, with no internal figure below k', async () => {
    await t
      .http()
      .patch(`/api/users/${users.leaver.id}`)
      .set(admin())
      .send({ disabled: false })
      .expect(200);
    const unit = await insertUnitWith(db, { code: 'DG-I' });
    const id = await insertReportCampaign(db, {
      audience: 'internal',
      name: 'Pulse 2026-Q3',
      wave: '2026-Q3',
      status: 'open',
      headline: 'sat',
      questions: [{ key: 'sat', type: 'csat' }],
    });
    // k − 1 answers: the report shows no headline figure, so the digest must not either.
    await insertReportResponses(
      db,
      id,
      [5, 1, 4, 2].map((sat) => ({ unitId: unit, answers: { sat } })),
    );
    await setRecipients(id, [users['leader-en'].id]).expect(200);
    await db.write((m) =>
      m.update(CampaignEntity, { id }, { closesAt: new Date(Date.now() - 60_000).toISOString() }),
    );
    expect(await t.app.get(DigestWorker).sendDue()).toBe(0);
    expect((await t.app.get(CampaignCloseWorker).sweep()).closed).toBe(1);
    const report = (await t.http().get(`/api/campaigns/${id}/report`).set(admin()).expect(200))
      .body;
    expect(report.questions[0].suppressed).toBe(true);
    expect(await t.app.get(DigestWorker).sendDue()).toBe(1);
    const mail = await waitFor(
      () => peer.to(users['leader-en'].email).find((m) => m.raw.includes('Pulse 2026-Q3')),
      10_000,
      'the digest of the swept campaign',
    );
    const { text } = readMail(mail.raw);
    expect(text).toContain('The headline result is not shown');
    expect(text).toContain('This is the first wave of its series');
    expect(text).not.toMatch(/Mean: \d/);
    expect(text).not.toContain('3.00');
  });

  it('has the recipients on the campaign page, in English and Italian', async () => {
    const unit = await insertUnitWith(db, { code: 'DG-P' });
    const id = await insertReportCampaign(db, {
      audience: 'external',
      name: 'Page 2026-Q1',
      status: 'open',
      questions: [{ key: 'sat', type: 'csat' }],
    });
    expect(unit).toBeDefined();
    const agent = await signIn(t);
    const page = (await agent.get(`/admin/campaigns/${id}`).expect(200)).text;
    expect(page).toContain('Digest after close');
    expect(page).toContain(users['leader-it'].email);
    const res = await agent
      .post(`/admin/campaigns/${id}/digest`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrfOf(page))}&recipients=${users['leader-it'].id}`)
      .expect(303);
    expect(res.headers.location).toContain('done=digestSaved');
    const json = (await t.http().get(`/api/campaigns/${id}`).set(admin()).expect(200)).body;
    expect(json.digestRecipients).toEqual([users['leader-it'].id]);
    const it = (await agent.get(`/admin/campaigns/${id}?lang=it`).expect(200)).text;
    expect(it).toContain('Riepilogo alla chiusura');
  });
});
