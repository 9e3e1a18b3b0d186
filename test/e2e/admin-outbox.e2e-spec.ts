import { Db } from '../../src/database/db.js';
import { OutboxEntity } from '../../src/database/schema/outbox.entity.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { csrfOf, signIn, type Agent } from '../helpers/auth.js';
import {
  insertCampaignWith,
  insertContactWith,
  insertInvitationRow,
  insertOutboxRow,
  insertUnitWith,
} from '../helpers/factories.js';

/** The page with Handlebars' attribute escapes undone (`&amp;`, `&#x3D;`). */
const decoded = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

describe.each(dbKinds())('admin outbox page on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let admin: Agent;
  let campaign: string;
  let failedId: string;

  beforeAll(async () => {
    t = await startApp(kind);
    db = t.app.get(Db);
    admin = await signIn(t);
    const unit = await insertUnitWith(db);
    campaign = await insertCampaignWith(db, { audience: 'external', name: 'Paged campaign' });
    for (let i = 0; i < 55; i++) {
      const contact = await insertContactWith(db, unit, { audience: 'external' });
      await insertInvitationRow(db, campaign, contact);
      await insertOutboxRow(db, contact, i < 3 ? 'failed' : 'sent', campaign);
    }
    const failed = await db.manager.findOneByOrFail(OutboxEntity, { status: 'failed' });
    failedId = failed.id;
  });
  afterAll(() => t.close());

  it('counts every message and pages through them, the links keeping the filters', async () => {
    const first = await admin.get(`/admin/outbox?campaignId=${campaign}`).expect(200);
    expect(first.text).toContain('55 message(s), page 1 of 2');
    expect(decoded(first.text)).toContain(`href="/admin/outbox?campaignId=${campaign}&page=2"`);
    const second = await admin.get(`/admin/outbox?campaignId=${campaign}&page=2`).expect(200);
    expect(second.text).toContain('55 message(s), page 2 of 2');
    expect(second.text.match(/<tr class="message">/g)).toHaveLength(5);

    const api = await t
      .http()
      .get(`/api/outbox?campaignId=${campaign}&page=2`)
      .set(bearer(t.adminToken))
      .expect(200);
    expect(api.body.total).toBe(55);
    expect(api.body.items).toHaveLength(5);
  });

  it('filters by status', async () => {
    const failed = await admin.get(`/admin/outbox?status=failed`).expect(200);
    expect(failed.text).toContain('3 message(s)');
    expect(failed.text).toContain('<option value="failed" selected>');
    await admin.get('/admin/outbox?status=lost').expect(400);
  });

  it('retries a failed message: queued again, the result at the top of the page', async () => {
    const page = await admin.get('/admin/outbox?status=failed').expect(200);
    expect(page.text).toContain(`action="/admin/outbox/${failedId}/retry"`);
    await admin
      .post(`/admin/outbox/${failedId}/retry`)
      .type('form')
      .send({ _csrf: 'wrong', returnTo: '/admin/outbox?status=failed' })
      .expect(403);
    const res = await admin
      .post(`/admin/outbox/${failedId}/retry`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), returnTo: '/admin/outbox?status=failed' })
      .expect(303);
    expect(res.headers.location).toBe('/admin/outbox?status=failed&retried=1');
    const row = await db.manager.findOneByOrFail(OutboxEntity, { id: failedId });
    expect(row).toMatchObject({ status: 'queued', attempts: 0, lastError: null });
    // Written afresh with a new personal link (the failed body had been purged).
    expect(row.bodyText).toMatch(/http:\/\/survey\.test\/s\/[A-Za-z0-9_-]{43}/);
    const after = await admin.get(res.headers.location).expect(200);
    expect(after.text).toContain('role="status"');
    expect(after.text.indexOf('role="status"')).toBeLessThan(after.text.indexOf('<table'));

    // A message that is not failed cannot be retried; the page says so.
    const again = await admin
      .post(`/admin/outbox/${failedId}/retry`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), returnTo: '/admin/outbox' })
      .expect(303);
    expect(again.headers.location).toBe('/admin/outbox?retryError=not-failed');
    // An outside return address is not followed.
    const outside = await admin
      .post(`/admin/outbox/${failedId}/retry`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), returnTo: 'https://evil.test/' })
      .expect(303);
    expect(outside.headers.location.startsWith('/admin/outbox?')).toBe(true);
  });

  it('refuses a retry the mail could not go out for, and says why', async () => {
    const unit = await insertUnitWith(db);
    const closed = await insertCampaignWith(db, { audience: 'external', status: 'closed' });
    const contact = await insertContactWith(db, unit, { audience: 'external' });
    await insertInvitationRow(db, closed, contact);
    const id = await insertOutboxRow(db, contact, 'failed', closed);
    const page = await admin.get('/admin/outbox').expect(200);
    const res = await admin
      .post(`/admin/outbox/${id}/retry`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), returnTo: '/admin/outbox?status=failed' })
      .expect(303);
    expect(res.headers.location).toBe('/admin/outbox?status=failed&retryError=closed');
    const after = await admin.get(res.headers.location).expect(200);
    expect(after.text).toContain('Not retried: The campaign is no longer open');
    expect((await db.manager.findOneByOrFail(OutboxEntity, { id })).status).toBe('failed');
  });

  it('retries through the API too', async () => {
    const other = await db.manager.findOneByOrFail(OutboxEntity, {
      status: 'failed',
      campaignId: campaign,
    });
    await t.http().post(`/api/outbox/${other.id}/retry`).set(bearer(t.adminToken)).expect(200);
    expect((await db.manager.findOneByOrFail(OutboxEntity, { id: other.id })).status).toBe(
      'queued',
    );
    await t.http().post(`/api/outbox/${other.id}/retry`).set(bearer(t.adminToken)).expect(409);
  });

  it('never retries a reminder of an anonymous campaign (those are only counted)', async () => {
    const unit = await insertUnitWith(db);
    const anonymous = await insertCampaignWith(db, { audience: 'internal', anonymous: true });
    const contact = await insertContactWith(db, unit);
    await insertInvitationRow(db, anonymous, contact);
    const id = await insertOutboxRow(db, contact, 'failed', anonymous);
    await db.write((m) => m.update(OutboxEntity, { id }, { kind: 'reminder' }));
    await t.http().post(`/api/outbox/${id}/retry`).set(bearer(t.adminToken)).expect(404);
    const page = await admin.get('/admin/outbox').expect(200);
    expect(page.text).not.toContain(`/admin/outbox/${id}/retry`);
    const res = await admin
      .post(`/admin/outbox/${id}/retry`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(res.headers.location).toBe('/admin/outbox?retryError=unknown');
    expect((await db.manager.findOneByOrFail(OutboxEntity, { id })).status).toBe('failed');
  });
});
