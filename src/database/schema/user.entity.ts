import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '../../domain/roles.js';

@Entity('users')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  /** Set while the user is disabled: no sign-in, no session, no API token is accepted. */
  @Column({ name: 'disabled_at', type: 'varchar', length: 30, nullable: true })
  disabledAt: string | null;

  /** The interface language the user chose (en, it); NULL: the browser's Accept-Language. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  language: string | null;

  /** Managers only: the unit whose subtree their reports are limited to (NULL for other roles). */
  @Column({ name: 'scope_unit_id', type: 'varchar', length: 36, nullable: true })
  scopeUnitId: string | null;
}
