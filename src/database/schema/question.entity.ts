import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { QuestionType } from '../../domain/questions.js';

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
