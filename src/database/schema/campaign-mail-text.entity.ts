import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A campaign's own subject and plain-text body of one mail kind in one language. */
@Entity('campaign_mail_texts')
export class CampaignMailTextEntity {
  @PrimaryColumn({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  language: string;

  @PrimaryColumn({ type: 'varchar', length: 12 })
  kind: 'invitation' | 'reminder';

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt: string;
}
