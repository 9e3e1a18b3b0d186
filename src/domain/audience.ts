/** Who a contact or a campaign addresses: colleagues (internal) or buyers (external). */
export type Audience = 'internal' | 'external';
export const AUDIENCES: readonly Audience[] = ['internal', 'external'];
