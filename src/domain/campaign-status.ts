/** A campaign is built as a draft, answered while open, reported on when closed. */
export type CampaignStatus = 'draft' | 'open' | 'closed';
