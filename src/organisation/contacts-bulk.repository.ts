import type { EntityManager } from 'typeorm';
import { TimeSlice } from '../common/time-slice.js';
import type { ContactChange, ExistingContact, NewContact } from './contact-import.js';

/**
 * Bulk reads and writes for the contacts import (up to 100,000 lines in one transaction, inside
 * the 30-second request timeout). Entity-manager calls cost a round trip and a lot of mapping per
 * row, so these use parameterised SQL written once per database: `unnest` arrays on PostgreSQL,
 * multi-row VALUES on SQLite. No value is ever concatenated into the SQL text.
 */

// × at most 10 parameters: far below SQLite's 32,766; small enough that one statement takes a
// few milliseconds (better-sqlite3 runs it on the event loop; issue 10)
const SQLITE_ROWS = 250;
// Rows per PostgreSQL statement: its arrays are built and serialised on the event loop (issue 10).
const PG_ROWS = 2_000;

const isSqlite = (m: EntityManager) => m.connection.options.type === 'better-sqlite3';

/**
 * Between statements the event loop may breathe: 100 statements of 1,000 rows are most of a
 * second of synchronous work on SQLite (issue 10). See DEVELOPMENT.md §3 on what another request
 * may see meanwhile.
 */
const breathe = (slice: TimeSlice) => slice.breathe();

interface ContactRow {
  id: string;
  email: string;
  name: string | null;
  audience: ExistingContact['audience'];
  unit_id: string;
  language: ExistingContact['language'];
}

/** Live contacts (not erased) with one of the given e-mails, by e-mail. */
export async function findLiveByEmails(
  m: EntityManager,
  emails: readonly string[],
  slice = new TimeSlice(),
): Promise<Map<string, ExistingContact>> {
  const select =
    'SELECT id, email, name, audience, unit_id, language FROM contacts WHERE erased_at IS NULL AND';
  const out = new Map<string, ExistingContact>();
  const chunk = isSqlite(m) ? 500 : PG_ROWS;
  for (let i = 0; i < emails.length; i += chunk) {
    await breathe(slice);
    const part = emails.slice(i, i + chunk);
    const rows: ContactRow[] = isSqlite(m)
      ? await m.query(`${select} email IN (${part.map(() => '?').join(', ')})`, part)
      : await m.query(`${select} email = ANY($1::varchar[])`, [part]);
    for (const r of rows)
      out.set(r.email, {
        id: r.id,
        email: r.email,
        name: r.name,
        audience: r.audience,
        unitId: r.unit_id,
        language: r.language,
      });
  }
  return out;
}

export async function insertContacts(
  m: EntityManager,
  inserts: readonly NewContact[],
  now: string,
  slice = new TimeSlice(),
): Promise<void> {
  const columns =
    'id, email, name, audience, unit_id, language, opted_out, erased_at, created_at, updated_at';
  if (isSqlite(m)) {
    for (let i = 0; i < inserts.length; i += SQLITE_ROWS) {
      await breathe(slice);
      const part = inserts.slice(i, i + SQLITE_ROWS);
      const params = part.flatMap((c) => [
        c.id,
        c.email,
        c.name,
        c.audience,
        c.unitId,
        c.language,
        now,
        now,
      ]);
      const tuples = part.map(() => '(?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)').join(', ');
      await m.query(`INSERT INTO contacts (${columns}) VALUES ${tuples}`, params);
    }
    return;
  }
  for (let i = 0; i < inserts.length; i += PG_ROWS) {
    await breathe(slice);
    const part = inserts.slice(i, i + PG_ROWS);
    await m.query(
      `INSERT INTO contacts (${columns})
       SELECT v.id, v.email, v.name, v.audience, v.unit_id, v.language, false, NULL, $7, $7
       FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[])
         AS v(id, email, name, audience, unit_id, language)`,
      [
        part.map((c) => c.id),
        part.map((c) => c.email),
        part.map((c) => c.name),
        part.map((c) => c.audience),
        part.map((c) => c.unitId),
        part.map((c) => c.language),
        now,
      ],
    );
  }
}

/** Name, audience, unit and language of existing contacts; the opt-out flag is never touched. */
export async function updateContacts(
  m: EntityManager,
  changes: readonly ContactChange[],
  now: string,
  slice = new TimeSlice(),
): Promise<void> {
  if (isSqlite(m)) {
    for (let i = 0; i < changes.length; i += SQLITE_ROWS) {
      await breathe(slice);
      const part = changes.slice(i, i + SQLITE_ROWS);
      const params = [
        now,
        ...part.flatMap((c) => [c.id, c.name, c.audience, c.unitId, c.language]),
      ];
      const tuples = part.map(() => '(?, ?, ?, ?, ?)').join(', ');
      await m.query(
        `UPDATE contacts SET name = v.column2, audience = v.column3, unit_id = v.column4, language = v.column5,
           updated_at = ?
         FROM (VALUES ${tuples}) AS v WHERE contacts.id = v.column1`,
        params,
      );
    }
    return;
  }
  for (let i = 0; i < changes.length; i += PG_ROWS) {
    await breathe(slice);
    const part = changes.slice(i, i + PG_ROWS);
    await m.query(
      `UPDATE contacts AS c
       SET name = v.name, audience = v.audience, unit_id = v.unit_id, language = v.language, updated_at = $6
       FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[])
         AS v(id, name, audience, unit_id, language)
       WHERE c.id = v.id`,
      [
        part.map((c) => c.id),
        part.map((c) => c.name),
        part.map((c) => c.audience),
        part.map((c) => c.unitId),
        part.map((c) => c.language),
        now,
      ],
    );
  }
}
