import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The opt-out token of one mail (issue 10): only its SHA-256 is stored, like the survey link's.
 * It opts out and does nothing else: the survey looks tokens up in invitation_links only.
 */
@Entity('unsubscribe_links')
export class UnsubscribeLinkEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'invitation_id', type: 'varchar', length: 36 })
  invitationId: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;
}
