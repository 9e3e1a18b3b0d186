import { Db } from '../../src/database/db.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { csrfOf, signIn, type Agent } from '../helpers/auth.js';
import {
  campaignDefinition,
  insertContactRow,
  insertInvitationRow,
  insertUnitRow,
} from '../helpers/factories.js';

type Body = Record<string, any>;

const UNKNOWN_ID = '6a3c1e0e-9d7b-4d43-8f0e-2b4f7c1d9a10';

interface Q {
  key?: string;
  type: string;
  required?: boolean;
  multiple?: boolean;
  provider?: string;
  en?: string;
  it?: string;
  options?: Array<{ value?: string; en?: string; it?: string }>;
}

/** The builder's form fields for a campaign and its questions (parallel lists, as the page posts). */
function builderForm(
  csrf: string,
  c: { name: string; wave: string; audience?: string; anonymous?: boolean; languages?: string[] },
  questions: Q[],
  extra: Body = {},
): Body {
  const opts = questions.flatMap((q, i) => (q.options ?? []).map((o) => ({ ...o, q: String(i) })));
  return {
    _csrf: csrf,
    name: c.name,
    wave: c.wave,
    audience: c.audience ?? 'internal',
    ...(c.anonymous ? { anonymous: 'true' } : {}),
    languages: c.languages ?? ['en', 'it'],
    closesAt: '',
    qKey: questions.map((q) => q.key ?? ''),
    qType: questions.map((q) => q.type),
    qRequired: questions.map((q) => (q.required === false ? 'no' : 'yes')),
    qMultiple: questions.map((q) => (q.multiple ? 'yes' : 'no')),
    qProvider: questions.map((q) => q.provider ?? ''),
    qTextEn: questions.map((q) => q.en ?? ''),
    qTextIt: questions.map((q) => q.it ?? ''),
    optQ: opts.map((o) => o.q),
    optValue: opts.map((o) => o.value ?? ''),
    optEn: opts.map((o) => o.en ?? ''),
    optIt: opts.map((o) => o.it ?? ''),
    ...extra,
  };
}

const idOf = (location: string) => /\/admin\/campaigns\/([0-9a-f-]{36})/.exec(location)![1];

describe.each(dbKinds())('campaign builder pages on %s', (kind) => {
  let t: TestApp;
  let db: Db;
  let agent: Agent;
  const admin = () => bearer(t.adminToken);
  const api = (id: string) => t.http().get(`/api/campaigns/${id}`).set(admin()).expect(200);
  const csrf = async (path: string) => csrfOf((await agent.get(path).expect(200)).text);

  beforeAll(async () => {
    t = await startApp(kind);
    db = t.app.get(Db);
    agent = await signIn(t);
  });
  afterAll(() => t.close());

  it('offers a builder with no JSON; anonymous is ticked for internal, not for external', async () => {
    const internal = await agent.get('/admin/campaigns/new').expect(200);
    expect(internal.text).not.toMatch(/JSON|name="questions"|<textarea id="questions"/);
    expect(internal.text).toMatch(
      /id="anonymous" type="checkbox" name="anonymous" value="true" checked/,
    );
    for (const title of ['Responsiveness', 'Reliability', 'Competence', 'Communication']) {
      expect(internal.text).toContain(title);
    }
    expect(internal.text).toContain('value="lib:ext_nps"');
    const external = await agent.get('/admin/campaigns/new?audience=external').expect(200);
    expect(external.text).toMatch(
      /id="audience-external" type="radio" name="audience" value="external" checked/,
    );
    expect(external.text).not.toMatch(/name="anonymous" value="true" checked/);
    expect(external.headers['content-security-policy']).toContain("script-src 'self'");
    expect(external.text).toContain('<script src="/static/js/campaign-builder.js" defer></script>');
    await agent.get('/static/js/campaign-builder.js').expect(200);
  });

  it('creates a draft from a library item and keeps saving it as questions are edited', async () => {
    const token = await csrf('/admin/campaigns/new');
    const created = await agent
      .post('/admin/campaigns')
      .type('form')
      .send(
        builderForm(token, { name: 'Service 2026-Q1', wave: '2026-Q1', anonymous: true }, [], {
          op: 'lib:int_overall',
        }),
      )
      .expect(303);
    expect(created.headers.location).toMatch(/\/edit\?done=created&at=0#q0$/);
    const id = idOf(created.headers.location as string);
    let view = (await api(id)).body;
    expect(view).toMatchObject({
      status: 'draft',
      audience: 'internal',
      anonymous: true,
      headline: 'overall',
    });
    expect(view.questions[0].text.it).toContain('Nel complesso');

    const edit = await agent.get(`/admin/campaigns/${id}/edit?done=created`).expect(200);
    expect(edit.text).toContain('The draft was created and saved.');
    expect(edit.text).toContain('Question in Italian');
    const t2 = csrfOf(edit.text);
    const base = { name: 'Service 2026-Q1', wave: '2026-Q1', anonymous: true };
    const overall: Q = {
      key: 'overall',
      type: 'csat',
      en: view.questions[0].text.en,
      it: view.questions[0].text.it,
    };
    // Add a choice question of one's own (its key made from the text), with options in both languages.
    const added = await agent
      .post(`/admin/campaigns/${id}/edit`)
      .type('form')
      .send({
        ...builderForm(t2, base, [overall]),
        op: 'add',
        nType: 'choice',
        nRequired: 'no',
        nMultiple: 'yes',
        nKey: '',
        nTextEn: 'Which services did you use?',
        nTextIt: 'Quali servizi ha usato?',
        optQ: ['new', 'new', 'new'],
        optValue: ['', '', ''],
        optEn: ['Payroll', 'IT help desk', ''],
        optIt: ['Paghe', 'Assistenza IT', ''],
      })
      .expect(303);
    expect(added.headers.location).toBe(`/admin/campaigns/${id}/edit?done=added&at=1#q1`);
    view = (await api(id)).body;
    expect(view.questions[1]).toMatchObject({
      key: 'services_use',
      type: 'choice',
      required: false,
      multiple: true,
      options: [
        { value: 'payroll', label: { en: 'Payroll', it: 'Paghe' } },
        { value: 'help_desk', label: { en: 'IT help desk', it: 'Assistenza IT' } },
      ],
    });
    const choice: Q = {
      key: 'services_use',
      type: 'choice',
      required: false,
      multiple: true,
      en: 'Which services did you use?',
      it: 'Quali servizi ha usato?',
      options: [
        { value: 'payroll', en: 'Payroll', it: 'Paghe' },
        { value: 'help_desk', en: 'IT help desk', it: 'Assistenza IT' },
      ],
    };
    // Move up, duplicate, remove: each step saved.
    await agent
      .post(`/admin/campaigns/${id}/edit`)
      .type('form')
      .send({ ...builderForm(t2, base, [overall, choice]), headline: 'overall', op: 'up:1' })
      .expect(303);
    view = (await api(id)).body;
    expect(view.questions.map((q: Body) => q.key)).toEqual(['services_use', 'overall']);
    await agent
      .post(`/admin/campaigns/${id}/edit`)
      .type('form')
      .send({ ...builderForm(t2, base, [choice, overall]), headline: 'overall', op: 'dup:1' })
      .expect(303);
    view = (await api(id)).body;
    expect(view.questions.map((q: Body) => q.key)).toEqual([
      'services_use',
      'overall',
      'overall_2',
    ]);
    // The headline chosen from the list of eligible questions.
    const page = await agent.get(`/admin/campaigns/${id}/edit`).expect(200);
    expect(page.text).toMatch(
      /<select id="headline" name="headline"[^>]*>\s*<option value="overall" selected>/,
    );
    expect(page.text).not.toMatch(/<option value="services_use"/);
    await agent
      .post(`/admin/campaigns/${id}/edit`)
      .type('form')
      .send({
        ...builderForm(t2, base, [choice, overall, { ...overall, key: 'overall_2' }]),
        headline: 'overall_2',
        op: 'del:1',
      })
      .expect(303);
    view = (await api(id)).body;
    expect(view.questions.map((q: Body) => q.key)).toEqual(['services_use', 'overall_2']);
    expect(view.headline).toBe('overall_2');
    // Save and finish: back to the campaign page, the message at the top.
    const saved = await agent
      .post(`/admin/campaigns/${id}/edit`)
      .type('form')
      .send({
        ...builderForm(t2, { ...base, name: 'Renamed' }, [
          choice,
          { ...overall, key: 'overall_2' },
        ]),
        headline: 'overall_2',
        op: 'save',
      })
      .expect(303);
    expect(saved.headers.location).toBe(`/admin/campaigns/${id}?done=saved`);
    expect((await api(id)).body.name).toBe('Renamed');
  });

  it('re-renders every bad input with a message next to its field and the input kept', async () => {
    const token = await csrf('/admin/campaigns/new');
    const bad = await agent
      .post('/admin/campaigns')
      .type('form')
      .send(
        builderForm(
          token,
          { name: '  ', wave: '2026/Q1', languages: ['en', 'it'] },
          [
            { type: 'csat', en: '<b>kept</b>', it: '' },
            { type: 'choice', en: 'Pick one', it: 'Scegli', options: [{ en: 'Only', it: '' }] },
            { type: 'text', key: 'Bad Key', en: 'Why?', it: 'Perché?' },
          ],
          { op: 'save' },
        ),
      )
      .expect(400);
    const html = bad.text;
    expect(html).toContain('The draft was not saved.');
    expect(html).toContain('Give the campaign a name.');
    expect(html).toContain('Write the wave as a period label such as 2026-Q1');
    expect(html).toContain('value="2026/Q1"');
    expect(html).toContain('&lt;b&gt;kept&lt;/b&gt;');
    expect(html).not.toContain('<b>kept</b>');
    expect(html).not.toMatch(/JSON|questions\[\d|must be a string/);
    const token2 = csrfOf(html);
    const bad2 = await agent
      .post('/admin/campaigns')
      .type('form')
      .send(
        builderForm(
          token2,
          { name: 'Named', wave: '2026-Q1' },
          [
            { type: 'csat', en: 'Fine', it: '' },
            { type: 'choice', en: 'Pick one', it: 'Scegli', options: [{ en: 'Only', it: '' }] },
            { type: 'text', key: 'Bad Key', en: 'Why?', it: 'Perché?' },
          ],
          { op: 'save' },
        ),
      )
      .expect(400);
    const h2 = bad2.text;
    expect(h2).toMatch(
      /id="q0-text-it-error"><p class="field-error">Write the question in Italian\.<\/p>/,
    );
    expect(h2).toContain('A choice question needs 2 to 50 options');
    expect(h2).toMatch(
      /id="q1-opt0-it-error"><p class="field-error">Write this option in Italian\.<\/p>/,
    );
    expect(h2).toMatch(/id="q2-key-error"><p class="field-error">Use 1–40 lower-case letters/);
    expect(h2).toContain('href="#q0-text-it"');
    expect(h2).toContain('value="Bad Key"');
    expect(h2).not.toMatch(/JSON|questions\[\d/);
    // A headline needs a rating question.
    const bad3 = await agent
      .post('/admin/campaigns')
      .type('form')
      .send(
        builderForm(csrfOf(h2), { name: 'N', wave: 'W1' }, [
          { type: 'text', en: 'Why?', it: 'Perché?' },
        ]),
      )
      .expect(400);
    expect(bad3.text).toContain('Add a rating question (NPS, CSAT, CES or Likert)');
    // Without the CSRF token nothing happens.
    await agent
      .post('/admin/campaigns')
      .type('form')
      .send({
        ...builderForm('', { name: 'N', wave: 'W1' }, []),
        _csrf: undefined,
        op: 'lib:ext_nps',
      })
      .expect(403);
  });

  it('offers provider units from the unit list for internal questions', async () => {
    const unitId = await insertUnitRow(db, 'IT');
    expect(unitId).toBeTruthy();
    const page = await agent.get('/admin/campaigns/new').expect(200);
    const token = csrfOf(page.text);
    const res = await agent
      .post('/admin/campaigns')
      .type('form')
      .send(
        builderForm(
          token,
          { name: 'Providers', wave: 'P1', anonymous: true },
          [
            { type: 'csat', en: 'Overall?', it: 'In generale?' },
            {
              type: 'csat',
              key: 'it_service',
              provider: 'IT',
              en: 'IT service?',
              it: 'Servizio IT?',
            },
          ],
          { op: 'refresh' },
        ),
      )
      .expect(303);
    const id = idOf(res.headers.location as string);
    const view = (await api(id)).body;
    expect(view.questions[1].providerUnitCode).toBe('IT');
    expect(view.headline).toBe('overall');
    const edit = await agent.get(`/admin/campaigns/${id}/edit`).expect(200);
    expect(edit.text).toMatch(/<option value="IT" selected>/);
  });

  it('shows the result of a step inside the question the page opens at (#q<n>)', async () => {
    const token = await csrf('/admin/campaigns/new');
    const created = await agent
      .post('/admin/campaigns')
      .type('form')
      .send(
        builderForm(
          token,
          { name: 'Notices', wave: 'N1' },
          [{ type: 'csat', key: 'first', en: 'First?', it: 'Prima?' }],
          { op: 'lib:int_ease' },
        ),
      )
      .expect(303);
    const location = created.headers.location as string;
    expect(location).toMatch(/\/edit\?done=created&at=1#q1$/);
    const page = await agent.get(location.replace(/#.*$/, '')).expect(200);
    const html = page.text;
    // The notice is inside <fieldset id="q1">, right after its legend, as a status message;
    // not at the top of the page.
    const card = html.slice(html.indexOf('id="q1"'), html.indexOf('id="new"'));
    expect(card).toMatch(
      /<legend>Question 2[^]*?<\/legend>\s*<p class="notice step-notice" role="status" id="step-notice" tabindex="-1">The draft was created and saved\.<\/p>/,
    );
    expect(html.match(/The draft was created and saved\./g)).toHaveLength(1);
    expect(html.slice(0, html.indexOf('id="q0"'))).not.toContain('role="status"');
    // In Italian too.
    const it = await agent.get(`${location.replace(/#.*$/, '')}&lang=it`).expect(200);
    expect(it.text).toContain('La bozza è stata creata e salvata.');
  });

  it('renders the builder in Italian with ?lang=it', async () => {
    const page = await agent.get('/admin/campaigns/new?lang=it').expect(200);
    const html = page.text;
    expect(html).toContain('<html lang="it">');
    expect(html).toContain('<h1>Nuova campagna</h1>');
    expect(html).toContain('<label for="name">Nome</label>');
    expect(html).toContain('<legend>Destinatari</legend>');
    expect(html).toContain('<label for="new-text-it">Domanda in italiano</label>');
    expect(html).toContain('<label for="new-type">Tipo di domanda</label>');
    expect(html).toContain('NPS 0–10 (raccomandazione)');
    expect(html).toContain('<summary>Dalla raccolta di domande</summary>');
    expect(html).toContain('Soddisfazione complessiva');
    expect(html).toContain('>Salva bozza</button>');
    expect(html).toContain('data-save-label="Salva bozza"');
    expect(html).not.toMatch(/Kind of question|Save draft|Add this question|Short name/);
    // Errors in Italian as well.
    const bad = await agent
      .post('/admin/campaigns?lang=it')
      .type('form')
      .send(
        builderForm(csrfOf(html), { name: ' ', wave: 'W1' }, [
          { type: 'csat', en: 'Fine', it: '' },
        ]),
      )
      .expect(400);
    expect(bad.text).toContain('La bozza non è stata salvata.');
    expect(bad.text).toContain('Dia un nome alla campagna.');
    expect(bad.text).toContain('Scriva la domanda in italiano.');
  });

  it('switching to external asks before removing provider units, and says which', async () => {
    await insertUnitRow(db, 'HR');
    const token = await csrf('/admin/campaigns/new');
    const questions: Q[] = [
      { type: 'csat', key: 'overall', en: 'Overall?', it: 'In generale?' },
      { type: 'csat', key: 'hr', provider: 'HR', en: 'HR service?', it: 'Servizio HR?' },
      { type: 'likert', key: 'hr_fast', provider: 'HR', en: 'HR is fast.', it: 'HR è veloce.' },
    ];
    const res = await agent
      .post('/admin/campaigns')
      .type('form')
      .send(builderForm(token, { name: 'Switch', wave: 'S1' }, questions, { op: 'refresh' }))
      .expect(303);
    const id = idOf(res.headers.location as string);
    const edit = await agent.get(`/admin/campaigns/${id}/edit`).expect(200);
    // The switch is refused with what it would remove; nothing is saved.
    const refused = await agent
      .post(`/admin/campaigns/${id}/edit`)
      .type('form')
      .send(
        builderForm(
          csrfOf(edit.text),
          { name: 'Switch', wave: 'S1', audience: 'external' },
          questions,
          {
            headline: 'overall',
            op: 'save',
          },
        ),
      )
      .expect(400);
    const html = refused.text;
    expect(html).toContain(
      'Switching to external removes the provider unit of 2 questions: confirm it below, or keep the campaign internal.',
    );
    expect(html).toContain('href="#external-confirm"');
    expect(html).toContain(
      'External campaigns cannot rate a provider unit: 2 questions lose their provider unit.',
    );
    expect(html).toMatch(/<li>Question 2 \(HR service\?\): [^<]* \(HR\)<\/li>/);
    expect(html).toMatch(/<li>Question 3 \(HR is fast\.\): [^<]* \(HR\)<\/li>/);
    expect(html).toContain(
      '<button type="submit" name="op" value="external" class="danger">Make it external and remove 2 provider units</button>',
    );
    // The units are still in the form (hidden), so the confirmation or a way back loses nothing.
    expect(html.match(/name="qProvider" value="HR"/g)).toHaveLength(2);
    let view = (await api(id)).body;
    expect(view.audience).toBe('internal');
    expect(view.questions.map((q: Body) => q.providerUnitCode ?? null)).toEqual([null, 'HR', 'HR']);

    // Confirmed: external, and the units are gone, said so at the top.
    const confirmed = await agent
      .post(`/admin/campaigns/${id}/edit`)
      .type('form')
      .send(
        builderForm(csrfOf(html), { name: 'Switch', wave: 'S1', audience: 'external' }, questions, {
          headline: 'overall',
          op: 'external',
        }),
      )
      .expect(303);
    expect(confirmed.headers.location).toBe(`/admin/campaigns/${id}/edit?done=external`);
    view = (await api(id)).body;
    expect(view.audience).toBe('external');
    expect(view.questions.map((q: Body) => q.providerUnitCode ?? null)).toEqual([null, null, null]);
    const after = await agent.get(confirmed.headers.location as string).expect(200);
    expect(after.text).toContain('The campaign is now external');
    // Without provider units the switch needs no confirmation.
    const plain = await agent
      .post('/admin/campaigns')
      .type('form')
      .send(
        builderForm(
          csrfOf(after.text),
          { name: 'Plain', wave: 'S1', audience: 'external' },
          [questions[0]],
          { op: 'save' },
        ),
      )
      .expect(303);
    expect((await api(idOf(plain.headers.location as string))).body.audience).toBe('external');
  });

  it('copies a campaign to the next wave (API and page)', async () => {
    const source = (
      await t
        .http()
        .post('/api/campaigns')
        .set(admin())
        .send(
          campaignDefinition({
            name: 'Buyers 2026-Q2',
            wave: '2026-Q2',
            audience: 'external',
            anonymous: false,
          }),
        )
        .expect(201)
    ).body;
    const copy = (
      await t
        .http()
        .post(`/api/campaigns/${source.id}/copy`)
        .set(admin())
        .send({ wave: '2026-Q3' })
        .expect(201)
    ).body;
    expect(copy).toMatchObject({
      status: 'draft',
      name: 'Buyers 2026-Q3',
      wave: '2026-Q3',
      audience: 'external',
      anonymous: false,
      languages: source.languages,
      headline: source.headline,
      closesAt: null,
    });
    expect(copy.id).not.toBe(source.id);
    expect(copy.questions).toEqual(source.questions);
    const named = await t
      .http()
      .post(`/api/campaigns/${source.id}/copy`)
      .set(admin())
      .send({ wave: 'W9', name: 'Other' })
      .expect(201);
    expect(named.body.name).toBe('Other');
    const badWave = await t
      .http()
      .post(`/api/campaigns/${source.id}/copy`)
      .set(admin())
      .send({ wave: '2026/Q3' })
      .expect(400);
    expect(badWave.body.errors[0].field).toBe('wave');
    await t
      .http()
      .post(`/api/campaigns/${source.id}/copy`)
      .set(admin())
      .send({ wave: 'W', extra: 1 })
      .expect(400);
    await t
      .http()
      .post(`/api/campaigns/${UNKNOWN_ID}/copy`)
      .set(admin())
      .send({ wave: 'W' })
      .expect(404);
    await t.http().post(`/api/campaigns/${source.id}/copy`).send({ wave: 'W' }).expect(401);
    const docs = await agent.get('/api/docs/openapi.json').expect(200);
    expect(docs.body.paths['/api/campaigns/{id}/copy'].post.summary).toBe(
      'Copy a campaign to a new wave',
    );
    expect(JSON.stringify(docs.body.paths)).toContain('/api/campaigns/{id}/copy');

    const form = await agent.get(`/admin/campaigns/${source.id}/copy`).expect(200);
    expect(form.text).toContain('value="2026-Q3"');
    expect(form.text).toContain('value="Buyers 2026-Q3"');
    const bad = await agent
      .post(`/admin/campaigns/${source.id}/copy`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), wave: '', name: 'x' })
      .expect(400);
    expect(bad.text).toContain('Write the wave as a period label');
    expect(bad.text).toContain('value="x"');
    const ok = await agent
      .post(`/admin/campaigns/${source.id}/copy`)
      .type('form')
      .send({ _csrf: csrfOf(form.text), wave: '2026-Q4', name: 'Buyers 2026-Q4' })
      .expect(303);
    expect(ok.headers.location).toMatch(/\?done=copied$/);
    const page = await agent.get(ok.headers.location as string).expect(200);
    expect(page.text).toContain('This is the copy for the new wave');
    expect(page.text).toContain('Buyers 2026-Q4');
  });

  it('previews a campaign as a respondent sees it, per language and at phone width, without submitting', async () => {
    const c = (
      await t.http().post('/api/campaigns').set(admin()).send(campaignDefinition()).expect(201)
    ).body;
    const en = await agent.get(`/admin/campaigns/${c.id}/preview`).expect(200);
    expect(en.text).toContain('class="preview-bar');
    expect(en.text).toContain('Answers cannot be sent from here.');
    expect(en.text).toContain(c.questions[0].text.en);
    const it = await agent.get(`/admin/campaigns/${c.id}/preview?lang=it&width=phone`).expect(200);
    expect(it.text).toContain(c.questions[0].text.it);
    expect(it.text).toContain('preview-phone');
    expect(it.text).toContain('<html lang="it">');
    expect(it.text).toContain('<strong>Anteprima</strong> di una campagna in bozza');
    expect(it.text).toContain('Larghezza piena');
    const sent = await agent
      .post(`/admin/campaigns/${c.id}/preview?lang=it&width=phone`)
      .type('form')
      .send({ _csrf: csrfOf(it.text), [c.questions[0].key]: '3' })
      .expect(303);
    expect(sent.headers.location).toBe(
      `/admin/campaigns/${c.id}/preview?lang=it&width=phone&tried=1`,
    );
    // The page follows ?lang=: the preview bar speaks the previewed language too.
    expect((await agent.get(sent.headers.location as string)).text).toContain(
      'Nulla è stato inviato o registrato: questa è un&#x27;anteprima.',
    );
    expect(
      (await t.http().get(`/api/campaigns/${c.id}/report`).set(admin())).body.responses ?? 0,
    ).toBe(0);
  });

  it('confirms Launch, Remind, Close and Delete with what will happen, the result at the top', async () => {
    const c = (
      await t.http().post('/api/campaigns').set(admin()).send(campaignDefinition()).expect(201)
    ).body;
    const unitId = await insertUnitRow(db);
    for (let i = 0; i < 3; i++)
      await insertInvitationRow(db, c.id, await insertContactRow(db, unitId));
    const detail = await agent.get(`/admin/campaigns/${c.id}`).expect(200);
    expect(detail.text).toContain(`href="/admin/campaigns/${c.id}/confirm/launch"`);
    expect(detail.text).toContain(`href="/admin/campaigns/${c.id}/confirm/delete"`);
    expect(detail.text).not.toMatch(
      new RegExp(`<form method="post" action="/admin/campaigns/${c.id}/launch"`),
    );
    const launch = await agent.get(`/admin/campaigns/${c.id}/confirm/launch`).expect(200);
    expect(launch.text).toContain('3 e-mails will be sent');
    expect(launch.text).toContain(`action="/admin/campaigns/${c.id}/launch"`);
    const launched = await agent
      .post(`/admin/campaigns/${c.id}/launch`)
      .type('form')
      .send({ _csrf: csrfOf(launch.text) })
      .expect(303);
    const after = await agent.get(launched.headers.location as string).expect(200);
    const main = after.text.slice(after.text.indexOf('<main'));
    expect(main.indexOf('The campaign is open.')).toBeLessThan(main.indexOf('<h2'));

    const remind = await agent.get(`/admin/campaigns/${c.id}/confirm/remind`).expect(200);
    expect(remind.text).toMatch(/\d+ e-mails? will be sent: one reminder/);
    const reminded = await agent
      .post(`/admin/campaigns/${c.id}/reminders`)
      .type('form')
      .send({ _csrf: csrfOf(remind.text) })
      .expect(303);
    const top = await agent.get(reminded.headers.location as string).expect(200);
    const topMain = top.text.slice(top.text.indexOf('<main'));
    expect(topMain.indexOf('reminders queued')).toBeLessThan(topMain.indexOf('<h2'));
    const again = await agent.get(`/admin/campaigns/${c.id}/confirm/remind`).expect(200);
    expect(again.text).toContain('The last reminder round went on');
    expect(again.text).not.toContain(`action="/admin/campaigns/${c.id}/reminders"`);
    // The button itself refuses a second round within the interval, with the time of the last one.
    const second = await agent
      .post(`/admin/campaigns/${c.id}/reminders`)
      .type('form')
      .send({ _csrf: csrfOf(again.text) })
      .expect(303);
    const refusedPage = await agent.get(second.headers.location as string).expect(200);
    const refusedMain = refusedPage.text.slice(refusedPage.text.indexOf('<main'));
    expect(refusedMain).toMatch(
      /The last reminder round went on \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} \(UTC\)/,
    );
    expect(refusedMain.indexOf('The last reminder round')).toBeLessThan(refusedMain.indexOf('<h2'));
    expect(refusedMain).not.toContain('reminders queued');

    const close = await agent.get(`/admin/campaigns/${c.id}/confirm/close`).expect(200);
    expect(close.text).toContain('No e-mail will be sent.');

    const draft = (
      await t.http().post('/api/campaigns').set(admin()).send(campaignDefinition()).expect(201)
    ).body;
    const del = await agent.get(`/admin/campaigns/${draft.id}/confirm/delete`).expect(200);
    expect(del.text).toContain('This cannot be undone.');
    const deleted = await agent
      .post(`/admin/campaigns/${draft.id}/delete`)
      .type('form')
      .send({ _csrf: csrfOf(del.text) })
      .expect(303);
    expect(deleted.headers.location).toBe('/admin/campaigns?done=deleted');
    expect((await agent.get('/admin/campaigns?done=deleted')).text).toContain(
      'The draft was deleted.',
    );
    await t.http().get(`/api/campaigns/${draft.id}`).set(admin()).expect(404);
    // An open campaign cannot be deleted nor edited.
    const refused = await agent
      .post(`/admin/campaigns/${c.id}/delete`)
      .type('form')
      .send({ _csrf: csrfOf(close.text) })
      .expect(409);
    expect(refused.text).toContain('Only drafts can be deleted.');
    await agent.get(`/admin/campaigns/${c.id}/edit`).expect(303);
  });
});
