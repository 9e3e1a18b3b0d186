// Issue 10: the unsubscribe link (and List-Unsubscribe) carries its own token, which opts out and
// does nothing else; the survey token no longer opts out through the one-click POST gateways use.
import request from 'supertest';
import { sha256 } from '../../src/common/crypto.js';
import { Db } from '../../src/database/db.js';
import { ContactEntity } from '../../src/database/schema/contact.entity.js';
import { InvitationEntity } from '../../src/database/schema/invitation.entity.js';
import { InvitationLinkEntity } from '../../src/database/schema/invitation-link.entity.js';
import { ResponseEntity } from '../../src/database/schema/response.entity.js';
import { UnsubscribeLinkEntity } from '../../src/database/schema/unsubscribe-link.entity.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { csrfOf } from '../helpers/auth.js';
import { insertContactsWith } from '../helpers/factories.js';
import { readMail, SmtpPeer, waitFor } from '../helpers/smtp-peer.js';
import { seedSurvey, VALID_ANSWERS } from '../helpers/survey-fixtures.js';

const T = '[A-Za-z0-9_-]{43}';

/** The tokens a delivered mail carries: survey link, visible opt-out link, List-Unsubscribe. */
function tokensOf(raw: string) {
  const { headers, text } = readMail(raw);
  const header = new RegExp(`^List-Unsubscribe: <http://[^/]+/api/unsubscribe/(${T})>$`, 'm').exec(
    headers,
  );
  const survey = new RegExp(`/s/(${T})`).exec(text);
  const links = [...text.matchAll(new RegExp(`/unsubscribe/(${T})`, 'g'))].map((m) => m[1]);
  expect(header).not.toBeNull();
  expect(survey).not.toBeNull();
  expect(links.length).toBeGreaterThan(0);
  expect(new Set(links).size).toBe(1); // text and HTML parts: one opt-out token
  expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  return { survey: survey![1], link: links[0], header: header![1], text };
}

describe.each(dbKinds())('separate unsubscribe token on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let peer: SmtpPeer;

  beforeAll(async () => {
    peer = await SmtpPeer.start();
    t = await startApp(kind, {
      SMTP_URL: peer.url,
      PUBLIC_URL: 'http://survey.test',
      MAIL_POLL_MS: '100',
      TOKEN_MAX_FAILURES_PER_ADDRESS: '1000',
    });
    db = t.app.get(Db);
  });
  afterAll(async () => {
    await t.close();
    await peer.close();
  });

  const optedOut = async (id: string) =>
    (await db.manager.findOneByOrFail(ContactEntity, { id })).optedOut;

  it('mails and reminders carry their own opt-out token, which opts out and never answers', async () => {
    const s = await seedSurvey(t, { invitees: 0 });
    const [a, b] = await insertContactsWith(db, s.unitId, 2);
    await t
      .http()
      .post(`/api/campaigns/${s.campaignId}/invitations`)
      .set(bearer(t.adminToken))
      .send({ contactIds: [a, b] })
      .expect(201);
    await waitFor(
      () => peer.count(`${a}@example.com`) === 1 && peer.count(`${b}@example.com`) === 1,
    );
    const mailA = tokensOf(peer.to(`${a}@example.com`)[0].raw);
    const mailB = tokensOf(peer.to(`${b}@example.com`)[0].raw);

    // The header and the visible link carry the same opt-out token, not the survey token.
    for (const m of [mailA, mailB]) {
      expect(m.header).toBe(m.link);
      expect(m.link).not.toBe(m.survey);
      expect(m.text).not.toContain(`/unsubscribe/${m.survey}`);
      // Stored hashed, in its own table only.
      expect(await db.manager.countBy(UnsubscribeLinkEntity, { tokenHash: sha256(m.link) })).toBe(
        1,
      );
      expect(await db.manager.countBy(InvitationLinkEntity, { tokenHash: sha256(m.link) })).toBe(0);
      expect(JSON.stringify(await db.manager.find(UnsubscribeLinkEntity))).not.toContain(m.link);
    }

    // The opt-out token cannot open the survey page, nor answer through the page or the API.
    await t.http().get(`/s/${mailA.link}`).expect(404);
    await t.http().post(`/api/s/${mailA.link}`).send({ answers: VALID_ANSWERS }).expect(404);
    const agent = request.agent(t.app.getHttpServer());
    const form = await agent.get(`/s/${mailA.survey}`).expect(200);
    const posted = await agent
      .post(`/s/${mailA.link}`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), sat: '4' });
    expect(posted.status).toBe(404);
    expect(await db.manager.countBy(ResponseEntity, { campaignId: s.campaignId })).toBe(0);
    const invitationA = await db.manager.findOneByOrFail(InvitationEntity, {
      campaignId: s.campaignId,
      contactId: a,
    });
    expect(invitationA.answered).toBe(false);

    // The survey token no longer opts out through the one-click POST mail gateways use.
    await t
      .http()
      .post(`/api/unsubscribe/${mailA.survey}`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(404);
    expect(await optedOut(a)).toBe(false);
    // The mail's own token does (RFC 8058).
    await t
      .http()
      .post(`/api/unsubscribe/${mailA.header}`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200, { unsubscribed: true });
    expect(await optedOut(a)).toBe(true);

    // The survey token still answers (the control: the same body was refused above).
    await t.http().post(`/api/s/${mailB.survey}`).send({ answers: VALID_ANSWERS }).expect(201);
    expect(await db.manager.countBy(ResponseEntity, { campaignId: s.campaignId })).toBe(1);

    // A reminder carries a fresh opt-out token of its own.
    const [c] = await insertContactsWith(db, s.unitId, 1);
    await t
      .http()
      .post(`/api/campaigns/${s.campaignId}/invitations`)
      .set(bearer(t.adminToken))
      .send({ contactIds: [c] })
      .expect(201);
    await waitFor(() => peer.count(`${c}@example.com`) === 1);
    const first = tokensOf(peer.to(`${c}@example.com`)[0].raw);
    const remind = await t
      .http()
      .post(`/api/campaigns/${s.campaignId}/reminders`)
      .set(bearer(t.adminToken))
      .send({})
      .expect(201);
    expect(remind.body).toEqual({ queued: 1 }); // a opted out, b answered
    await waitFor(() => peer.count(`${c}@example.com`) === 2, 10_000, 'the reminder');
    const reminder = tokensOf(peer.to(`${c}@example.com`)[1].raw);
    expect(reminder.header).toBe(reminder.link);
    expect(reminder.link).not.toBe(reminder.survey);
    expect(reminder.link).not.toBe(first.link);
    await t.http().get(`/s/${reminder.link}`).expect(404);
    await t.http().post(`/api/s/${reminder.link}`).send({ answers: VALID_ANSWERS }).expect(404);
    await t.http().post(`/api/unsubscribe/${reminder.survey}`).expect(404);
    expect(await optedOut(c)).toBe(false);
    await t.http().post(`/api/unsubscribe/${reminder.header}`).expect(200);
    expect(await optedOut(c)).toBe(true);
  });

  it('keeps the opt-out page of mails sent before the upgrade (survey token) behind a confirmation', async () => {
    const s = await seedSurvey(t, { invitees: 1 });
    const token = s.tokens[0]; // a survey token, as the unsubscribe links of older mails carried
    const contact = s.contactIds[0];
    await t.http().post(`/api/unsubscribe/${token}`).expect(404);
    const agent = request.agent(t.app.getHttpServer());
    const page = await agent.get(`/unsubscribe/${token}`).expect(200);
    expect(page.text).toContain(`<form method="post" action="/unsubscribe/${token}"`);
    expect(await optedOut(contact)).toBe(false); // the GET changes nothing
    await agent
      .post(`/unsubscribe/${token}`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(await optedOut(contact)).toBe(true);
  });
});
