import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Audience } from '../../domain/audience.js';
import type { CampaignStatus } from '../../domain/campaign-status.js';

@Entity('campaigns')
export class CampaignEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  audience: Audience;

  @Column({ type: 'varchar', length: 40 })
  wave: string;

  @Column({ type: 'boolean' })
  anonymous: boolean;

  /** Comma-separated language codes, first is the default. */
  @Column({ type: 'varchar', length: 20 })
  languages: string;

  @Column({ type: 'varchar', length: 40 })
  headline: string;

  @Column({ type: 'varchar', length: 10 })
  status: CampaignStatus;

  @Column({ name: 'closes_at', type: 'varchar', length: 30, nullable: true })
  closesAt: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'launched_at', type: 'varchar', length: 30, nullable: true })
  launchedAt: string | null;

  @Column({ name: 'closed_at', type: 'varchar', length: 30, nullable: true })
  closedAt: string | null;
}
