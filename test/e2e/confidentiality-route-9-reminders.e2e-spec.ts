/**
 * Issue 7, route 9 (SECURITY.md E9): on an anonymous campaign nothing an admin can read tells who
 * answered between two reminder rounds. Reminders appear only as counts per round; invitation mails
 * (everyone invited gets one) stay listed, and every page treats all invitees alike.
 */
import { Db } from '../../src/database/db.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, signIn } from '../helpers/auth.js';
import { insertContactsWith } from '../helpers/factories.js';
import { SmtpPeer, waitFor } from '../helpers/smtp-peer.js';
import { seedSurvey, VALID_ANSWERS } from '../helpers/survey-fixtures.js';
import { OutboxEntity } from '../../src/database/schema/outbox.entity.js';

type Body = Record<string, any>;

const emailOf = (contactId: string) => `${contactId}@example.com`;
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe.each(dbKinds())('confidentiality route 9 (reminders) on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let peer: SmtpPeer;
  let agent: Agent;

  beforeAll(async () => {
    peer = await SmtpPeer.start();
    t = await startApp(kind, { SMTP_URL: peer.url });
    db = t.app.get(Db);
    agent = await signIn(t);
  });
  afterAll(async () => {
    await t.close();
    await peer.close();
  });

  const api = (path: string) => t.http().get(path).set(bearer(t.adminToken)).expect(200);
  const page = (path: string) => agent.get(path).expect(200);
  const remind = async (campaignId: string, body: Body = {}) =>
    (
      await t
        .http()
        .post(`/api/campaigns/${campaignId}/reminders`)
        .set(bearer(t.adminToken))
        .send(body)
        .expect(201)
    ).body as Body;
  const allSent = (campaignId: string, n: number) =>
    waitFor(
      async () =>
        (await db.manager.countBy(OutboxEntity, { campaignId, status: 'sent' })) === n || null,
      15_000,
      `${n} mails sent`,
    );

  /** Every API answer and admin page that could tell something about the invitees. */
  async function readEverything(campaignId: string): Promise<Map<string, string>> {
    const reads = new Map<string, string>();
    for (const path of [
      `/api/outbox?campaignId=${campaignId}`,
      `/api/outbox?campaignId=${campaignId}&status=sent`,
      `/api/outbox?campaignId=${campaignId}&status=queued`,
      `/api/outbox?campaignId=${campaignId}&status=cancelled`,
      `/api/outbox?campaignId=${campaignId}&status=failed`,
      '/api/outbox?pageSize=200',
      `/api/campaigns/${campaignId}`,
      '/api/campaigns',
      '/api/contacts',
    ])
      reads.set(path, (await api(path)).text);
    for (const path of [
      `/admin/outbox?campaignId=${campaignId}`,
      `/admin/outbox?campaignId=${campaignId}&status=sent`,
      '/admin/outbox',
      `/admin/campaigns/${campaignId}`,
      '/admin/campaigns',
      '/admin/contacts',
      '/admin',
    ])
      reads.set(path, (await page(path)).text);
    return reads;
  }

  /** No read names a reminder's recipient or an answered flag, and every invitee reads alike. */
  function expectNobodySingledOut(reads: Map<string, string>, contacts: string[]) {
    for (const [path, text] of reads) {
      const seen = contacts.map((c) => occurrences(text, emailOf(c)));
      expect({ path, seen: new Set(seen).size }).toEqual({ path, seen: 1 });
      expect({ path, answered: /"answered"|"reminders"|remindedAt|answeredAt/.test(text) }).toEqual(
        { path, answered: false },
      );
      if (path.startsWith('/api/outbox')) {
        const items = (JSON.parse(text) as Body).items as Body[];
        expect(items.filter((i) => i.kind === 'reminder' && i.to.endsWith('@example.com'))).toEqual(
          [],
        );
      }
    }
  }

  it('shows reminder rounds only as counts: nobody can tell who answered in between', async () => {
    const s = await seedSurvey(t, { invitees: 0, anonymous: true, name: 'Route nine' });
    const contacts = await insertContactsWith(db, s.unitId, 8);
    const invited = await t
      .http()
      .post(`/api/campaigns/${s.campaignId}/invitations`)
      .set(bearer(t.adminToken))
      .send({ contactIds: contacts })
      .expect(201);
    expect(invited.body.created).toBe(8);
    await allSent(s.campaignId, 8);

    // Round 1 goes to all eight.
    expect(await remind(s.campaignId)).toEqual({ queued: 8 });
    await allSent(s.campaignId, 16);
    const before = await readEverything(s.campaignId);
    expectNobodySingledOut(before, contacts);

    // One colleague answers with the invitation's link.
    const answerer = contacts[3];
    const url = (invited.body.invitations as Body[]).find((i) => i.contactId === answerer)!
      .url as string;
    const token = url.split('/s/')[1];
    await t.http().post(`/api/s/${token}`).send({ answers: VALID_ANSWERS }).expect(201);

    // Round 2 goes to the seven others; a too-early round with a window is held back as a whole.
    expect(await remind(s.campaignId, { minHoursSinceLastMail: 1 })).toEqual({ queued: 0 });
    expect(await remind(s.campaignId)).toEqual({ queued: 7 });
    await allSent(s.campaignId, 23);
    const after = await readEverything(s.campaignId);
    expectNobodySingledOut(after, contacts);

    // The counts are there: per round, in the API and on the outbox page.
    const listed = JSON.parse(after.get(`/api/outbox?campaignId=${s.campaignId}`)!) as Body;
    expect(listed.total).toBe(8);
    expect((listed.items as Body[]).every((i) => i.kind === 'invitation')).toBe(true);
    expect(
      (listed.reminderRounds as Body[]).map(
        ({ round, total, sent, failed, queued, cancelled }) => ({
          round,
          total,
          sent,
          failed,
          queued,
          cancelled,
        }),
      ),
    ).toEqual([
      { round: 1, total: 8, sent: 8, failed: 0, queued: 0, cancelled: 0 },
      { round: 2, total: 7, sent: 7, failed: 0, queued: 0, cancelled: 0 },
    ]);
    const outboxPage = after.get(`/admin/outbox?campaignId=${s.campaignId}`)!;
    expect(outboxPage).toContain('Reminder rounds of anonymous campaigns');
    expect(outboxPage).not.toMatch(/<td>reminder<\/td>/);
    expect(outboxPage).not.toContain('Reminder: Route nine');
    expect(after.get(`/admin/campaigns/${s.campaignId}`)).toContain(
      'reminders are only counted per round',
    );
    // Even the whole-installation listing holds no reminder of the anonymous campaign.
    const everything = JSON.parse(after.get('/api/outbox?pageSize=200')!) as Body;
    expect((everything.items as Body[]).some((i) => i.kind === 'reminder')).toBe(false);
  });

  it('cancels every waiting invitation mail of an anonymous campaign, answered or not', async () => {
    const offline = await startApp(kind);
    try {
      const odb = offline.app.get(Db);
      const s = await seedSurvey(offline, { invitees: 0, anonymous: true });
      const contacts = await insertContactsWith(odb, s.unitId, 6);
      const invited = await offline
        .http()
        .post(`/api/campaigns/${s.campaignId}/invitations`)
        .set(bearer(offline.adminToken))
        .send({ contactIds: contacts })
        .expect(201);
      const url = (invited.body.invitations as Body[])[0].url as string;
      await offline
        .http()
        .post(`/api/s/${url.split('/s/')[1]}`)
        .send({ answers: VALID_ANSWERS })
        .expect(201);
      const round = await offline
        .http()
        .post(`/api/campaigns/${s.campaignId}/reminders`)
        .set(bearer(offline.adminToken))
        .send({})
        .expect(201);
      expect(round.body).toEqual({ queued: 5 });
      const listed = await offline
        .http()
        .get(`/api/outbox?campaignId=${s.campaignId}`)
        .set(bearer(offline.adminToken))
        .expect(200);
      const items = listed.body.items as Body[];
      expect(items).toHaveLength(6);
      expect(new Set(items.map((i) => `${i.status} ${i.lastError}`))).toEqual(
        new Set(['cancelled replaced by a reminder']),
      );
      const adminPage = await (
        await signIn(offline)
      )
        .get(`/admin/outbox?campaignId=${s.campaignId}`)
        .expect(200);
      expect(adminPage.text).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
    } finally {
      await offline.close();
    }
  });

  it('keeps listing reminders of campaigns that are not anonymous', async () => {
    const s = await seedSurvey(t, { invitees: 0, anonymous: false, audience: 'external' });
    const contacts = await insertContactsWith(db, s.unitId, 2, { audience: 'external' });
    await t
      .http()
      .post(`/api/campaigns/${s.campaignId}/invitations`)
      .set(bearer(t.adminToken))
      .send({ contactIds: contacts })
      .expect(201);
    expect(await remind(s.campaignId)).toEqual({ queued: 2 });
    const listed = (await api(`/api/outbox?campaignId=${s.campaignId}`)).body as Body;
    expect((listed.items as Body[]).filter((i) => i.kind === 'reminder')).toHaveLength(2);
    expect(listed.reminderRounds).toEqual([]);
  });
});
