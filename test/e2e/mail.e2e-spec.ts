import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/app-config.js';
import { Db } from '../../src/database/db.js';
import { runMigrations } from '../../src/database/migrate.js';
import { MailSender } from '../../src/invitations/mail-sender.service.js';
import { MailWorker } from '../../src/invitations/mail.worker.js';
import {
  ADMIN,
  bearer,
  dbKinds,
  freshDatabase,
  startApp,
  type DbKind,
  type TestApp,
} from '../helpers/app.js';
import { csrfOf, signIn } from '../helpers/auth.js';
import {
  insertCampaignWith,
  insertContactsWith,
  insertContactWith,
  insertUnitWith,
  openCampaignWithContacts,
} from '../helpers/factories.js';
import { deadPort, readMail, SmtpPeer, waitFor } from '../helpers/smtp-peer.js';
import { CampaignEntity } from '../../src/database/schema/campaign.entity.js';
import { ContactEntity } from '../../src/database/schema/contact.entity.js';
import { InvitationEntity } from '../../src/database/schema/invitation.entity.js';
import { OutboxEntity } from '../../src/database/schema/outbox.entity.js';

type Body = Record<string, any>;

const TOKEN_URL = /^http:\/\/survey\.test\/s\/([A-Za-z0-9_-]{43})$/;
const tokenOf = (url: string): string => TOKEN_URL.exec(url)![1];

/** One app instance on an existing database (for restarts and several instances). */
interface Instance {
  app: NestFastifyApplication;
  db: Db;
  http: () => ReturnType<typeof request>;
  token: string;
}

async function launch(databaseUrl: string, env: Record<string, string>): Promise<Instance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    PUBLIC_URL: 'http://survey.test',
    LOG_LEVEL: 'error',
    MAIL_POLL_MS: '100',
    ...env,
  });
  await runMigrations(config);
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = () => request(app.getHttpServer());
  const token = (await http().post('/api/auth/token').send(ADMIN).expect(201)).body
    .accessToken as string;
  return { app, db: app.get(Db), http, token };
}

const emailOf = (contactId: string) => `${contactId}@example.com`;

describe.each(dbKinds())('mail delivery on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let peer: SmtpPeer;

  const invite = (campaignId: string, body: Body) =>
    t
      .http()
      .post(`/api/campaigns/${campaignId}/invitations`)
      .set(bearer(t.adminToken))
      .send(body)
      .expect(201);
  const outboxFor = (contactId: string) => db.manager.findBy(OutboxEntity, { contactId });

  beforeAll(async () => {
    peer = await SmtpPeer.start();
    t = await startApp(kind, { SMTP_URL: peer.url, MAIL_MAX_ATTEMPTS: '2' });
    db = t.app.get(Db);
  });
  afterAll(async () => {
    await t.close();
    await peer.close();
  });

  it('sends the invitation with its link and one-click unsubscribe headers, then purges the body', async () => {
    const unit = await insertUnitWith(db);
    const contact = await insertContactWith(db, unit, { language: 'it', name: 'Giulia Rossi' });
    const campaign = await insertCampaignWith(db, {
      status: 'open',
      languages: 'en,it',
      anonymous: true,
      name: 'Servizi interni 2026',
      closesAt: '2099-03-31T23:59:59.000Z',
    });
    const res = await invite(campaign, { contactIds: [contact] });
    const token = tokenOf(res.body.invitations[0].url);

    const mail = await waitFor(() => peer.to(emailOf(contact))[0], 10_000, 'the invitation mail');
    const { headers, text } = readMail(mail.raw);
    // The opt-out link has its own token (issue 10), never the survey token.
    const optOut = /http:\/\/survey\.test\/unsubscribe\/([A-Za-z0-9_-]{43})/.exec(text)![1];
    expect(optOut).not.toBe(token);
    expect(headers).toContain(`List-Unsubscribe: <http://survey.test/api/unsubscribe/${optOut}>`);
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(headers).toMatch(/^Subject: Servizi interni 2026$/m);
    expect(headers).toMatch(/^From: Specchio <no-reply@specchio\.local>$/m);
    expect(headers).toMatch(/^To: [0-9a-f-]+@example\.com$/m);
    expect(headers).toContain('multipart/alternative');
    expect(text).toContain(`http://survey.test/s/${token}`);
    expect(text).toContain(`http://survey.test/unsubscribe/${optOut}`);
    expect(text).not.toContain(`/unsubscribe/${token}`);
    expect(text).toContain(`href="http://survey.test/s/${token}"`);
    expect(text).toContain('Gentile Giulia Rossi,');
    expect(text).toContain('Le risposte sono anonime');
    expect(text).toContain('31 marzo 2099');

    const [row] = await waitFor(async () => {
      const rows = await outboxFor(contact);
      return rows[0]?.status === 'sent' ? rows : null;
    });
    expect(row.sentAt).not.toBeNull();
    expect(row.bodyText).toBeNull();
    expect(row.bodyHtml).toBeNull();
    expect(row.attempts).toBe(1);
    const invitation = (await db.manager.findOneBy(InvitationEntity, {
      campaignId: campaign,
      contactId: contact,
    }))!;
    expect(invitation.status).toBe('sent');
    expect(invitation.sentAt).not.toBeNull();
    // The raw token is gone from every table now that the message is out.
    for (const table of ['outbox', 'invitation_links', 'invitations']) {
      expect(JSON.stringify(await db.manager.query(`SELECT * FROM ${table}`))).not.toContain(token);
    }
    expect(peer.count(emailOf(contact))).toBe(1);
  });

  it('retries after a temporary 451 and then delivers', async () => {
    const { campaign, contacts } = await openCampaignWithContacts(db, 1);
    const address = emailOf(contacts[0]);
    peer.answer = (a, attempt) =>
      a === address && attempt === 1 ? { code: 451, message: 'Try again later' } : 'accept';
    await invite(campaign, { contactIds: contacts });
    const [row] = await waitFor(async () => {
      const rows = await outboxFor(contacts[0]);
      return rows[0]?.status === 'sent' ? rows : null;
    }, 15_000);
    expect(row.attempts).toBe(2);
    expect(peer.count(address)).toBe(1);
  });

  it('gives up after MAIL_MAX_ATTEMPTS temporary failures', async () => {
    const { campaign, contacts } = await openCampaignWithContacts(db, 1);
    const address = emailOf(contacts[0]);
    peer.answer = (a) => (a === address ? { code: 451, message: 'Mailbox busy' } : 'accept');
    await invite(campaign, { contactIds: contacts });
    const [row] = await waitFor(async () => {
      const rows = await outboxFor(contacts[0]);
      return rows[0]?.status === 'failed' ? rows : null;
    }, 15_000);
    expect(row.attempts).toBe(2);
    expect(row.lastError).toContain('451');
    expect(row.lastError!.length).toBeLessThanOrEqual(500);
    expect(row.bodyText).toBeNull();
    const invitation = (await db.manager.findOneBy(InvitationEntity, {
      campaignId: campaign,
      contactId: contacts[0],
    }))!;
    expect(invitation.status).toBe('created');
    expect(peer.count(address)).toBe(0);
  });

  it('marks the mail failed and the invitation bounced when the recipient is refused with 550', async () => {
    const { campaign, contacts } = await openCampaignWithContacts(db, 1);
    const address = emailOf(contacts[0]);
    peer.answer = (a) => (a === address ? { code: 550, message: 'No such user here' } : 'accept');
    await invite(campaign, { contactIds: contacts });
    const [row] = await waitFor(async () => {
      const rows = await outboxFor(contacts[0]);
      return rows[0]?.status === 'failed' ? rows : null;
    });
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/550 No such user here/);
    expect(row.bodyText).toBeNull();
    const invitation = (await db.manager.findOneBy(InvitationEntity, {
      campaignId: campaign,
      contactId: contacts[0],
    }))!;
    expect(invitation.status).toBe('bounced');
    // A bounced invitation gets no reminder.
    const remind = await t
      .http()
      .post(`/api/campaigns/${campaign}/reminders`)
      .set(bearer(t.adminToken))
      .send({})
      .expect(201);
    expect(remind.body).toEqual({ queued: 0 });
  });

  it('sends reminders with a fresh link to those who have not answered', async () => {
    peer.answer = () => 'accept';
    const { campaign, contacts } = await openCampaignWithContacts(db, 2, {
      name: 'Reminder check',
    });
    const res = await invite(campaign, { contactIds: contacts });
    await waitFor(
      () => contacts.every((c) => peer.count(emailOf(c)) === 1),
      10_000,
      'the invitations',
    );
    await db.write((m) =>
      m.update(
        InvitationEntity,
        { campaignId: campaign, contactId: contacts[0] },
        { answered: true, status: 'answered' },
      ),
    );
    const remind = await t
      .http()
      .post(`/api/campaigns/${campaign}/reminders`)
      .set(bearer(t.adminToken))
      .send({})
      .expect(201);
    expect(remind.body).toEqual({ queued: 1 });
    await waitFor(() => peer.count(emailOf(contacts[1])) === 2, 10_000, 'the reminder');
    expect(peer.count(emailOf(contacts[0]))).toBe(1);
    const reminder = readMail(peer.to(emailOf(contacts[1]))[1].raw);
    expect(reminder.headers).toMatch(/^Subject: Reminder: Reminder check$/m);
    const first = tokenOf(res.body.invitations.find((i: Body) => i.contactId === contacts[1]).url);
    expect(reminder.text).not.toContain(first);
    expect(reminder.text).toMatch(/http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{43}/);
  });
});

describe.each(dbKinds())('opt-out on %s', (kind) => {
  let t: TestApp;
  let db: Db;

  const invite = (campaignId: string, body: Body) =>
    t
      .http()
      .post(`/api/campaigns/${campaignId}/invitations`)
      .set(bearer(t.adminToken))
      .send(body)
      .expect(201);
  const contact = (id: string) => db.manager.findOneByOrFail(ContactEntity, { id });

  beforeAll(async () => {
    t = await startApp(kind);
    db = t.app.get(Db);
  });
  afterAll(() => t.close());

  it('opts out through the page: GET shows a button only, POST needs the CSRF field', async () => {
    const unit = await insertUnitWith(db);
    const person = await insertContactWith(db, unit, { language: 'it' });
    const campaign = await insertCampaignWith(db, { status: 'open', languages: 'en,it' });
    const res = await invite(campaign, { contactIds: [person] });
    const token = tokenOf(res.body.invitations[0].url);

    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get(`/unsubscribe/${token}`).expect(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<html lang="it">');
    expect(page.text).toContain('Annulla iscrizione');
    expect(page.text).toMatch(new RegExp(`<form method="post" action="/unsubscribe/${token}"`));
    // Mail scanners prefetch links: the GET changed nothing.
    expect((await contact(person)).optedOut).toBe(false);

    await agent.post(`/unsubscribe/${token}`).type('form').send({}).expect(403);
    expect((await contact(person)).optedOut).toBe(false);

    const csrf = csrfOf(page.text);
    const done = await agent
      .post(`/unsubscribe/${token}`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect(done.headers.location).toBe('/unsubscribe/done?lang=it');
    expect((await contact(person)).optedOut).toBe(true);
    const confirmation = await agent.get(done.headers.location).expect(200);
    expect(confirmation.text).toContain('Iscrizione annullata');

    // The queued invitation mail is cancelled and its body (with the token) purged.
    const [mail] = await db.manager.findBy(OutboxEntity, { contactId: person });
    expect(mail.status).toBe('cancelled');
    expect(mail.bodyText).toBeNull();
    expect(mail.bodyHtml).toBeNull();

    // Visiting again says so, without a button.
    const again = await agent.get(`/unsubscribe/${token}`).expect(200);
    expect(again.text).toContain('Non riceverà più inviti');
    expect(again.text).not.toContain('<form method="post" action="/unsubscribe/');

    // Never invited again, and no reminders.
    const other = await insertCampaignWith(db, { status: 'open' });
    const next = await invite(other, { contactIds: [person] });
    expect(next.body.skipped).toEqual([{ contactId: person, reason: 'opted out' }]);
    const remind = await t
      .http()
      .post(`/api/campaigns/${campaign}/reminders`)
      .set(bearer(t.adminToken))
      .send({})
      .expect(201);
    expect(remind.body).toEqual({ queued: 0 });
  });

  it('answers unknown or malformed tokens with a 404 page', async () => {
    const unknown = await t
      .http()
      .get(`/unsubscribe/${'A'.repeat(43)}`)
      .expect(404);
    expect(unknown.text).toContain('Link not found');
    await t.http().get('/unsubscribe/short').expect(404);
    await t
      .http()
      .get(`/unsubscribe/${'B'.repeat(43)}?lang=it`)
      .expect(404)
      .expect(/Link non trovato/);
    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get('/unsubscribe/done').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(csrf).toBeUndefined(); // the confirmation page has no form
    await t
      .http()
      .post(`/api/unsubscribe/${'C'.repeat(43)}`)
      .expect(404)
      .expect({ statusCode: 404, message: 'Unsubscribe link not found' });
  });

  it('accepts RFC 8058 one-click posts, url-encoded or multipart, from any client', async () => {
    const unit = await insertUnitWith(db);
    const [a, b, c] = await insertContactsWith(db, unit, 3);
    const campaign = await insertCampaignWith(db, { status: 'open' });
    const res = await invite(campaign, { contactIds: [a, b, c] });
    const surveyTokenFor = (id: string) =>
      tokenOf(res.body.invitations.find((i: Body) => i.contactId === id).url);
    // The one-click URL carries the mail's own opt-out token (issue 10), read from its body.
    const mails = await db.manager.findBy(OutboxEntity, { campaignId: campaign });
    const optOutTokens = new Map(
      mails.map((m) => [m.contactId, /\/unsubscribe\/([A-Za-z0-9_-]{43})/.exec(m.bodyText!)![1]]),
    );
    const tokenFor = (id: string) => optOutTokens.get(id)!;
    // The survey token does not opt out through one-click.
    await t
      .http()
      .post(`/api/unsubscribe/${surveyTokenFor(a)}`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(404);
    expect((await contact(a)).optedOut).toBe(false);

    await t
      .http()
      .post(`/api/unsubscribe/${tokenFor(a)}`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200, { unsubscribed: true });
    await t
      .http()
      .post(`/api/unsubscribe/${tokenFor(b)}`)
      .field('List-Unsubscribe', 'One-Click')
      .expect(200);
    await t
      .http()
      .post(`/api/unsubscribe/${tokenFor(c)}`)
      .expect(200);
    for (const id of [a, b, c]) expect((await contact(id)).optedOut).toBe(true);
    // Repeating is harmless.
    await t
      .http()
      .post(`/api/unsubscribe/${tokenFor(a)}`)
      .expect(200);
    // Other routes still refuse multipart bodies.
    await t.http().post('/api/auth/token').field('email', ADMIN.email).expect(415);
    const queued = await db.manager.findBy(OutboxEntity, { campaignId: campaign });
    expect(queued.map((q) => q.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });
});

describe.each(dbKinds())('mail across a restart on %s', (kind: DbKind) => {
  it('keeps queued mail while the SMTP server is down and delivers it after a restart', async () => {
    const database = await freshDatabase(kind);
    const peer = await SmtpPeer.start();
    let first: Instance | undefined;
    let second: Instance | undefined;
    try {
      first = await launch(database.url, { SMTP_URL: `smtp://127.0.0.1:${await deadPort()}` });
      const { campaign, contacts } = await openCampaignWithContacts(first.db, 3);
      await first
        .http()
        .post(`/api/campaigns/${campaign}/invitations`)
        .set(bearer(first.token))
        .send({ contactIds: contacts })
        .expect(201);
      const firstDb = first.db;
      await waitFor(
        async () => {
          const rows = await firstDb.manager.findBy(OutboxEntity, { campaignId: campaign });
          return rows.length === 3 && rows.every((r) => r.attempts >= 1 && r.status === 'queued');
        },
        10_000,
        'failed first attempts',
      );
      // The first instance's sender stops before we look (a retry of its own could race us), and
      // the rows are changed before the second instance starts, whose first tick may come at once.
      await first.app.get(MailWorker).onModuleDestroy();
      const rows = await firstDb.manager.findBy(OutboxEntity, { campaignId: campaign });
      expect(rows.every((r) => r.status === 'queued' && r.bodyText !== null)).toBe(true);
      // As if an instance had died while sending: a lapsed claim must be taken again.
      await firstDb.write((m) =>
        m.update(
          OutboxEntity,
          { id: rows[0].id },
          { status: 'sending', lockedUntil: new Date(Date.now() - 1000).toISOString() },
        ),
      );
      await first.app.close();
      first = undefined;

      second = await launch(database.url, { SMTP_URL: peer.url });
      const secondDb = second.db;
      await waitFor(
        async () => {
          const now = await secondDb.manager.findBy(OutboxEntity, { campaignId: campaign });
          return now.every((r) => r.status === 'sent');
        },
        20_000,
        'delivery after the restart',
      );
      for (const c of contacts) expect(peer.count(emailOf(c))).toBe(1);
    } finally {
      if (first) await first.app.close();
      if (second) await second.app.close();
      await peer.close();
      await database.drop();
    }
  });
});

// Two instances in one process on one SQLite file share nothing safe (each has its own write
// mutex), so the multi-instance test runs on PostgreSQL only.
const postgresOnly = dbKinds().filter((k) => k === 'postgres');
(postgresOnly.length ? describe.each(postgresOnly) : describe.skip.each(['postgres']))(
  'two app instances on %s',
  (kind) => {
    it('delivers every queued mail exactly once', async () => {
      const database = await freshDatabase(kind as DbKind);
      const peer = await SmtpPeer.start();
      peer.delayMs = 15;
      const instances: Instance[] = [];
      try {
        instances.push(await launch(database.url, { SMTP_URL: peer.url }));
        instances.push(await launch(database.url, { SMTP_URL: peer.url }));
        const [a] = instances;
        const sends = instances.map((i) => jest.spyOn(i.app.get(MailSender), 'send'));
        const { campaign, contacts } = await openCampaignWithContacts(a.db, 40);
        // All queued through one instance in one transaction; both workers compete for them.
        await a
          .http()
          .post(`/api/campaigns/${campaign}/invitations`)
          .set(bearer(a.token))
          .send({ contactIds: contacts })
          .expect(201);
        await waitFor(
          async () => {
            const rows = await a.db.manager.findBy(OutboxEntity, { campaignId: campaign });
            return rows.length === 40 && rows.every((r) => r.status === 'sent');
          },
          25_000,
          'all 40 mails',
        );
        expect(peer.received).toHaveLength(40);
        for (const c of contacts) expect(peer.count(emailOf(c))).toBe(1);
        // Both instances took part (each claimed some of the mails), and no mail was sent twice.
        const calls = sends.map((s) => s.mock.calls.length);
        expect(calls[0] + calls[1]).toBe(40);
        expect(Math.min(...calls)).toBeGreaterThan(0);
        const status = await a.db.manager.findOneByOrFail(CampaignEntity, { id: campaign });
        expect(status.status).toBe('open');
      } finally {
        for (const i of instances) await i.app.close();
        await peer.close();
        await database.drop();
      }
    }, 40_000);

    it('queues exactly one first mail per draft invitation when both sweep after the launch', async () => {
      const database = await freshDatabase(kind as DbKind);
      const instances: Instance[] = [];
      try {
        instances.push(await launch(database.url, {}));
        instances.push(await launch(database.url, {}));
        const [a] = instances;
        const unit = await insertUnitWith(a.db);
        const contacts: string[] = [];
        for (let i = 0; i < 60; i++) contacts.push(await insertContactWith(a.db, unit));
        const campaign = await insertCampaignWith(a.db, { status: 'draft' });
        await a
          .http()
          .post(`/api/campaigns/${campaign}/invitations`)
          .set(bearer(a.token))
          .send({ contactIds: contacts })
          .expect(201);
        await a.db.write((m) => m.update(CampaignEntity, { id: campaign }, { status: 'open' }));
        await Promise.all(instances.map((i) => i.app.get(MailWorker).runOnce()));
        await waitFor(
          async () => (await a.db.manager.countBy(OutboxEntity, { campaignId: campaign })) >= 60,
        );
        await Promise.all(instances.map((i) => i.app.get(MailWorker).runOnce()));
        const rows = await a.db.manager.findBy(OutboxEntity, { campaignId: campaign });
        expect(rows).toHaveLength(60);
        expect(new Set(rows.map((r) => r.contactId)).size).toBe(60);
      } finally {
        for (const i of instances) await i.app.close();
        await database.drop();
      }
    });
  },
);

/** A received mail with its line ends as \n (SMTP carries CRLF). */
const crlfToLf = (mail: { headers: string; text: string }) => ({
  headers: mail.headers,
  text: mail.text.replace(/\r\n/g, '\n'),
});

describe.each(dbKinds())("a campaign's own mail texts, sender and organisation on %s", (kind) => {
  let t: TestApp;
  let db: Db;
  let peer: SmtpPeer;
  const api = () => t.http();

  beforeAll(async () => {
    peer = await SmtpPeer.start();
    t = await startApp(kind, { SMTP_URL: peer.url });
    db = t.app.get(Db);
    await api()
      .put('/api/settings')
      .set(bearer(t.adminToken))
      .send({ organisationName: 'Acme Servizi', senderName: 'Acme Customer Care' })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
    await peer.close();
  });

  const ITALIAN = {
    language: 'it',
    kind: 'invitation',
    subject: '{organisation}: la sua opinione su {campaign}',
    body: 'Gentile {name},\n\nle chiediamo due minuti per "{campaign}": è anonimo.\n\n{link}\n\nCordiali saluti,\n{organisation}',
  };

  it('refuses unknown placeholders, a body without {link} and a language the campaign lacks', async () => {
    const campaign = await insertCampaignWith(db, { status: 'draft', languages: 'it' });
    const bad = await api()
      .put(`/api/campaigns/${campaign}/mail-texts`)
      .set(bearer(t.adminToken))
      .send({
        texts: [
          { language: 'it', kind: 'invitation', subject: 'Ciao {link}', body: 'Ciao {nome}' },
        ],
      })
      .expect(400);
    expect(bad.body.errors).toEqual([
      {
        field: 'subject_it_invitation',
        message: 'Invitation — Italiano, Subject: {link} is not a placeholder this text may use.',
      },
      {
        field: 'body_it_invitation',
        message: 'Invitation — Italiano, Text: {nome} is not a placeholder this text may use.',
      },
      {
        field: 'body_it_invitation',
        message:
          'Invitation — Italiano, Text: must contain {link}, or the recipient cannot answer.',
      },
    ]);
    const other = await api()
      .put(`/api/campaigns/${campaign}/mail-texts`)
      .set(bearer(t.adminToken))
      .send({ texts: [{ ...ITALIAN, language: 'en' }] })
      .expect(400);
    expect(other.body.message).toBe('en is not a language of this campaign.');
    await api()
      .put(`/api/campaigns/${campaign}/mail-texts`)
      .set(bearer(t.adminToken))
      .send({ texts: [{ ...ITALIAN, language: 'de' }] })
      .expect(400);
    const texts = await api()
      .get(`/api/campaigns/${campaign}/mail-texts`)
      .set(bearer(t.adminToken))
      .expect(200);
    expect(texts.body.texts.map((x: Body) => x.custom)).toEqual([false, false]);
    expect(texts.body.placeholders.body).toContain('link');
  });

  it('delivers the Italian invitation in the campaign’s words, from the sender name, signed by the organisation', async () => {
    const unit = await insertUnitWith(db);
    const it = await insertContactWith(db, unit, { language: 'it', name: 'Giulia Rossi' });
    const en = await insertContactWith(db, unit, { language: 'en', name: 'Ada Lovelace' });
    const campaign = await insertCampaignWith(db, {
      status: 'open',
      languages: 'en,it',
      anonymous: true,
      name: 'Servizi 2026',
    });
    const saved = await api()
      .put(`/api/campaigns/${campaign}/mail-texts`)
      .set(bearer(t.adminToken))
      .send({ texts: [ITALIAN] })
      .expect(200);
    expect(saved.body.texts.map((x: Body) => [x.language, x.kind, x.custom])).toEqual([
      ['en', 'invitation', false],
      ['en', 'reminder', false],
      ['it', 'invitation', true],
      ['it', 'reminder', false],
    ]);

    const res = await api()
      .post(`/api/campaigns/${campaign}/invitations`)
      .set(bearer(t.adminToken))
      .send({ contactIds: [it, en] })
      .expect(201);
    const urlOf = (id: string) =>
      res.body.invitations.find((i: Body) => i.contactId === id).url as string;

    const italian = crlfToLf(
      readMail(
        (await waitFor(() => peer.to(emailOf(it))[0], 10_000, 'the Italian invitation')).raw,
      ),
    );
    expect(italian.headers).toMatch(/^Subject: Acme Servizi: la sua opinione su Servizi 2026$/m);
    expect(italian.headers).toMatch(/^From: "?Acme Customer Care"? <no-reply@specchio\.local>$/m);
    expect(italian.text).toContain(
      `Gentile Giulia Rossi,\n\nle chiediamo due minuti per "Servizi 2026": è anonimo.\n\n${urlOf(it)}\n\nCordiali saluti,\nAcme Servizi`,
    );
    expect(italian.text).toContain('Le risposte sono anonime');
    expect(italian.text).toContain(`href="${urlOf(it)}"`);
    expect(italian.headers).toContain('List-Unsubscribe: <http://survey.test/api/unsubscribe/');

    // English has no own text: the built-in one, signed by the organisation, from the sender name.
    const english = crlfToLf(
      readMail(
        (await waitFor(() => peer.to(emailOf(en))[0], 10_000, 'the English invitation')).raw,
      ),
    );
    expect(english.headers).toMatch(/^Subject: Servizi 2026$/m);
    expect(english.headers).toMatch(/^From: "?Acme Customer Care"? <no-reply@specchio\.local>$/m);
    expect(english.text).toContain('Hello Ada Lovelace,');
    expect(english.text).toContain('Thank you for your time.\nAcme Servizi');

    // A reminder of the open campaign uses the text changed after the launch.
    await api()
      .put(`/api/campaigns/${campaign}/mail-texts`)
      .set(bearer(t.adminToken))
      .send({
        texts: [
          {
            language: 'en',
            kind: 'reminder',
            subject: 'Still time, {name}',
            body: 'Dear {name}, a last nudge:\n{link}\n{closes}',
          },
        ],
      })
      .expect(200);
    await api()
      .post(`/api/campaigns/${campaign}/reminders`)
      .set(bearer(t.adminToken))
      .send({})
      .expect(201);
    const reminder = crlfToLf(
      readMail((await waitFor(() => peer.to(emailOf(en))[1], 10_000, 'the English reminder')).raw),
    );
    expect(reminder.headers).toMatch(/^Subject: Still time, Ada Lovelace$/m);
    expect(reminder.text).toMatch(
      /^Dear Ada Lovelace, a last nudge:\nhttp:\/\/survey\.test\/s\/[A-Za-z0-9_-]{43}\n\nYour answers are anonymous/m,
    );
  });

  it('edits the texts on the page: defaults pre-filled, errors beside the field with the input kept, previews of the real mail, reset', async () => {
    const campaign = await insertCampaignWith(db, {
      status: 'draft',
      languages: 'en,it',
      name: 'Q3',
    });
    const admin = await signIn(t);
    let page = await admin.get(`/admin/campaigns/${campaign}/mail?lang=it`).expect(200);
    expect(page.text).toContain('Testi delle e-mail: Q3');
    expect(page.text).toContain('Ci farebbe piacere conoscere la sua esperienza.');
    expect(page.text).toContain('<code>{link}</code>');
    // The preview: the sender name with the address, a sample name and link, the signature.
    expect(page.text).toContain('&quot;Acme Customer Care&quot; &lt;no-reply@specchio.local&gt;');
    expect(page.text).toContain('Gentile Giulia Rossi,');
    expect(page.text).toContain('http://survey.test/s/preview-');
    expect(page.text).toContain('Grazie per il suo tempo.\nAcme Servizi');

    const bad = await admin
      .post(`/admin/campaigns/${campaign}/mail?lang=it`)
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        subject_it_invitation: 'Sondaggio {campagna}',
        body_it_invitation: 'Senza link, {nome}',
      })
      .expect(400);
    expect(bad.text).toContain(
      'Invito — Italiano, Oggetto: {campagna} non è un segnaposto che questo testo può usare.',
    );
    expect(bad.text).toContain(
      'Invito — Italiano, Testo: deve contenere {link}, altrimenti il destinatario non può rispondere.',
    );
    expect(bad.text).toContain('value="Sondaggio {campagna}"');
    expect(bad.text).toContain('>Senza link, {nome}</textarea>');

    page = await admin.get(`/admin/campaigns/${campaign}/mail`).expect(200);
    const ok = await admin
      .post(`/admin/campaigns/${campaign}/mail`)
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        subject_it_invitation: 'Q3 per {organisation}',
        body_it_invitation: 'Buongiorno {name},\r\nrisponda qui: {link}',
      })
      .expect(303);
    page = await admin.get(ok.headers.location).expect(200);
    expect(page.text).toContain('E-mail texts saved.');
    expect(page.text).toContain('Q3 per Acme Servizi');
    expect(page.text).toMatch(
      /Buongiorno Giulia Rossi,\nrisponda qui: http:\/\/survey\.test\/s\/preview-/,
    );
    expect(page.text).toContain('value="it_invitation"');

    const reset = await admin
      .post(`/admin/campaigns/${campaign}/mail`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), reset: 'it_invitation' })
      .expect(303);
    expect(reset.headers.location).toContain('done=reset');
    const texts = await api()
      .get(`/api/campaigns/${campaign}/mail-texts`)
      .set(bearer(t.adminToken))
      .expect(200);
    expect(texts.body.texts.every((x: Body) => !x.custom)).toBe(true);
  });

  it('keeps a closed campaign’s texts read-only', async () => {
    const campaign = await insertCampaignWith(db, { status: 'closed', languages: 'en' });
    await api()
      .put(`/api/campaigns/${campaign}/mail-texts`)
      .set(bearer(t.adminToken))
      .send({ texts: [{ ...ITALIAN, language: 'en' }] })
      .expect(409);
    const admin = await signIn(t);
    const page = await admin.get(`/admin/campaigns/${campaign}/mail`).expect(200);
    expect(page.text).toContain(
      'The campaign is closed: its e-mail texts can no longer be changed.',
    );
    expect(page.text).not.toContain('Save texts');
    await api()
      .get(`/api/campaigns/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/mail-texts`)
      .set(bearer(t.adminToken))
      .expect(404);
  });
});
