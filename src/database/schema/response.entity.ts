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
