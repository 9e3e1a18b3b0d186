import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * A realistic demo company, built only through the public HTTP API (so it exercises the same rules
 * as any integration): a unit tree, internal and external contacts, and two waves of an internal and
 * an external campaign with answers. Branch quality is a hidden factor that drives both sides, and
 * wave-1 internal satisfaction feeds wave-2 external satisfaction, so the linkage reports have a
 * real signal to find.
 */
export async function seedDemo(
  app: NestFastifyApplication,
  token: string,
  seed: number,
): Promise<string> {
  const fastify = app.getHttpAdapter().getInstance();
  const api = async <T>(
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    csv = false,
  ): Promise<T> => {
    const res = await fastify.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': csv ? 'text/csv' : 'application/json' }),
      },
      payload: body === undefined ? undefined : csv ? (body as string) : JSON.stringify(body),
    });
    if (res.statusCode >= 400)
      throw new Error(`${method} ${url} failed with ${res.statusCode}: ${res.body}`);
    return (res.body ? res.json() : undefined) as T;
  };
  const rnd = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v)));

  const existing = await api<unknown[]>('GET', '/api/units');
  if (existing.length > 0)
    throw new Error('seed-demo fills an empty organisation, but units already exist');

  // Units: company → regions → branches, plus the internal service departments.
  const branches = [
    ['B-MI', 'Milano', 'NORTH'],
    ['B-TO', 'Torino', 'NORTH'],
    ['B-GE', 'Genova', 'NORTH'],
    ['B-BO', 'Bologna', 'NORTH'],
    ['B-VE', 'Venezia', 'NORTH'],
    ['B-VR', 'Verona', 'NORTH'],
    ['B-BG', 'Bergamo', 'NORTH'],
    ['B-RM', 'Roma', 'SOUTH'],
    ['B-NA', 'Napoli', 'SOUTH'],
    ['B-BA', 'Bari', 'SOUTH'],
    ['B-PA', 'Palermo', 'SOUTH'],
    ['B-FI', 'Firenze', 'SOUTH'],
    ['B-CA', 'Cagliari', 'SOUTH'],
    ['B-PE', 'Pescara', 'SOUTH'],
  ] as const;
  const services = [
    ['IT', 'IT Services'],
    ['HR', 'Human Resources'],
    ['LOG', 'Logistics'],
    ['FIN', 'Finance'],
  ] as const;
  const unitCsv = [
    'code,name,parent_code',
    ...branches.map(([c, n, p]) => `${c},Filiale ${n},${p}`),
    'NORTH,Region North,ACME',
    'SOUTH,Region South,ACME',
    'ACME,ACME Forniture S.p.A.,',
    ...services.map(([c, n]) => `${c},${n},ACME`),
  ].join('\n');
  const units = await api<{ created: number; errors: unknown[] }>(
    'POST',
    '/api/units/import',
    unitCsv,
    true,
  );

  // Contacts: employees of every branch and service unit; buyers served by each branch.
  const first = [
    'Giulia',
    'Marco',
    'Sara',
    'Luca',
    'Anna',
    'Paolo',
    'Elena',
    'Davide',
    'Chiara',
    'Matteo',
    'Laura',
    'Andrea',
    'Francesca',
    'Simone',
    'Irene',
    'Tom',
    'Emma',
    'James',
    'Olivia',
    'Noah',
  ];
  const last = [
    'Rossi',
    'Bianchi',
    'Romano',
    'Colombo',
    'Ricci',
    'Marino',
    'Greco',
    'Bruno',
    'Gallo',
    'Conti',
    'De Luca',
    'Costa',
    'Fontana',
    'Moretti',
    'Barbieri',
    'Smith',
    'Brown',
    'Taylor',
  ];
  const person = () => [
    first[Math.floor(rnd() * first.length)],
    last[Math.floor(rnd() * last.length)],
  ];
  const rows = ['email,name,audience,unit_code,language'];
  let serial = 0;
  const employeesOf = (code: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const [f, l] = person();
      rows.push(
        `${f.toLowerCase()}.${l.toLowerCase().replace(/\s/g, '')}.${++serial}@acme.example,${f} ${l},internal,${code},${rnd() < 0.8 ? 'it' : 'en'}`,
      );
    }
  };
  // Branches big enough that most of them can be reported under the confidentiality rules (at
  // least MIN_GROUP_SIZE answers that differ from the most common one).
  for (const [code] of branches) employeesOf(code, 16 + Math.floor(rnd() * 10));
  for (const [code] of services) employeesOf(code, 6 + Math.floor(rnd() * 4));
  for (const [code] of branches) {
    const n = 20 + Math.floor(rnd() * 25);
    for (let i = 0; i < n; i++) {
      const [f, l] = person();
      rows.push(
        `${f.toLowerCase()}.${++serial}@client-${serial % 97}.example,${f} ${l},external,${code},${rnd() < 0.6 ? 'it' : 'en'}`,
      );
    }
  }
  const contacts = await api<{ created: number; errors: unknown[] }>(
    'POST',
    '/api/contacts/import',
    rows.join('\n'),
    true,
  );

  // Hidden drivers: each branch's quality of internal service and its own customer focus.
  const quality = new Map<string, number>(branches.map(([c]) => [c, normal()]));
  const focus = new Map<string, number>(branches.map(([c]) => [c, normal()]));
  const provider = new Map<string, number>(services.map(([c]) => [c, 0.6 * normal()]));
  let previousQuality = new Map(quality);
  let answered = 0;
  const summary: string[] = [];
  for (const [w, wave] of ['2026-Q1', '2026-Q2'].entries()) {
    if (w > 0) {
      previousQuality = new Map(quality);
      for (const [c, q] of quality) quality.set(c, 0.75 * q + 0.65 * normal());
    }
    const internal = await api<{ id: string }>('POST', '/api/campaigns', internalCampaign(wave));
    const external = await api<{ id: string }>('POST', '/api/campaigns', externalCampaign(wave));
    for (const campaign of [internal, external]) {
      await api('POST', `/api/campaigns/${campaign.id}/launch`);
      const invited = await api<{
        invitations: Array<{ email: string; url: string; contactId: string }>;
      }>('POST', `/api/campaigns/${campaign.id}/invitations`, { all: true });
      const isInternal = campaign === internal;
      const unitOfEmail = new Map<string, string>();
      for (const line of rows.slice(1)) {
        const [email, , , unit] = line.split(',');
        unitOfEmail.set(email, unit);
      }
      let n = 0;
      // In a stable order, so the same seed gives the same answers (invitation ids are random).
      const invitations = [...invited.invitations].sort((a, b) =>
        a.email < b.email ? -1 : a.email > b.email ? 1 : 0,
      );
      for (const inv of invitations) {
        if (rnd() > (isInternal ? 0.78 : 0.55)) continue; // response rates
        const unit = unitOfEmail.get(inv.email) ?? '';
        const answers = isInternal
          ? internalAnswers(unit, quality.get(unit) ?? 0.3, provider)
          : externalAnswers(
              quality.get(unit) ?? 0,
              previousQuality.get(unit) ?? 0,
              focus.get(unit) ?? 0,
            );
        const res = await fastify.inject({
          method: 'POST',
          url: `/api/s/${inv.url.split('/s/')[1]}`,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ answers }),
        });
        if (res.statusCode !== 201)
          throw new Error(`answering failed with ${res.statusCode}: ${res.body}`);
        n++;
      }
      answered += n;
      summary.push(
        `${wave} ${isInternal ? 'internal' : 'external'}: ${invited.invitations.length} invited, ${n} answered`,
      );
      // Wave 1 is over; in wave 2 the internal campaign has closed (its results are released at
      // close) while buyers are still answering.
      if (w === 0 || isInternal) await api('POST', `/api/campaigns/${campaign.id}/close`);
    }
  }
  return [
    `demo company seeded: ${units.created} units, ${contacts.created} contacts, ${answered} responses`,
    ...summary.map((s) => `  ${s}`),
  ].join('\n');

  function internalAnswers(unit: string, q: number, providers: Map<string, number>) {
    const a: Record<string, unknown> = {
      sat: clamp(3.3 + 0.75 * q + 0.7 * normal(), 1, 5),
      tools: clamp(3.2 + 0.5 * q + 0.8 * normal(), 1, 5),
      enps: clamp(6.5 + 1.4 * q + 1.6 * normal(), 0, 10),
      it_service: clamp(3.4 + (providers.get('IT') ?? 0) + 0.3 * q + 0.8 * normal(), 1, 5),
      hr_service: clamp(3.6 + (providers.get('HR') ?? 0) + 0.8 * normal(), 1, 5),
      log_service: clamp(3.1 + (providers.get('LOG') ?? 0) + 0.4 * q + 0.8 * normal(), 1, 5),
    };
    if (unit === 'IT') delete a.it_service;
    if (rnd() < 0.25)
      a.why =
        rnd() < 0.5 ? 'Tempi di risposta lunghi sui ticket.' : 'Colleghi disponibili e competenti.';
    return a;
  }

  function externalAnswers(q: number, qBefore: number, f: number) {
    const latent = 0.45 * q + 0.35 * qBefore + 0.6 * f + 0.8 * normal();
    const a: Record<string, unknown> = {
      nps: clamp(7.2 + 1.5 * latent, 0, 10),
      csat: clamp(3.7 + 0.7 * latent + 0.4 * normal(), 1, 5),
      effort: clamp(5 + 1.0 * latent + 0.8 * normal(), 1, 7),
      channel: ['branch', 'phone', 'web'][Math.floor(rnd() * 3)],
    };
    if (rnd() < 0.2)
      a.comment =
        rnd() < 0.5 ? 'Consegna puntuale, ottimo servizio.' : 'Difficile raggiungere il referente.';
    return a;
  }
}

const both = (en: string, it: string) => ({ en, it });

function internalCampaign(wave: string) {
  return {
    name: `Internal service ${wave}`,
    audience: 'internal',
    wave,
    anonymous: true,
    languages: ['en', 'it'],
    headline: 'sat',
    questions: [
      {
        key: 'sat',
        type: 'csat',
        required: true,
        text: both(
          'How satisfied are you with the support you receive from other departments?',
          'Quanto è soddisfatto del supporto che riceve dagli altri reparti?',
        ),
      },
      {
        key: 'tools',
        type: 'likert',
        text: both(
          'I have the tools I need to serve our customers well.',
          'Ho gli strumenti necessari per servire bene i nostri clienti.',
        ),
      },
      {
        key: 'enps',
        type: 'nps',
        text: both(
          'How likely are you to recommend ACME as a place to work?',
          'Quanto consiglierebbe ACME come luogo di lavoro?',
        ),
      },
      {
        key: 'it_service',
        type: 'csat',
        providerUnitCode: 'IT',
        text: both(
          'How satisfied are you with the service of IT?',
          'Quanto è soddisfatto del servizio IT?',
        ),
      },
      {
        key: 'hr_service',
        type: 'csat',
        providerUnitCode: 'HR',
        text: both(
          'How satisfied are you with the service of HR?',
          'Quanto è soddisfatto del servizio delle Risorse Umane?',
        ),
      },
      {
        key: 'log_service',
        type: 'csat',
        providerUnitCode: 'LOG',
        text: both(
          'How satisfied are you with the service of Logistics?',
          'Quanto è soddisfatto del servizio della Logistica?',
        ),
      },
      {
        key: 'why',
        type: 'text',
        text: both('What should we improve first?', 'Cosa dovremmo migliorare per primo?'),
      },
    ],
  };
}

function externalCampaign(wave: string) {
  return {
    name: `Customer satisfaction ${wave}`,
    audience: 'external',
    wave,
    anonymous: false,
    languages: ['en', 'it'],
    headline: 'nps',
    questions: [
      {
        key: 'nps',
        type: 'nps',
        required: true,
        text: both(
          'How likely are you to recommend us to a colleague?',
          'Quanto è probabile che ci raccomandi a un collega?',
        ),
      },
      {
        key: 'csat',
        type: 'csat',
        text: both(
          'How satisfied are you with your branch?',
          'Quanto è soddisfatto della sua filiale?',
        ),
      },
      {
        key: 'effort',
        type: 'ces',
        text: both(
          'The branch made it easy to get what I needed.',
          'La filiale ha reso facile ottenere ciò che mi serviva.',
        ),
      },
      {
        key: 'channel',
        type: 'choice',
        multiple: false,
        options: [
          { value: 'branch', label: both('In the branch', 'In filiale') },
          { value: 'phone', label: both('By phone', 'Al telefono') },
          { value: 'web', label: both('Online', 'Online') },
        ],
        text: both('How do you usually reach us?', 'Come ci contatta di solito?'),
      },
      {
        key: 'comment',
        type: 'text',
        text: both('Anything else you would like to tell us?', 'Vuole dirci altro?'),
      },
    ],
  };
}

/** A small seeded PRNG, so the demo is the same every time. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
