import { dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, csrfOf, signIn } from '../helpers/auth.js';
import { seedSurvey } from '../helpers/survey-fixtures.js';

describe.each(dbKinds())('invitation buttons of the campaign page on %s', (kind) => {
  let t: TestApp;
  let agent: Agent;
  beforeAll(async () => {
    t = await startApp(kind);
    agent = await signIn(t);
  });
  afterAll(() => t.close());

  it('invites by unit, reports skips, queues reminders, and refuses unknown units without an error page', async () => {
    const s = await seedSurvey(t, { invitees: 2 });
    const code = (
      await t.app
        .get((await import('../../src/database/db.js')).Db)
        .manager.query(
          kind === 'sqlite'
            ? 'SELECT code FROM units WHERE id = ?'
            : 'SELECT code FROM units WHERE id = $1',
          [s.unitId],
        )
    )[0].code as string;
    const page = await agent.get(`/admin/campaigns/${s.campaignId}`).expect(200);
    expect(page.text).toContain('Whom to invite');
    const csrf = csrfOf(page.text);
    const res = await agent
      .post(`/admin/campaigns/${s.campaignId}/invitations`)
      .type('form')
      .send({ _csrf: csrf, scope: 'units', unitCodes: code })
      .expect(303);
    const outcome = await agent.get(res.headers.location).expect(200);
    expect(outcome.text).toContain('0 invitations created; skipped: 2 already invited.');
    const unknown = await agent
      .post(`/admin/campaigns/${s.campaignId}/invitations`)
      .type('form')
      .send({ _csrf: csrf, scope: 'units', unitCodes: 'NOPE' })
      .expect(303);
    expect((await agent.get(unknown.headers.location).expect(200)).text).toContain('role="alert"');
    const reminded = await agent
      .post(`/admin/campaigns/${s.campaignId}/reminders`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect((await agent.get(reminded.headers.location).expect(200)).text).toContain(
      '2 reminders queued.',
    );
    await agent
      .post(`/admin/campaigns/${s.campaignId}/reminders`)
      .type('form')
      .send({})
      .expect(403);
  });

  it('says a closed campaign takes no more invitations', async () => {
    const s = await seedSurvey(t, { status: 'closed', invitees: 1 });
    const page = await agent.get(`/admin/campaigns/${s.campaignId}`).expect(200);
    expect(page.text).toContain('no more invitations or reminders');
    expect(page.text).not.toContain('Create invitations');
  });
});
