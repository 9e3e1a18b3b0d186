import { Injectable } from '@nestjs/common';
import { iso } from '../common/clock.js';
import { newId } from '../common/crypto.js';
import { ErrorCode, type FieldError, invalid, notFound } from '../common/domain-error.js';
import { type ContactPatch, ContactsRepository } from './contacts.repository.js';
import { type ContactPageView, type ContactView, mapContact } from './organisation.dto.js';
import {
  checkAudience,
  checkContactFields,
  checkLanguage,
  checkName,
  checkUnitCode,
  echo,
} from './organisation.rules.js';
import { fieldProblem } from './problems.js';
import { UnitsRepository } from './units.repository.js';
import type { ContactEntity } from '../database/schema/contact.entity.js';
import type { UnitEntity } from '../database/schema/unit.entity.js';
import type { Audience } from '../domain/audience.js';

export const DEFAULT_PAGE_SIZE = 50;

const contactNotFound = () => notFound('Contact', ErrorCode.ContactNotFound);

/** Ids are UUIDs; anything else cannot name a contact (and never reaches a query). */
const isId = (id: string): boolean => /^[0-9A-Fa-f-]{36}$/.test(id);

/** Contacts one at a time: create, list, change, erase (personal data removed, answers kept). */
@Injectable()
export class ContactsService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly units: UnitsRepository,
  ) {}

  async create(input: {
    email?: unknown;
    name?: unknown;
    audience?: unknown;
    unitCode?: unknown;
    language?: unknown;
  }): Promise<ContactView> {
    const { value, errors } = checkContactFields(input);
    if (!value) throw invalid('Validation failed', errors);
    const unit = await this.unitByCode(value.unitCode);
    const now = iso();
    const contact: ContactEntity = {
      id: newId(),
      email: value.email,
      name: value.name,
      audience: value.audience,
      unitId: unit.id,
      language: value.language,
      optedOut: false,
      erasedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.contacts.insert(contact);
    return mapContact(contact, unit.code);
  }

  /** Erased contacts are left out (they have nothing left to show). An unknown unit lists nothing. */
  async list(query: {
    audience?: Audience;
    unitCode?: string;
    q?: string;
    page?: number;
    pageSize?: number;
  }): Promise<ContactPageView> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    let unitId: string | undefined;
    if (query.unitCode !== undefined) {
      const unit = await this.units.findByCode(query.unitCode.trim());
      if (!unit) return { items: [], total: 0, page, pageSize };
      unitId = unit.id;
    }
    const { items, total } = await this.contacts.page(
      { audience: query.audience, unitId, search: query.q?.trim() || undefined },
      (page - 1) * pageSize,
      pageSize,
    );
    const codeOf = new Map(
      (await this.units.findByIds(items.map((c) => c.unitId))).map((u) => [u.id, u.code]),
    );
    return {
      items: items.map((c) => mapContact(c, codeOf.get(c.unitId) ?? '')),
      total,
      page,
      pageSize,
    };
  }

  async get(id: string): Promise<ContactView> {
    const contact = isId(id) ? await this.contacts.findLive(id) : null;
    if (!contact) throw contactNotFound();
    const [unit] = await this.units.findByIds([contact.unitId]);
    return mapContact(contact, unit?.code ?? '');
  }

  async update(
    id: string,
    input: {
      name?: unknown;
      audience?: unknown;
      unitCode?: unknown;
      language?: unknown;
      optedOut?: boolean;
    },
  ): Promise<ContactView> {
    const errors: FieldError[] = [];
    const patch: ContactPatch = {};
    const take = <T>(
      checked: { ok: true; value: T } | { ok: false; error: FieldError },
      set: (v: T) => void,
    ) => (checked.ok ? set(checked.value) : errors.push(checked.error));
    if (input.name !== undefined) take(checkName(input.name), (v) => (patch.name = v));
    if (input.audience !== undefined)
      take(checkAudience(input.audience), (v) => (patch.audience = v));
    if (input.language !== undefined)
      take(checkLanguage(input.language), (v) => (patch.language = v));
    let unitCode: string | undefined;
    if (input.unitCode !== undefined)
      take(checkUnitCode(input.unitCode, 'unitCode'), (v) => (unitCode = v));
    if (input.optedOut !== undefined) patch.optedOut = input.optedOut;
    if (errors.length) throw invalid('Validation failed', errors);
    if (!isId(id) || !(await this.contacts.findLive(id))) throw contactNotFound();
    if (unitCode !== undefined) patch.unitId = (await this.unitByCode(unitCode)).id;
    if (Object.keys(patch).length && !(await this.contacts.update(id, patch, iso())))
      throw contactNotFound();
    return this.get(id);
  }

  /** Personal data removed for good; see ContactsRepository.erase. A second erase is a 404. */
  async erase(id: string): Promise<void> {
    if (!isId(id) || !(await this.contacts.erase(id, iso()))) throw contactNotFound();
  }

  private async unitByCode(code: string): Promise<UnitEntity> {
    const unit = await this.units.findByCode(code);
    if (!unit)
      throw invalid('Unknown unit', [
        fieldProblem('unitCode', 'unknownUnit', { value: echo(code) }),
      ]);
    return unit;
  }
}
