import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Audience } from '../../domain/audience.js';
import type { Language } from '../../domain/language.js';

@Entity('contacts')
export class ContactEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 16 })
  audience: Audience;

  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;

  @Column({ type: 'varchar', length: 2 })
  language: Language;

  @Column({ name: 'opted_out', type: 'boolean' })
  optedOut: boolean;

  @Column({ name: 'erased_at', type: 'varchar', length: 30, nullable: true })
  erasedAt: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt: string;
}
