import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Audience } from '../organisation/organisation.entities.js';

export type CampaignStatus = 'draft' | 'open' | 'closed';
export type QuestionType = 'nps' | 'csat' | 'ces' | 'likert' | 'choice' | 'text';

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

@Entity('questions')
export class QuestionEntity {
  @PrimaryColumn({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @PrimaryColumn({ name: 'question_key', type: 'varchar', length: 40 })
  key: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 10 })
  type: QuestionType;

  @Column({ type: 'boolean' })
  required: boolean;

  @Column({ type: 'boolean' })
  multiple: boolean;

  @Column({ name: 'provider_unit_id', type: 'varchar', length: 36, nullable: true })
  providerUnitId: string | null;

  @Column({ name: 'text_json', type: 'text' })
  textJson: string;

  @Column({ name: 'options_json', type: 'text', nullable: true })
  optionsJson: string | null;
}
