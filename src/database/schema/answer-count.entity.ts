import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One count of `answer_counts` (src/database/answer-counts.ts has the kinds): kept by the answering
 * transaction with raw upserts, read by the report and linkage repositories with raw SQL.
 */
@Entity('answer_counts')
export class AnswerCountEntity {
  @PrimaryColumn({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @PrimaryColumn({ type: 'varchar', length: 4 })
  kind: string;

  @PrimaryColumn({ name: 'question_key', type: 'varchar', length: 40 })
  questionKey: string;

  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;

  @PrimaryColumn({ type: 'text' })
  value: string;

  @Column({ type: 'integer' })
  n: number;
}
