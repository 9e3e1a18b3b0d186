import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { InvitationStatus } from '../../domain/delivery.js';

@Entity('invitations')
export class InvitationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @Column({ name: 'contact_id', type: 'varchar', length: 36 })
  contactId: string;

  @Column({ type: 'varchar', length: 10 })
  status: InvitationStatus;

  @Column({ type: 'boolean' })
  answered: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'sent_at', type: 'varchar', length: 30, nullable: true })
  sentAt: string | null;

  @Column({ name: 'opened_at', type: 'varchar', length: 30, nullable: true })
  openedAt: string | null;

  @Column({ name: 'answered_at', type: 'varchar', length: 30, nullable: true })
  answeredAt: string | null;

  @Column({ name: 'reminded_at', type: 'varchar', length: 30, nullable: true })
  remindedAt: string | null;

  @Column({ type: 'integer' })
  reminders: number;
}
