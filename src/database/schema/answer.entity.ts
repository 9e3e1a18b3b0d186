import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('answers')
export class AnswerEntity {
  @PrimaryColumn({ name: 'response_id', type: 'varchar', length: 36 })
  responseId: string;

  @PrimaryColumn({ name: 'question_key', type: 'varchar', length: 40 })
  questionKey: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @Column({ name: 'num_value', type: 'integer', nullable: true })
  numValue: number | null;

  @Column({ name: 'text_value', type: 'text', nullable: true })
  textValue: string | null;
}
