import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Audience } from '../../domain/audience.js';
import type { CampaignStatus } from '../../domain/campaign-status.js';

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

  /**
   * When a draft opens by itself (issue 8, "scheduled"); null: launched by hand. The properties
   * below are optional in TypeScript only because the database gives every one a default.
   */
  @Column({ name: 'opens_at', type: 'varchar', length: 30, nullable: true })
  opensAt?: string | null;

  /** Automatic reminders: the first this many days after launch, then every this many days. */
  @Column({ name: 'reminder_after_days', type: 'integer', nullable: true })
  reminderAfterDays?: number | null;

  /** Automatic reminders: at most this many rounds (null with reminderAfterDays: no plan). */
  @Column({ name: 'reminder_max', type: 'integer', nullable: true })
  reminderMax?: number | null;

  /** Automatic rounds sent so far (claimed by a conditional UPDATE before each is sent). */
  @Column({ name: 'auto_reminders', type: 'integer', default: 0 })
  autoReminders?: number;

  @Column({ name: 'last_auto_reminder_at', type: 'varchar', length: 30, nullable: true })
  lastAutoReminderAt?: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ name: 'launched_at', type: 'varchar', length: 30, nullable: true })
  launchedAt: string | null;

  @Column({ name: 'closed_at', type: 'varchar', length: 30, nullable: true })
  closedAt: string | null;

  /** The close digest's recipients (issue 9): a JSON array of user ids; null: nobody. */
  @Column({ name: 'digest_recipients', type: 'text', nullable: true })
  digestRecipients?: string | null;

  /** When the close digest was claimed for sending (exactly once); null: not yet. */
  @Column({ name: 'digest_sent_at', type: 'varchar', length: 30, nullable: true })
  digestSentAt?: string | null;
}
