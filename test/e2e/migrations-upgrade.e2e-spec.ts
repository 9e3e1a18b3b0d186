// Issue 10 (upgrades): for every release cut — the migrations before it applied, then a database
// filled with representative data (a unit tree, contacts, campaigns in every status, invitations,
// answers, Unicode, mail waiting and sent, users with sessions) — the remaining migrations keep
// every pre-existing row and value (row counts and a checksum per column), except the changes
// they are meant to make, and leave no dangling foreign key; on SQLite and PostgreSQL.
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { answerCountsRecountSql } from '../../src/database/answer-counts.js';
import { dataSourceOptions, MIGRATIONS } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/migrate.js';
import { dbKinds, freshDatabase, type DbKind } from '../helpers/app.js';

type Row = Record<string, unknown>;
type Value = string | number | boolean | null;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const T0 = '2026-03-01T09:00:00.000Z';
const T1 = '2026-03-02T10:30:00.000Z';
const tok = (c: string) => c.repeat(43);
const hash = (s: string) => createHash('sha256').update(s).digest('hex');

const UNITS = { root: id(1), north: id(2), south: id(3), aosta: id(4) };
const CAMPAIGN = { draft: id(20), open: id(21), closed: id(22) };
const USERS = { admin: id(10), analyst: id(11) };
const contact = (n: number) => id(100 + n);
const invitation = (n: number) => id(200 + n);
const response = (n: number) => id(300 + n);

/**
 * The data, table by table (parents first), as rows holding every column any release has had:
 * at a cut, each row is written with the columns its table has then. A column the table has,
 * NOT NULL without a default and missing here fails the insert: add it to these rows.
 */
function dataset(): Array<[string, Row[]]> {
  const queuedText = (n: number) =>
    `Gentile Zoë 👩🏽‍💻,\n\nhttp://survey.test/s/${tok(String.fromCharCode(65 + n))}\n\n--\nPer non ricevere più inviti:\nhttp://survey.test/unsubscribe/${tok(String.fromCharCode(65 + n))}\n`;
  const queuedHtml = (n: number) =>
    `<p>Gentile Zoë 👩🏽‍💻</p><a href="http://survey.test/s/${tok(String.fromCharCode(65 + n))}">Rispondi</a><a href="http://survey.test/unsubscribe/${tok(String.fromCharCode(65 + n))}">Annulla iscrizione</a>`;
  const campaign = (cid: string, status: string, anonymous: boolean, name: string): Row => ({
    id: cid,
    name,
    audience: anonymous ? 'internal' : 'external',
    wave: '2026-Q1',
    anonymous,
    languages: 'en,it',
    headline: 'sat',
    status,
    closes_at: status === 'draft' ? null : '2099-12-31T23:59:59.000Z',
    created_at: T0,
    launched_at: status === 'draft' ? null : T0,
    closed_at: status === 'closed' ? T1 : null,
    opens_at: null,
    reminder_after_days: status === 'open' ? 7 : null,
    reminder_max: status === 'open' ? 2 : null,
    auto_reminders: status === 'open' ? 1 : 0,
    last_auto_reminder_at: status === 'open' ? T1 : null,
    digest_recipients: status === 'closed' ? JSON.stringify([USERS.analyst]) : null,
    digest_sent_at: status === 'closed' ? T1 : null,
  });
  const questions = (cid: string): Row[] =>
    [
      {
        key: 'sat',
        type: 'csat',
        required: true,
        text: { en: 'How satisfied?', it: 'Quanto è soddisfatto?' },
      },
      {
        key: 'nps',
        type: 'nps',
        required: false,
        text: { en: 'Recommend?', it: 'Ci raccomanderebbe?' },
      },
      {
        key: 'prov',
        type: 'csat',
        required: false,
        provider: UNITS.south,
        text: { en: 'South’s service', it: 'Servizio del Sud' },
      },
      {
        key: 'topics',
        type: 'choice',
        required: false,
        multiple: true,
        options: ['price', 'speed', 'care'],
        text: { en: 'What matters?', it: 'Cosa conta?' },
      },
      {
        key: 'why',
        type: 'text',
        required: false,
        text: { en: 'Why?', it: 'Perché? ¿Por qué? 为什么' },
      },
    ].map((q, position) => ({
      campaign_id: cid,
      question_key: q.key,
      position,
      type: q.type,
      required: q.required,
      multiple: q.multiple ?? false,
      provider_unit_id: q.provider ?? null,
      text_json: JSON.stringify(q.text),
      options_json: q.options
        ? JSON.stringify(q.options.map((o) => ({ value: o, label: { en: o, it: `${o} ✓` } })))
        : null,
    }));
  // Contacts 1–6 in the open campaign, 1–4 in the closed one; 5 opted out later, 6 erased.
  const contacts: Row[] = [1, 2, 3, 4, 5, 6].map((n) => ({
    id: contact(n),
    email: n === 6 ? null : `persona.${n}@esempio.it`,
    name:
      n === 6
        ? null
        : ['Zoë Ĳsselmeer', 'Łukasz Żółć', '山田 太郎', 'José Núñez', 'Ærøskøbing', ''][n - 1],
    audience: n <= 4 ? 'external' : 'internal',
    unit_id: n % 2 ? UNITS.north : UNITS.aosta,
    language: n % 2 ? 'it' : 'en',
    opted_out: n === 5,
    erased_at: n === 6 ? T1 : null,
    created_at: T0,
    updated_at: T1,
  }));
  const invitations: Row[] = [];
  const links: Row[] = [];
  const responses: Row[] = [];
  const answers: Row[] = [];
  let inv = 0;
  for (const [cid, people] of [
    [CAMPAIGN.open, [1, 2, 3, 5]],
    [CAMPAIGN.closed, [1, 2, 3, 4]],
  ] as const) {
    for (const n of people) {
      inv += 1;
      const answered = inv % 2 === 0 || cid === CAMPAIGN.closed;
      invitations.push({
        id: invitation(inv),
        campaign_id: cid,
        contact_id: contact(n),
        status: answered ? 'answered' : inv === 3 ? 'bounced' : 'sent',
        answered,
        created_at: T0,
        sent_at: T0,
        opened_at: answered ? T1 : null,
        answered_at: answered ? T1 : null,
        reminded_at: inv === 1 ? T1 : null,
        reminders: inv === 1 ? 1 : 0,
      });
      links.push({
        token_hash: hash(`link-${inv}`),
        invitation_id: invitation(inv),
        created_at: T0,
      });
      if (!answered) continue;
      const rid = response(inv);
      responses.push({
        id: rid,
        campaign_id: cid,
        unit_id: n % 2 ? UNITS.north : UNITS.aosta,
        invitation_id: cid === CAMPAIGN.open ? null : invitation(inv), // the open one is anonymous
        language: n % 2 ? 'it' : 'en',
        submitted_at: T1,
      });
      const answer = (key: string, seq: number, num: number | null, text: string | null) =>
        answers.push({
          response_id: rid,
          question_key: key,
          seq,
          campaign_id: cid,
          num_value: num,
          text_value: text,
        });
      answer('sat', 0, 1 + (inv % 5), null);
      answer('nps', 0, inv % 11, null);
      answer('prov', 0, 2 + (inv % 3), null);
      answer('topics', 0, null, 'price');
      if (inv % 2) answer('topics', 1, null, 'care');
      answer(
        'why',
        0,
        null,
        [
          'Ottimo servizio 👍',
          'Tempi d’attesa — lunghi',
          '“Quoted”, comma; semicolon',
          '改善してください',
          'x',
        ][inv % 5],
      );
    }
  }
  const outbox: Row[] = [
    // Waiting mails: their unsubscribe link is the only intended change (UnsubscribeLinks).
    { n: 1, status: 'queued', kind: 'reminder', contact: 1, campaign: CAMPAIGN.open, bodies: true },
    {
      n: 2,
      status: 'sending',
      kind: 'invitation',
      contact: 3,
      campaign: CAMPAIGN.open,
      bodies: true,
    },
    {
      n: 3,
      status: 'sent',
      kind: 'invitation',
      contact: 2,
      campaign: CAMPAIGN.open,
      bodies: false,
    },
    {
      n: 4,
      status: 'failed',
      kind: 'invitation',
      contact: 3,
      campaign: CAMPAIGN.closed,
      bodies: false,
    },
    {
      n: 5,
      status: 'cancelled',
      kind: 'invitation',
      contact: 5,
      campaign: CAMPAIGN.open,
      bodies: false,
    },
  ].map((o) => ({
    id: id(400 + o.n),
    campaign_id: o.campaign,
    contact_id: contact(o.contact),
    kind: o.kind,
    to_address: `persona.${o.contact}@esempio.it`,
    subject: 'Sondaggio — Servizi 2026 ✉',
    body_text: o.bodies ? queuedText(o.n) : null,
    body_html: o.bodies ? queuedHtml(o.n) : null,
    status: o.status,
    attempts: o.status === 'queued' ? 0 : 1,
    next_attempt_at: T1,
    locked_until: o.status === 'sending' ? T1 : null,
    last_error: o.status === 'failed' ? '550 mailbox unavailable — ✗' : null,
    created_at: T0,
    sent_at: o.status === 'sent' ? T1 : null,
  }));
  return [
    [
      'users',
      [
        {
          id: USERS.admin,
          email: 'admin@esempio.it',
          password_hash: '$argon2id$v=19$m=19456,t=2,p=1$YWJj$ZGVm',
          role: 'admin',
          created_at: T0,
          disabled_at: null,
          language: 'it',
          scope_unit_id: null,
        },
        {
          id: USERS.analyst,
          email: 'analista@esempio.it',
          password_hash: '$argon2id$v=19$m=19456,t=2,p=1$Z2hp$amts',
          role: 'analyst',
          created_at: T0,
          disabled_at: T1,
          language: null,
          scope_unit_id: null,
        },
      ],
    ],
    [
      'api_tokens',
      [
        {
          token_hash: hash('api-1'),
          user_id: USERS.admin,
          expires_at: '2099-01-01T00:00:00.000Z',
          created_at: T0,
        },
      ],
    ],
    [
      'sessions',
      [
        {
          id_hash: hash('s-1'),
          user_id: USERS.admin,
          created_at: T0,
          last_seen_at: T1,
          expires_at: '2099-01-01T00:00:00.000Z',
        },
        {
          id_hash: hash('s-2'),
          user_id: USERS.analyst,
          created_at: T0,
          last_seen_at: T1,
          expires_at: '2099-01-01T00:00:00.000Z',
        },
      ],
    ],
    ['settings', [{ name: 'instance', value: 'Specchio — prova ✓' }]],
    [
      'throttle_counters',
      [{ counter_key: 'token:ip:203.0.113.7', window_start: 1780000000000, hits: 3 }],
    ],
    [
      'units',
      [
        {
          id: UNITS.root,
          code: 'ROOT',
          name: 'Sede centrale — Ünità 👩🏽‍💻',
          parent_id: null,
          created_at: T0,
          updated_at: T0,
        },
        {
          id: UNITS.north,
          code: 'NORD',
          name: 'Filiale d’Aosta & Nord',
          parent_id: UNITS.root,
          created_at: T0,
          updated_at: T1,
        },
        {
          id: UNITS.south,
          code: 'SUD',
          name: '南部 Sud',
          parent_id: UNITS.root,
          created_at: T0,
          updated_at: T0,
        },
        {
          id: UNITS.aosta,
          code: 'AO-1',
          name: 'Ufficio "Aosta" <1>',
          parent_id: UNITS.north,
          created_at: T0,
          updated_at: T0,
        },
      ],
    ],
    ['contacts', contacts],
    [
      'campaigns',
      [
        campaign(CAMPAIGN.draft, 'draft', true, 'Bozza 2027'),
        campaign(CAMPAIGN.open, 'open', true, 'Servizi interni 2026 — “aperta”'),
        campaign(CAMPAIGN.closed, 'closed', false, 'Clienti 2025 ✓'),
      ],
    ],
    [
      'questions',
      [...questions(CAMPAIGN.draft), ...questions(CAMPAIGN.open), ...questions(CAMPAIGN.closed)],
    ],
    ['invitations', invitations],
    ['invitation_links', links],
    ['responses', responses],
    ['answers', answers],
    ['outbox', outbox],
    [
      'organisation_settings',
      [
        {
          id: 1,
          organisation_name: 'Acme Servizi S.p.A. — Ünicode ✓',
          sender_name: 'Ufficio Qualità',
          logo: null,
          logo_type: null,
          logo_updated_at: null,
          updated_at: T1,
        },
      ],
    ],
    [
      'campaign_mail_texts',
      [
        {
          campaign_id: CAMPAIGN.open,
          language: 'it',
          kind: 'invitation',
          subject: '{campaign} — ci dica 👋',
          body: '{greeting}\n\n{link}\n\nGrazie, {organisation}',
          updated_at: T1,
        },
      ],
    ],
  ];
}

/** Talks to one database kind in its own placeholders and introspection. */
class Probe {
  constructor(
    readonly ds: DataSource,
    readonly kind: DbKind,
  ) {}

  async tables(): Promise<string[]> {
    const rows = (await this.ds.query(
      this.kind === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    )) as Array<{ name: string }>;
    return rows
      .map((r) => r.name)
      .filter((n) => n !== 'schema_migrations')
      .sort();
  }

  async columns(table: string): Promise<string[]> {
    if (this.kind === 'sqlite')
      return ((await this.ds.query(`PRAGMA table_info(${table})`)) as Array<{ name: string }>).map(
        (c) => c.name,
      );
    return (
      (await this.ds.query(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      )) as Array<{ name: string }>
    ).map((c) => c.name);
  }

  async primaryKey(table: string): Promise<string[]> {
    if (this.kind === 'sqlite')
      return (
        (await this.ds.query(`PRAGMA table_info(${table})`)) as Array<{ name: string; pk: number }>
      )
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
    return (
      (await this.ds.query(
        `SELECT a.attname AS name FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
        [table],
      )) as Array<{ name: string }>
    ).map((c) => c.name);
  }

  async insert(table: string, row: Row, columns: string[]): Promise<void> {
    const present = columns.filter((c) => c in row);
    const values = present.map((c) => {
      const v = row[c] as Value;
      return this.kind === 'sqlite' && typeof v === 'boolean' ? (v ? 1 : 0) : v;
    });
    const marks = present.map((_, i) => (this.kind === 'sqlite' ? '?' : `$${i + 1}`));
    await this.ds.query(
      `INSERT INTO ${table} (${present.join(', ')}) VALUES (${marks.join(', ')})`,
      values,
    );
  }

  /** Every row of `table` (the given columns), ordered by its primary key. */
  async rows(table: string, columns: string[], key: string[]): Promise<Row[]> {
    return (await this.ds.query(
      `SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${key.join(', ')}`,
    )) as Row[];
  }
}

interface Snapshot {
  columns: string[];
  key: string[];
  rows: Row[];
}

/** A checksum per column over the rows in primary-key order (keys included in each item). */
function checksums(
  table: string,
  snap: Snapshot,
  normalise: (t: string, c: string, v: unknown) => unknown,
) {
  const out: Record<string, string> = { [`${table}.#rows`]: String(snap.rows.length) };
  for (const column of snap.columns) {
    const h = createHash('sha256');
    for (const row of snap.rows)
      h.update(
        JSON.stringify([snap.key.map((k) => row[k]), normalise(table, column, row[column])]),
      );
    out[`${table}.${column}`] = h.digest('hex');
  }
  return out;
}

const UNSUBSCRIBE_LINK = /\/unsubscribe\/[A-Za-z0-9_-]{43}/g;

/** The changes the later migrations are meant to make to existing values, masked for the comparison. */
const intended = (after: number) => (table: string, column: string, value: unknown) => {
  const rewritesMail = MIGRATIONS.slice(after).some(
    (m) => m.name === 'UnsubscribeLinks1796900000000',
  );
  if (
    rewritesMail &&
    table === 'outbox' &&
    (column === 'body_text' || column === 'body_html') &&
    typeof value === 'string'
  )
    return value.replace(UNSUBSCRIBE_LINK, '/unsubscribe/<token>');
  return value;
};

describe.each(dbKinds())('upgrades from every earlier release on data (%s)', (kind) => {
  it.each(MIGRATIONS.slice(1).map((m, i) => [m.name, i + 1] as const))(
    'data written before %s survives the remaining migrations',
    async (_name, cut) => {
      const db = await freshDatabase(kind);
      try {
        const config = loadConfig({ DATABASE_URL: db.url });
        const old = new DataSource({
          ...dataSourceOptions(config),
          migrations: MIGRATIONS.slice(0, cut),
        });
        await old.initialize();
        const before = new Map<string, Snapshot>();
        try {
          await old.runMigrations({ transaction: 'each' });
          const probe = new Probe(old, kind);
          const tables = new Set(await probe.tables());
          for (const [table, rows] of dataset()) {
            if (!tables.has(table)) continue;
            const columns = await probe.columns(table);
            for (const row of rows) await probe.insert(table, row, columns);
          }
          if (tables.has('campaign_units'))
            await old.query(`INSERT INTO campaign_units (campaign_id, unit_id, code, name, parent_id)
              SELECT c.id, u.id, u.code, u.name, u.parent_id FROM campaigns c CROSS JOIN units u WHERE c.status <> 'draft'`);
          if (tables.has('answer_counts'))
            await old.query(`INSERT INTO answer_counts (campaign_id, kind, question_key, unit_id, value, n)
              ${answerCountsRecountSql(kind === 'sqlite', '')}`);
          for (const table of tables) {
            const columns = await probe.columns(table);
            const key = await probe.primaryKey(table);
            before.set(table, { columns, key, rows: await probe.rows(table, columns, key) });
          }
          expect(before.get('answers')!.rows.length).toBeGreaterThan(20);
        } finally {
          await old.destroy();
        }

        expect(await runMigrations(config)).toEqual(MIGRATIONS.slice(cut).map((m) => m.name));
        expect(await runMigrations(config)).toEqual([]);

        const now = new DataSource(dataSourceOptions(config));
        await now.initialize();
        try {
          const probe = new Probe(now, kind);
          const normalise = intended(cut);
          let expected: Record<string, string> = {};
          let actual: Record<string, string> = {};
          for (const [table, snap] of before) {
            const rows = await probe.rows(table, snap.columns, snap.key);
            expected = { ...expected, ...checksums(table, snap, normalise) };
            actual = { ...actual, ...checksums(table, { ...snap, rows }, normalise) };
          }
          expect(actual).toEqual(expected);

          // No dangling reference, no constraint left unchecked.
          if (kind === 'sqlite') {
            expect(await now.query('PRAGMA foreign_key_check')).toEqual([]);
            expect(await now.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
          } else {
            expect(
              await now.query(`SELECT conname FROM pg_constraint WHERE NOT convalidated`),
            ).toEqual([]);
          }

          // The aggregates every report reads equal a recount of the answers.
          const counts = (sql: string) =>
            now.query(`SELECT campaign_id, kind, question_key, unit_id, value, n FROM (${sql}) x
              ORDER BY campaign_id, kind, question_key, unit_id, value`);
          const stored = await counts('SELECT * FROM answer_counts');
          expect(stored.length).toBeGreaterThan(0);
          expect(JSON.stringify(stored).replace(/"n":"(\d+)"/g, '"n":$1')).toBe(
            JSON.stringify(await counts(answerCountsRecountSql(kind === 'sqlite', ''))).replace(
              /"n":"(\d+)"/g,
              '"n":$1',
            ),
          );

          // The intended change: waiting mails got an unsubscribe token of their own; the survey
          // link is untouched; sent mails (no body) and other rows are as they were.
          if (before.has('outbox') && !before.has('unsubscribe_links')) {
            const waiting = (await now.query(
              `SELECT o.id AS id, o.body_text AS text, o.body_html AS html, i.id AS invitation
                 FROM outbox o JOIN invitations i ON i.campaign_id = o.campaign_id AND i.contact_id = o.contact_id
                WHERE o.status IN ('queued', 'sending') ORDER BY o.id`,
            )) as Array<{ id: string; text: string; html: string; invitation: string }>;
            expect(waiting).toHaveLength(2);
            const stored = (await now.query(
              'SELECT token_hash AS h, invitation_id AS i FROM unsubscribe_links',
            )) as Array<{ h: string; i: string }>;
            expect(stored).toHaveLength(2);
            for (const mail of waiting) {
              const [survey] = /\/s\/([A-Za-z0-9_-]{43})/.exec(mail.text)!.slice(1);
              const inText = [...mail.text.matchAll(/\/unsubscribe\/([A-Za-z0-9_-]{43})/g)].map(
                (m) => m[1],
              );
              const inHtml = [...mail.html.matchAll(/\/unsubscribe\/([A-Za-z0-9_-]{43})/g)].map(
                (m) => m[1],
              );
              expect(inText).toHaveLength(1);
              expect(inHtml).toEqual(inText);
              expect(inText[0]).not.toBe(survey);
              expect(stored).toContainEqual({ h: hash(inText[0]), i: mail.invitation });
              expect(mail.html).toContain(`/s/${survey}"`);
            }
          }
        } finally {
          await now.destroy();
        }
      } finally {
        await db.drop();
      }
    },
  );
});
