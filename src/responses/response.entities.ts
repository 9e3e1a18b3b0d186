import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('responses')
export class ResponseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;

  /** Null for anonymous campaigns, and after the contact was erased. */
  @Column({ name: 'invitation_id', type: 'varchar', length: 36, nullable: true })
  invitationId: string | null;

  @Column({ type: 'varchar', length: 2 })
  language: string;

  /** Full timestamp for identified campaigns; the day only for anonymous ones. */
  @Column({ name: 'submitted_at', type: 'varchar', length: 30 })
  submittedAt: string;
}

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
