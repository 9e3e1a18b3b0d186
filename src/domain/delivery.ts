/** Where an invitation and an outgoing message stand. */
export type InvitationStatus = 'created' | 'sent' | 'opened' | 'answered' | 'bounced';
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
