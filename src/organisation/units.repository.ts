import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { iso } from '../common/clock.js';
import { DomainError, ErrorCode, invalid } from '../common/domain-error.js';
import { isForeignKeyViolation, isUniqueViolation } from '../common/driver-errors.js';
import { Db } from '../database/db.js';
import { TimeSlice } from '../common/time-slice.js';
import { english, remember } from './problems.js';
import type { TreeUnit, UnitWrite } from './unit-tree.js';
import { ContactEntity } from '../database/schema/contact.entity.js';
import { QuestionEntity } from '../database/schema/question.entity.js';
import { ResponseEntity } from '../database/schema/response.entity.js';
import { UnitEntity } from '../database/schema/unit.entity.js';

export interface UnitUsage {
  children: number;
  contacts: number;
  responses: number;
  questions: number;
}

const CHUNK = 500;

@Injectable()
export class UnitsRepository {
  constructor(private readonly db: Db) {}

  all(): Promise<UnitEntity[]> {
    return this.db.manager.find(UnitEntity, { order: { code: 'ASC' } });
  }

  findByCode(code: string): Promise<UnitEntity | null> {
    return this.db.manager.findOneBy(UnitEntity, { code });
  }

  async findByIds(ids: readonly string[]): Promise<UnitEntity[]> {
    const unique = [...new Set(ids)];
    const out: UnitEntity[] = [];
    for (let i = 0; i < unique.length; i += CHUNK)
      out.push(
        ...(await this.db.manager.findBy(UnitEntity, { id: In(unique.slice(i, i + CHUNK)) })),
      );
    return out;
  }

  /**
   * Loads every unit, lets `plan` decide (a pure function that may throw a DomainError) and
   * writes what it returns, all in one transaction. A dry run only plans.
   *
   * `plan` may be async only to pause between slices of its own work (`TimeSlice`, so a
   * 100,000-line plan does not stop the server): it does no I/O, and it runs before the
   * transaction writes anything, so a request served meanwhile sees nothing uncommitted.
   */
  async plan<P extends { writes: UnitWrite[] }>(
    plan: (units: TreeUnit[]) => P | Promise<P>,
    dryRun = false,
  ): Promise<P> {
    if (dryRun) return plan(await allUnits(this.db.manager));
    try {
      return await this.db.write(async (m) => {
        const decided = await plan(await allUnits(m));
        await applyWrites(m, decided.writes);
        return decided;
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw remember(new DomainError(ErrorCode.UnitCodeTaken, english('unitCodeTakenPlain')), [
          { key: 'unitCodeTakenPlain' },
        ]);
      if (isForeignKeyViolation(err))
        throw remember(invalid(english('parentRemoved')), [{ key: 'parentRemoved' }]);
      throw err;
    }
  }

  /** Deletes the unit when nothing refers to it; otherwise says what does. Null: no such unit. */
  async deleteIfUnused(
    code: string,
  ): Promise<{ deleted: true } | { deleted: false; usage: UnitUsage } | null> {
    try {
      return await this.db.write(async (m) => {
        const unit = await m.findOneBy(UnitEntity, { code });
        if (!unit) return null;
        const usage: UnitUsage = {
          children: await m.countBy(UnitEntity, { parentId: unit.id }),
          contacts: await m.countBy(ContactEntity, { unitId: unit.id }),
          responses: await m.countBy(ResponseEntity, { unitId: unit.id }),
          questions: await m.countBy(QuestionEntity, { providerUnitId: unit.id }),
        };
        if (Object.values(usage).some((n) => n > 0)) return { deleted: false as const, usage };
        await m.delete(UnitEntity, { id: unit.id });
        return { deleted: true as const };
      });
    } catch (err) {
      if (isForeignKeyViolation(err))
        throw new DomainError(ErrorCode.UnitInUse, 'The unit is still in use');
      throw err;
    }
  }
}

/** Rows per read of `allUnits` on SQLite: a few milliseconds of work each. */
const READ_PAGE = 2_000;

/**
 * Every unit (the tree an import or an edit is planned on) as plain rows: mapping 100,000
 * entities held the event loop for most of a second (issue 10). PostgreSQL: one statement (one
 * snapshot; the driver reads the rows as they arrive). SQLite, whose driver reads a result in one
 * synchronous call: pages of codes with pauses between them; inside a write transaction (the
 * mutex held, one connection) they are one consistent read, and a dry run's plan is checked again
 * inside the transaction of the import it previews.
 */
async function allUnits(m: EntityManager): Promise<TreeUnit[]> {
  const sqlite = m.connection.options.type === 'better-sqlite3';
  const slice = new TimeSlice();
  const out: TreeUnit[] = [];
  for (let after = ''; ;) {
    if (slice.due()) await slice.pause();
    const rows: Array<{ id: string; code: string; name: string; parent_id: string | null }> = sqlite
      ? await m.query(
          `SELECT id, code, name, parent_id FROM units WHERE code > ? ORDER BY code LIMIT ${READ_PAGE}`,
          [after],
        )
      : await m.query('SELECT id, code, name, parent_id FROM units ORDER BY code');
    for (const r of rows) {
      if (slice.due()) await slice.pause();
      out.push({ id: r.id, code: r.code, name: r.name, parentId: r.parent_id });
    }
    if (!sqlite || rows.length < READ_PAGE) return out;
    after = rows[rows.length - 1].code;
  }
}

/**
 * The plan's writes, in order. Between statements it lets the event loop breathe (a 100,000-unit
 * import is a thousand statements, seconds of synchronous work on SQLite; issue 10): see
 * DEVELOPMENT.md §3 on what another request may see meanwhile.
 */
async function applyWrites(m: EntityManager, writes: readonly UnitWrite[]): Promise<void> {
  const now = iso();
  const slice = new TimeSlice();
  let batch: UnitEntity[] = [];
  const flush = async () => {
    if (batch.length) await m.insert(UnitEntity, batch);
    batch = [];
  };
  for (const w of writes) {
    if (slice.due()) await slice.pause();
    if (w.op === 'insert') {
      batch.push({ ...w.unit, createdAt: now, updatedAt: now });
      if (batch.length >= 100) await flush();
      continue;
    }
    await flush();
    await m.update(
      UnitEntity,
      { id: w.id },
      { name: w.name, parentId: w.parentId, updatedAt: now },
    );
  }
  await flush();
}
