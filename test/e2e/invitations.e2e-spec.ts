import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import request from 'supertest';
import { sha256 } from '../../src/common/crypto.js';
import { Db } from '../../src/database/db.js';
import { MailWorker } from '../../src/invitations/mail.worker.js';
import { ADMIN, bearer, createAnalyst, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { signIn } from '../helpers/auth.js';
import {
  insertCampaignWith,
  insertContactsWith,
  insertContactWith,
  insertUnitWith,
} from '../helpers/factories.js';
import { CampaignEntity } from '../../src/database/schema/campaign.entity.js';
import { ContactEntity } from '../../src/database/schema/contact.entity.js';
import { InvitationLinkEntity } from '../../src/database/schema/invitation-link.entity.js';
import { InvitationEntity } from '../../src/database/schema/invitation.entity.js';
import { OutboxEntity } from '../../src/database/schema/outbox.entity.js';

type Body = Record<string, any>;

const UNKNOWN_ID = '0b9d3a52-3f6e-4c1d-9a8e-6c2f1e4d7b90';
const ANALYST = { email: 'outbox-analyst@example.com', password: 'analyst password 1' };
const TOKEN_URL = /^http:\/\/survey\.test\/s\/([A-Za-z0-9_-]{43})$/;

const tokenOf = (url: string): string => TOKEN_URL.exec(url)![1];

/** Every text a table holds, as one string per row (to look for a raw token anywhere). */
async function allDatabaseText(db: Db): Promise<string> {
  const tables = db.isSqlite
    ? ((await db.manager.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)) as Array<{
        name: string;
      }>)
    : ((await db.manager.query(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
      )) as Array<{ name: string }>);
  const parts: string[] = [];
  for (const { name } of tables) {
    parts.push(JSON.stringify(await db.manager.query(`SELECT * FROM "${name}"`)));
  }
  return parts.join('\n');
}

describe.each(dbKinds())('invitations on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let analystToken: string;

  const invite = (campaignId: string, body: Body, token = t.adminToken) =>
    t.http().post(`/api/campaigns/${campaignId}/invitations`).set(bearer(token)).send(body);
  const remind = (campaignId: string, body: Body = {}, token = t.adminToken) =>
    t.http().post(`/api/campaigns/${campaignId}/reminders`).set(bearer(token)).send(body);
  const outboxOf = (campaignId: string) => db.manager.findBy(OutboxEntity, { campaignId });
  const invitationsOf = (campaignId: string) => db.manager.findBy(InvitationEntity, { campaignId });

  beforeAll(async () => {
    t = await startApp(kind);
    db = t.app.get(Db);
    analystToken = await createAnalyst(t, ANALYST);
  });
  afterAll(() => t.close());

  it('invites a unit with its whole subtree, only contacts of the campaign audience', async () => {
    const root = await insertUnitWith(db);
    const child = await insertUnitWith(db, { parentId: root });
    const grandchild = await insertUnitWith(db, { parentId: child });
    const sibling = await insertUnitWith(db, { parentId: root });
    const childCode = (await db.manager.query(`SELECT code FROM units WHERE id = '${child}'`))[0]
      .code;
    const inRoot = await insertContactWith(db, root);
    const inChild = await insertContactWith(db, child);
    const inGrandchild = await insertContactWith(db, grandchild);
    const inSibling = await insertContactWith(db, sibling);
    const externalInChild = await insertContactWith(db, child, { audience: 'external' });
    const campaign = await insertCampaignWith(db, { audience: 'internal', status: 'draft' });

    const res = await invite(campaign, { unitCodes: [childCode] }).expect(201);
    expect(res.body.created).toBe(2);
    expect(res.body.skipped).toEqual([]);
    const invited = (res.body.invitations as Body[]).map((i) => i.contactId).sort();
    expect(invited).toEqual([inChild, inGrandchild].sort());
    for (const i of res.body.invitations as Body[]) {
      expect(i.email).toBe(`${i.contactId}@example.com`);
      expect(i.url).toMatch(TOKEN_URL);
    }
    expect(invited).not.toContain(inRoot);
    expect(invited).not.toContain(inSibling);
    expect(invited).not.toContain(externalInChild);
  });

  it('invites every contact of the audience with all: true, combined with other selectors', async () => {
    const unit = await insertUnitWith(db);
    const externals = [
      await insertContactWith(db, unit, { audience: 'external' }),
      await insertContactWith(db, unit, { audience: 'external' }),
    ];
    const internal = await insertContactWith(db, unit, { audience: 'internal' });
    const campaign = await insertCampaignWith(db, { audience: 'external', status: 'draft' });
    const res = await invite(campaign, { all: true, contactIds: [externals[0], internal] }).expect(
      201,
    );
    const invited = (res.body.invitations as Body[]).map((i) => i.contactId);
    expect(invited).toEqual(expect.arrayContaining(externals));
    expect(new Set(invited).size).toBe(invited.length);
    expect(res.body.skipped).toEqual([{ contactId: internal, reason: 'wrong audience' }]);
    const rows = await invitationsOf(campaign);
    expect(rows).toHaveLength(res.body.created);
    const contacts = await db.manager.findBy(ContactEntity, { audience: 'internal' });
    const internalIds = new Set(contacts.map((c) => c.id));
    expect(rows.some((r) => internalIds.has(r.contactId))).toBe(false);
  });

  it('reports every skip reason with its exact text', async () => {
    const unit = await insertUnitWith(db);
    const ok = await insertContactWith(db, unit);
    const already = await insertContactWith(db, unit);
    const external = await insertContactWith(db, unit, { audience: 'external' });
    const erased = await insertContactWith(db, unit, { erased: true });
    const optedOut = await insertContactWith(db, unit, { optedOut: true });
    const campaign = await insertCampaignWith(db, { audience: 'internal', status: 'draft' });
    await invite(campaign, { contactIds: [already] }).expect(201);

    const res = await invite(campaign, {
      contactIds: [UNKNOWN_ID, external, erased, optedOut, already, ok],
    }).expect(201);
    expect(res.body.created).toBe(1);
    expect(res.body.invitations.map((i: Body) => i.contactId)).toEqual([ok]);
    expect(res.body.skipped).toEqual(
      expect.arrayContaining([
        { contactId: UNKNOWN_ID, reason: 'unknown contact' },
        { contactId: external, reason: 'wrong audience' },
        { contactId: erased, reason: 'erased' },
        { contactId: optedOut, reason: 'opted out' },
        { contactId: already, reason: 'already invited' },
      ]),
    );
    expect(res.body.skipped).toHaveLength(5);
    expect(await invitationsOf(campaign)).toHaveLength(2);
  });

  it('skips contacts invited to another campaign within FATIGUE_DAYS', async () => {
    const f = await startApp(kind, { FATIGUE_DAYS: '7' });
    try {
      const fdb = f.app.get(Db);
      const unit = await insertUnitWith(fdb);
      const recent = await insertContactWith(fdb, unit);
      const longAgo = await insertContactWith(fdb, unit);
      const first = await insertCampaignWith(fdb, { status: 'draft' });
      const second = await insertCampaignWith(fdb, { status: 'draft' });
      await f
        .http()
        .post(`/api/campaigns/${first}/invitations`)
        .set(bearer(f.adminToken))
        .send({ contactIds: [recent, longAgo] })
        .expect(201);
      const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString();
      await fdb.write((m) =>
        m.update(
          InvitationEntity,
          { campaignId: first, contactId: longAgo },
          { createdAt: tenDaysAgo },
        ),
      );
      const res = await f
        .http()
        .post(`/api/campaigns/${second}/invitations`)
        .set(bearer(f.adminToken))
        .send({ contactIds: [recent, longAgo] })
        .expect(201);
      expect(res.body.skipped).toEqual([
        { contactId: recent, reason: 'fatigue: invited to another campaign within 7 days' },
      ]);
      expect(res.body.invitations.map((i: Body) => i.contactId)).toEqual([longAgo]);
    } finally {
      await f.close();
    }
  });

  it('never invites a contact twice, even when requests race', async () => {
    const unit = await insertUnitWith(db);
    const contacts = await insertContactsWith(db, unit, 6);
    const campaign = await insertCampaignWith(db, { status: 'open' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => invite(campaign, { contactIds: contacts })),
    );
    for (const r of results) expect(r.status).toBe(201);
    const created = results.reduce((sum, r) => sum + (r.body.created as number), 0);
    expect(created).toBe(6);
    for (const r of results) {
      expect(r.body.created + r.body.skipped.length).toBe(6);
      for (const s of r.body.skipped) expect(s.reason).toBe('already invited');
    }
    expect(await invitationsOf(campaign)).toHaveLength(6);
    // One invitation mail each, no more.
    expect((await outboxOf(campaign)).filter((o) => o.kind === 'invitation')).toHaveLength(6);

    const again = await invite(campaign, { contactIds: contacts }).expect(201);
    expect(again.body.created).toBe(0);
    expect(again.body.skipped).toHaveLength(6);
    expect(await invitationsOf(campaign)).toHaveLength(6);
  });

  it('issues 43-character base64url tokens under PUBLIC_URL and stores only their SHA-256', async () => {
    const unit = await insertUnitWith(db);
    const contacts = await insertContactsWith(db, unit, 3);
    const campaign = await insertCampaignWith(db, { status: 'draft' });
    const res = await invite(campaign, { contactIds: contacts }).expect(201);
    const tokens = (res.body.invitations as Body[]).map((i) => tokenOf(i.url));
    expect(new Set(tokens).size).toBe(3);
    const links = await db.manager.find(InvitationLinkEntity, {});
    const hashes = new Set(links.map((l) => l.tokenHash));
    const everything = await allDatabaseText(db);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(hashes.has(sha256(token))).toBe(true);
      expect(everything).not.toContain(token);
    }
    if (kind === 'sqlite') {
      // The database files themselves (main file and write-ahead log) never saw the raw token.
      const file = t.config.sqlitePath;
      const names = readdirSync(dirname(file)).filter((n) => n.startsWith('test.sqlite'));
      const bytes = names
        .map((n) => readFileSync(`${dirname(file)}/${n}`).toString('latin1'))
        .join('');
      for (const token of tokens) expect(bytes).not.toContain(token);
    }
  });

  it('queues no mail for a draft; once the campaign opens the sweep queues exactly one each', async () => {
    const unit = await insertUnitWith(db);
    const contacts = await insertContactsWith(db, unit, 3, { language: 'it' });
    const campaign = await insertCampaignWith(db, {
      status: 'draft',
      languages: 'en,it',
      name: 'Servizio interno',
    });
    const res = await invite(campaign, { contactIds: contacts }).expect(201);
    const worker = t.app.get(MailWorker);
    await worker.runOnce();
    await worker.runOnce();
    expect(await outboxOf(campaign)).toHaveLength(0);

    await db.write((m) => m.update(CampaignEntity, { id: campaign }, { status: 'open' }));
    await worker.runOnce();
    await worker.runOnce();
    const mails = await outboxOf(campaign);
    expect(mails).toHaveLength(3);
    expect(new Set(mails.map((m) => m.contactId))).toEqual(new Set(contacts));
    for (const mail of mails) {
      expect(mail.kind).toBe('invitation');
      expect(mail.status).toBe('queued');
      expect(mail.subject).toBe('Servizio interno');
      expect(mail.bodyText).toMatch(/http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{43}/);
      expect(mail.bodyText).toContain('Gentile Test Contact,');
    }
    // A fresh link for the mail: the token shown in the API response is not the one mailed.
    const shown = (res.body.invitations as Body[]).map((i) => tokenOf(i.url));
    for (const mail of mails) for (const token of shown) expect(mail.bodyText).not.toContain(token);
    const invitationIds = (await invitationsOf(campaign)).map((i) => i.id);
    for (const id of invitationIds) {
      expect(await db.manager.countBy(InvitationLinkEntity, { invitationId: id })).toBe(2);
    }
    await worker.runOnce();
    expect(await outboxOf(campaign)).toHaveLength(3);
  });

  it('queues reminders only to invitees who have not answered and may be mailed', async () => {
    const unit = await insertUnitWith(db);
    const [answered, bounced, optedOut, waiting] = await insertContactsWith(db, unit, 4);
    const campaign = await insertCampaignWith(db, { status: 'open' });
    await invite(campaign, { contactIds: [answered, bounced, optedOut, waiting] }).expect(201);
    await db.write(async (m) => {
      await m.update(
        InvitationEntity,
        { campaignId: campaign, contactId: answered },
        { answered: true, status: 'answered' },
      );
      await m.update(
        InvitationEntity,
        { campaignId: campaign, contactId: bounced },
        { status: 'bounced' },
      );
      await m.update(ContactEntity, { id: optedOut }, { optedOut: true });
    });

    const res = await remind(campaign).expect(201);
    expect(res.body).toEqual({ queued: 1 });
    const reminders = (await outboxOf(campaign)).filter((o) => o.kind === 'reminder');
    expect(reminders.map((r) => r.contactId)).toEqual([waiting]);
    expect(reminders[0].subject).toMatch(/^Reminder: /);
    const invitation = (await db.manager.findOneBy(InvitationEntity, {
      campaignId: campaign,
      contactId: waiting,
    }))!;
    expect(invitation.reminders).toBe(1);
    expect(invitation.remindedAt).not.toBeNull();
    // The reminder replaces the first mail that was still waiting in the outbox.
    const first = (await outboxOf(campaign)).find(
      (o) => o.kind === 'invitation' && o.contactId === waiting,
    )!;
    expect(first.status).toBe('cancelled');
    expect(first.bodyText).toBeNull();
    expect(await db.manager.countBy(InvitationLinkEntity, { invitationId: invitation.id })).toBe(2);

    // Nobody was mailed more than an hour ago: nothing to do with minHoursSinceLastMail = 1.
    expect((await remind(campaign, { minHoursSinceLastMail: 1 }).expect(201)).body).toEqual({
      queued: 0,
    });
    expect((await remind(campaign, { minHoursSinceLastMail: 0 }).expect(201)).body).toEqual({
      queued: 1,
    });
    await remind(campaign, { minHoursSinceLastMail: -1 }).expect(400);
    await remind(campaign, { minHoursSinceLastMail: 'soon' }).expect(400);
    await remind(campaign, { extra: true }).expect(400);
  });

  it('refuses reminders unless the campaign is open, and unknown campaigns', async () => {
    const draft = await insertCampaignWith(db, { status: 'draft' });
    const closed = await insertCampaignWith(db, { status: 'closed' });
    expect((await remind(draft).expect(409)).body.statusCode).toBe(409);
    await remind(closed).expect(409);
    await remind(UNKNOWN_ID).expect(404);
    await remind('not-a-uuid').expect(404);
  });

  it('answers 404 for an unknown campaign, 409 for a closed one, 400 for bad selections', async () => {
    const unit = await insertUnitWith(db);
    const contact = await insertContactWith(db, unit);
    await invite(UNKNOWN_ID, { contactIds: [contact] }).expect(404);
    await invite('%00', { contactIds: [contact] }).expect(404);
    const closed = await insertCampaignWith(db, { status: 'closed' });
    await invite(closed, { contactIds: [contact] }).expect(409);
    const campaign = await insertCampaignWith(db, { status: 'draft' });
    const none = await invite(campaign, {}).expect(400);
    expect(none.body.message).toMatch(/contactIds, unitCodes or all/);
    await invite(campaign, { all: false }).expect(400);
    await invite(campaign, { contactIds: ['not-a-uuid'] }).expect(400);
    await invite(campaign, { contactIds: contact }).expect(400);
    await invite(campaign, { unitCodes: ['a\u0000b'] }).expect(400);
    await invite(campaign, { unitCodes: Array.from({ length: 1001 }, (_, i) => `u${i}`) }).expect(
      400,
    );
    await invite(campaign, { all: 'yes' }).expect(400);
    await invite(campaign, { all: true, extra: 1 }).expect(400);
    const unknownUnit = await invite(campaign, { unitCodes: ['NO-SUCH-UNIT'] }).expect(400);
    expect(unknownUnit.body.errors).toEqual([
      { field: 'unitCodes', message: 'unknown unit code: NO-SUCH-UNIT' },
    ]);
    expect(await invitationsOf(campaign)).toHaveLength(0);
  });

  it('lists the outbox without ever returning a message body', async () => {
    const unit = await insertUnitWith(db);
    const contacts = await insertContactsWith(db, unit, 3);
    const campaign = await insertCampaignWith(db, { status: 'open', name: 'Outbox listing' });
    const created = await invite(campaign, { contactIds: contacts }).expect(201);
    const res = await t
      .http()
      .get(`/api/outbox?campaignId=${campaign}`)
      .set(bearer(t.adminToken))
      .expect(200);
    expect(res.body.total).toBe(3);
    for (const item of res.body.items as Body[]) {
      expect(Object.keys(item).sort()).toEqual(
        [
          'attempts',
          'campaignId',
          'createdAt',
          'id',
          'kind',
          'lastError',
          'sentAt',
          'status',
          'subject',
          'to',
        ].sort(),
      );
      expect(item).toMatchObject({
        subject: 'Outbox listing',
        status: 'queued',
        kind: 'invitation',
        attempts: 0,
        campaignId: campaign,
      });
    }
    for (const i of created.body.invitations as Body[])
      expect(res.text).not.toContain(tokenOf(i.url));
    expect(res.text).not.toMatch(/body/i);

    const paged = await t
      .http()
      .get(`/api/outbox?campaignId=${campaign}&pageSize=2&page=2`)
      .set(bearer(t.adminToken))
      .expect(200);
    expect(paged.body.total).toBe(3);
    expect(paged.body.items).toHaveLength(1);
    const sent = await t
      .http()
      .get(`/api/outbox?campaignId=${campaign}&status=sent`)
      .set(bearer(t.adminToken))
      .expect(200);
    expect(paged.body).toMatchObject({ page: 2, pageSize: 2, pages: 2 });
    expect(sent.body).toEqual({
      items: [],
      total: 0,
      page: 1,
      pageSize: 50,
      pages: 1,
      reminderRounds: [],
    });
    await t.http().get('/api/outbox?status=lost').set(bearer(t.adminToken)).expect(400);
    await t
      .http()
      .get('/api/outbox?campaignId=1%27%20OR%201=1')
      .set(bearer(t.adminToken))
      .expect(400);
    await t.http().get('/api/outbox?pageSize=1000').set(bearer(t.adminToken)).expect(400);
    await t.http().get('/api/outbox?page=0').set(bearer(t.adminToken)).expect(400);
  });

  it('documents its endpoints in the OpenAPI description', async () => {
    // The document is for signed-in callers only (issue 8).
    const doc = (await t.http().get('/api/docs/openapi.json').set(bearer(t.adminToken)).expect(200))
      .body;
    for (const path of [
      '/api/campaigns/{id}/invitations',
      '/api/campaigns/{id}/reminders',
      '/api/outbox',
      '/api/outbox/{id}/retry',
      '/api/unsubscribe/{token}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(JSON.stringify(doc.components.schemas.SkippedView)).toContain(
      'fatigue: invited to another campaign',
    );
  });

  it('refuses analysts and anonymous callers', async () => {
    const campaign = await insertCampaignWith(db, { status: 'open' });
    await invite(campaign, { all: true }, analystToken).expect(403);
    await remind(campaign, {}, analystToken).expect(403);
    await t.http().get('/api/outbox').set(bearer(analystToken)).expect(403);
    await t.http().get('/api/outbox').expect(401);
    await t.http().post(`/api/campaigns/${campaign}/invitations`).send({ all: true }).expect(401);
    expect(await invitationsOf(campaign)).toHaveLength(0);
  });

  it('shows the outbox page to admins, with queued message texts while no SMTP server is set', async () => {
    const unit = await insertUnitWith(db);
    const contact = await insertContactWith(db, unit, { name: '<script>alert(1)</script>' });
    const campaign = await insertCampaignWith(db, { status: 'open', name: 'Page <b>check</b>' });
    await invite(campaign, { contactIds: [contact] }).expect(201);

    const agent = request.agent(t.app.getHttpServer());
    await agent.get('/admin/outbox').expect(303);
    await signIn(t, ADMIN, agent);
    const page = await agent.get(`/admin/outbox?campaignId=${campaign}`).expect(200);
    expect(page.text).toContain('No SMTP server is configured');
    expect(page.text).toContain('Page &lt;b&gt;check&lt;/b&gt;');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).toMatch(/href="http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{43}"/);
    await agent.get('/admin/outbox?status=sent&campaignId=').expect(200);
    await agent.get('/admin/outbox?status=bogus').expect(400);

    const analyst = await signIn(t, ANALYST);
    await analyst.get('/admin/outbox').expect(403);
  });
});
