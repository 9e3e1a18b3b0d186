import { Column, Entity, PrimaryColumn } from 'typeorm';

export type Audience = 'internal' | 'external';
export const AUDIENCES: readonly Audience[] = ['internal', 'external'];
export type Language = 'en' | 'it';
export const LANGUAGES: readonly Language[] = ['en', 'it'];

@Entity('units')
export class UnitEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt: string;
}

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
