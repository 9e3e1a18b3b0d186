import { Injectable } from '@nestjs/common';
import { newId } from '../common/crypto.js';
import {
  DomainError,
  ErrorCode,
  type FieldError,
  invalid,
  notFound,
} from '../common/domain-error.js';
import { mapUnit, type UnitView } from './organisation.dto.js';
import { checkName, checkUnitCode, echo, UNIT_CODE } from './organisation.rules.js';
import { english, fieldProblem, remember } from './problems.js';
import { type TreeNode, treeOrder, type TreeUnit, wouldCreateCycle } from './unit-tree.js';
import { UnitsRepository, type UnitUsage } from './units.repository.js';
import type { UnitEntity } from '../database/schema/unit.entity.js';

/** The unit tree: create, rename, move (never into a cycle), delete (only when unused). */
@Injectable()
export class UnitsService {
  constructor(private readonly units: UnitsRepository) {}

  async list(): Promise<UnitView[]> {
    const all = await this.units.all();
    const codeOf = new Map(all.map((u) => [u.id, u.code]));
    return all.map((u) => mapUnit(u, (u.parentId && codeOf.get(u.parentId)) || null));
  }

  /** Every unit in reading order (parents before their children), with its depth. */
  async tree(): Promise<TreeNode<UnitEntity>[]> {
    return treeOrder(await this.units.all());
  }

  async get(code: string): Promise<UnitView> {
    const unit = UNIT_CODE.test(code) ? await this.units.findByCode(code) : null;
    if (!unit) throw unitNotFound();
    const parent = unit.parentId ? (await this.units.findByIds([unit.parentId]))[0] : undefined;
    return mapUnit(unit, parent?.code ?? null);
  }

  async create(input: { code?: unknown; name?: unknown; parentCode?: unknown }): Promise<UnitView> {
    const errors: FieldError[] = [];
    const code = checkUnitCode(input.code);
    const name = checkName(input.name);
    const parent = isBlank(input.parentCode) ? null : checkUnitCode(input.parentCode, 'parentCode');
    for (const c of [code, name, parent]) if (c && !c.ok) errors.push(c.error);
    if (!code.ok || !name.ok || (parent && !parent.ok)) throw invalid('Validation failed', errors);
    const parentCode = parent?.value ?? null;
    const id = newId();
    await this.units.plan((units) => {
      if (units.some((u) => u.code === code.value))
        throw remember(
          new DomainError(
            ErrorCode.UnitCodeTaken,
            english('unitCodeTaken', { value: echo(code.value) }),
          ),
          [{ key: 'unitCodeTaken', vars: { value: echo(code.value) } }],
        );
      const parentId = parentCode === null ? null : findParent(units, parentCode).id;
      return {
        writes: [{ op: 'insert', unit: { id, code: code.value, name: name.value, parentId } }],
      };
    });
    return mapUnit({ id, code: code.value, name: name.value }, parentCode);
  }

  /** `parentCode`: undefined keeps the parent, null or "" makes the unit a root. */
  async update(code: string, patch: { name?: unknown; parentCode?: unknown }): Promise<UnitView> {
    const name = patch.name === undefined ? undefined : checkName(patch.name);
    const parent =
      patch.parentCode === undefined
        ? undefined
        : isBlank(patch.parentCode)
          ? null
          : checkUnitCode(patch.parentCode, 'parentCode');
    const errors = [name, parent].flatMap((c) => (c && !c.ok ? [c.error] : []));
    if (errors.length) throw invalid('Validation failed', errors);
    const { view } = await this.units.plan((units) => {
      const unit = units.find((u) => u.code === code);
      if (!unit) throw unitNotFound();
      let parentId = unit.parentId;
      if (parent === null) parentId = null;
      else if (parent?.ok) {
        const target = findParent(units, parent.value);
        if (wouldCreateCycle(units, unit.id, target.id))
          throw invalid('The move would create a cycle', [fieldProblem('parentCode', 'cycleMove')]);
        parentId = target.id;
      }
      const newName = name?.ok ? name.value : unit.name;
      const parentCode = (parentId && units.find((u) => u.id === parentId)?.code) || null;
      return {
        writes: [{ op: 'update' as const, id: unit.id, name: newName, parentId }],
        view: mapUnit({ ...unit, name: newName }, parentCode),
      };
    });
    return view;
  }

  async remove(code: string): Promise<void> {
    const result = UNIT_CODE.test(code) ? await this.units.deleteIfUnused(code) : null;
    if (!result) throw unitNotFound();
    if (!result.deleted) throw new UnitInUse(result.usage);
  }
}

/** A unit that still has something under or in it; the pages say what, in their language. */
export class UnitInUse extends DomainError {
  constructor(readonly usage: UnitUsage) {
    super(ErrorCode.UnitInUse, `The unit is still in use: ${describeUsage(usage)}`);
  }
}

const unitNotFound = () => notFound('Unit', ErrorCode.UnitNotFound);

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function findParent(units: readonly TreeUnit[], parentCode: string): TreeUnit {
  const parent = units.find((u) => u.code === parentCode);
  if (!parent)
    throw invalid('Unknown parent unit', [
      fieldProblem('parentCode', 'unknownUnit', { value: echo(parentCode) }),
    ]);
  return parent;
}

function describeUsage(usage: UnitUsage): string {
  const parts: string[] = [];
  if (usage.children) parts.push(`${usage.children} child unit(s)`);
  if (usage.contacts) parts.push(`${usage.contacts} contact(s)`);
  if (usage.responses) parts.push(`${usage.responses} response(s)`);
  if (usage.questions) parts.push(`${usage.questions} campaign question(s)`);
  return parts.join(', ');
}
