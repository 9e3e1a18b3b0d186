import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('invitation_links')
export class InvitationLinkEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'invitation_id', type: 'varchar', length: 36 })
  invitationId: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;
}
