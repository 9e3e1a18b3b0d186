import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { DomainError, ErrorCode, invalid } from '../common/domain-error.js';
import { isForeignKeyViolation, isUniqueViolation } from '../common/driver-errors.js';
import { Db } from '../database/db.js';
import { TimeSlice } from '../common/time-slice.js';
import type { ContactImportPlan, ExistingContact } from './contact-import.js';
import { findLiveByEmails, insertContacts, updateContacts } from './contacts-bulk.repository.js';
import { english, fieldProblem, remember } from './problems.js';
import { ContactEntity } from '../database/schema/contact.entity.js';
import { InvitationEntity } from '../database/schema/invitation.entity.js';
import { OutboxEntity } from '../database/schema/outbox.entity.js';
import { cancelQueued } from '../database/waiting-mail.js';
import { ResponseEntity } from '../database/schema/response.entity.js';
import type { Audience } from '../domain/audience.js';

export interface ContactFilter {
  audience?: Audience;
  unitId?: string;
  /** Part of the name or e-mail address, any case. */
  search?: string;
}

export type ContactPatch = Partial<
  Pick<ContactEntity, 'name' | 'audience' | 'unitId' | 'language' | 'optedOut'>
>;

export interface ContactImportState {
  unitIdByCode: Map<string, string>;
  existingByEmail: Map<string, ExistingContact>;
}

/** Contacts; erased contacts (e-mail and name gone) are invisible to every read here. */
@Injectable()
export class ContactsRepository {
  constructor(private readonly db: Db) {}

  findLive(id: string): Promise<ContactEntity | null> {
    return this.db.manager.findOneBy(ContactEntity, { id, erasedAt: IsNull() });
  }

  async page(
    filter: ContactFilter,
    offset: number,
    limit: number,
  ): Promise<{ items: ContactEntity[]; total: number }> {
    const query = this.db.manager
      .createQueryBuilder(ContactEntity, 'c')
      .where('c.erasedAt IS NULL');
    if (filter.audience) query.andWhere('c.audience = :audience', { audience: filter.audience });
    if (filter.unitId) query.andWhere('c.unitId = :unitId', { unitId: filter.unitId });
    if (filter.search) {
      const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      query.andWhere(
        "(LOWER(c.email) LIKE :pattern ESCAPE '\\' OR LOWER(c.name) LIKE :pattern ESCAPE '\\')",
        { pattern },
      );
    }
    const [items, total] = await query
      .orderBy('c.email', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    return { items, total };
  }

  async insert(contact: ContactEntity): Promise<void> {
    try {
      await this.db.write((m) => m.insert(ContactEntity, contact).then(() => undefined));
    } catch (err) {
      throw translate(err);
    }
  }

  /** False when the contact does not exist or was erased meanwhile. */
  async update(id: string, patch: ContactPatch, updatedAt: string): Promise<boolean> {
    try {
      const result = await this.db.write((m) =>
        m.update(ContactEntity, { id, erasedAt: IsNull() }, { ...patch, updatedAt }),
      );
      return (result.affected ?? 0) > 0;
    } catch (err) {
      throw translate(err);
    }
  }

  /**
   * Erasure, in one transaction: the contact keeps only its id, audience and unit; responses
   * given through its invitations stay but lose the link; its mail that is still waiting is
   * cancelled and every outbox row forgets the address and the bodies. False: no live contact.
   */
  erase(id: string, now: string): Promise<boolean> {
    return this.db.write(async (m) => {
      const erased = await m.update(
        ContactEntity,
        { id, erasedAt: IsNull() },
        { email: null, name: null, optedOut: true, erasedAt: now, updatedAt: now },
      );
      if (!erased.affected) return false;
      const invitations = m
        .createQueryBuilder()
        .subQuery()
        .select('i.id')
        .from(InvitationEntity, 'i')
        .where('i.contact_id = :contactId')
        .getQuery();
      await m
        .createQueryBuilder()
        .update(ResponseEntity)
        .set({ invitationId: null })
        .where(`invitation_id IN ${invitations}`, { contactId: id })
        .execute();
      await cancelQueued(m, { contactIds: [id], claimed: true });
      await m.update(
        OutboxEntity,
        { contactId: id },
        { toAddress: 'erased', bodyText: null, bodyHtml: null, lastError: null, contactId: null },
      );
      return true;
    });
  }

  /**
   * Loads what an import needs (all unit codes, the live contacts with the file's e-mails), lets
   * `plan` decide and writes its inserts and changes, all in one transaction. A dry run only plans.
   */
  async importContacts<P extends ContactImportPlan>(
    emails: readonly string[],
    plan: (state: ContactImportState) => P | Promise<P>,
    now: string,
    dryRun: boolean,
  ): Promise<P> {
    if (dryRun) return plan(await loadImportState(this.db.manager, emails));
    try {
      return await this.db.write(async (m) => {
        // `plan` pauses between slices of its pure work (see UnitsRepository.plan), before any write.
        const decided = await plan(await loadImportState(m, emails));
        await insertContacts(m, decided.inserts, now);
        await updateContacts(m, decided.updates, now);
        return decided;
      });
    } catch (err) {
      throw translate(err, 'emailAddedMeanwhile');
    }
  }
}

const isSqliteManager = (m: EntityManager) => m.connection.options.type === 'better-sqlite3';

async function loadImportState(
  m: EntityManager,
  emails: readonly string[],
): Promise<ContactImportState> {
  const unitIdByCode = new Map<string, string>();
  const slice = new TimeSlice();
  // Plain rows, by pages with pauses on SQLite (100,000 units mapped at once held the event loop;
  // issue 10); one statement on PostgreSQL, whose driver reads the rows as they arrive.
  const sqlite = isSqliteManager(m);
  for (let after = ''; ;) {
    if (slice.due()) await slice.pause();
    const rows: Array<{ id: string; code: string }> = sqlite
      ? await m.query('SELECT id, code FROM units WHERE code > ? ORDER BY code LIMIT 2000', [after])
      : await m.query('SELECT id, code FROM units');
    for (const r of rows) unitIdByCode.set(r.code, r.id);
    if (!sqlite || rows.length < 2000) break;
    after = rows[rows.length - 1].code;
  }
  return {
    unitIdByCode,
    existingByEmail: await findLiveByEmails(m, emails),
  };
}

function translate(err: unknown, duplicate = 'contactEmailTaken'): unknown {
  if (isUniqueViolation(err))
    return remember(new DomainError(ErrorCode.ContactEmailTaken, english(duplicate)), [
      { key: duplicate },
    ]);
  if (isForeignKeyViolation(err))
    return invalid('Unknown unit', [fieldProblem('unitCode', 'unitMissing')]);
  return err;
}
