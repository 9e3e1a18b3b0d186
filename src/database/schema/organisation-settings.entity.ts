import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The organisation's one settings row (id = 1): names shown to respondents and the logo. */
@Entity('organisation_settings')
export class OrganisationSettingsEntity {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'organisation_name', type: 'varchar', length: 120, nullable: true })
  organisationName: string | null;

  @Column({ name: 'sender_name', type: 'varchar', length: 80, nullable: true })
  senderName: string | null;

  // The logo's bytes sit in column `logo` (BLOB on SQLite, bytea on PostgreSQL): no one TypeORM
  // column type fits both, so only the repository reads and writes them, by SQL.

  @Column({ name: 'logo_type', type: 'varchar', length: 20, nullable: true })
  logoType: string | null;

  @Column({ name: 'logo_updated_at', type: 'varchar', length: 30, nullable: true })
  logoUpdatedAt: string | null;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt: string;
}
