import { Injectable } from '@nestjs/common';
import { iso, isoIn } from '../common/clock.js';
import { newId } from '../common/crypto.js';
import { DomainError, ErrorCode, invalid, notFound } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { InvitationsRepository } from './invitations.repository.js';
import { issueLink, type LinkRows } from './links.js';
import { MailComposer } from './mail-composer.service.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { ContactEntity } from '../database/schema/contact.entity.js';
import type { InvitationEntity } from '../database/schema/invitation.entity.js';
import type { OutboxEntity } from '../database/schema/outbox.entity.js';

/** Why a selected contact got no invitation. These exact strings are part of the API. */
export const SKIP_REASONS = {
  unknownContact: 'unknown contact',
  wrongAudience: 'wrong audience',
  erased: 'erased',
  optedOut: 'opted out',
  alreadyInvited: 'already invited',
  fatigue: (days: number) => `fatigue: invited to another campaign within ${days} days`,
} as const;

export interface InvitationSelection {
  contactIds?: string[];
  unitCodes?: string[];
  all?: boolean;
}

export interface Skipped {
  contactId: string;
  reason: string;
}

export interface CreatedInvitation {
  contactId: string;
  email: string;
  url: string;
}

export interface InvitationResult {
  created: number;
  skipped: Skipped[];
  invitations: CreatedInvitation[];
}

const MAX_ATTEMPTS = 3;
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * Creates invitations for a campaign. A selection is the union of explicit contact ids, units
 * (each with its whole subtree) and `all` (the campaign's audience). Each invitation gets a link
 * whose raw token is returned once; when the campaign is open its mail is queued in the same
 * transaction (a draft's invitations are mailed by the sweep once the campaign opens).
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly repo: InvitationsRepository,
    private readonly composer: MailComposer,
    private readonly config: AppConfig,
  ) {}

  async invite(campaignId: string, selection: InvitationSelection): Promise<InvitationResult> {
    if (!selection.contactIds && !selection.unitCodes && selection.all !== true) {
      throw invalid('Select contacts with contactIds, unitCodes or all: true', [
        { field: 'contactIds', message: 'give contactIds, unitCodes or all: true' },
      ]);
    }
    // A concurrent request may invite the same contacts between our reads and our write (the
    // unique constraint then rolls our batch back), or the campaign may open or close meanwhile:
    // planning again reports them as skipped, queues the mails, or refuses with 409.
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await this.tryInvite(campaignId, selection);
      if (result) return result;
    }
    throw new DomainError(
      ErrorCode.InvitationsContended,
      'Invitations for this campaign are being created concurrently; please retry',
    );
  }

  private async tryInvite(
    campaignId: string,
    selection: InvitationSelection,
  ): Promise<InvitationResult | null> {
    const campaign = isUuid(campaignId) ? await this.repo.findCampaign(campaignId) : null;
    if (!campaign) throw notFound('Campaign', ErrorCode.CampaignNotFound);
    if (campaign.status === 'closed')
      throw new DomainError(ErrorCode.CampaignClosed, 'The campaign is closed');

    const candidates = await this.select(campaign, selection);
    const { eligible, skipped } = await this.screen(campaign, candidates);

    const now = iso();
    const invitations: InvitationEntity[] = [];
    const links: LinkRows[] = [];
    const mails: OutboxEntity[] = [];
    const created: CreatedInvitation[] = [];
    const mail = await this.composer.forCampaign(campaign);
    for (const contact of eligible) {
      const invitation = newInvitation(campaign.id, contact.id, now);
      const link = issueLink(invitation.id, now);
      invitations.push(invitation);
      links.push(link.rows);
      if (campaign.status === 'open') {
        mails.push(mail.queued('invitation', contact, link, now));
      }
      created.push({
        contactId: contact.id,
        email: contact.email ?? '',
        url: this.composer.surveyUrl(link.token),
      });
    }
    if (invitations.length) {
      const outcome = await this.repo.insertInvitations(campaign.id, {
        plannedFor: campaign.status,
        invitations,
        links,
        mails,
      });
      if (outcome === 'missing') throw notFound('Campaign', ErrorCode.CampaignNotFound);
      if (outcome !== 'ok') return null; // duplicate or status changed: plan again
    }
    return { created: created.length, skipped, invitations: created };
  }

  /** The selected contacts in a stable order, each once; null for an id that does not exist. */
  private async select(
    campaign: CampaignEntity,
    selection: InvitationSelection,
  ): Promise<Map<string, ContactEntity | null>> {
    const out = new Map<string, ContactEntity | null>();
    if (selection.contactIds?.length) {
      const ids = [...new Set(selection.contactIds.map((id) => id.toLowerCase()))];
      const found = new Map(
        (await this.repo.contactsByIds(ids)).map((c) => [c.id.toLowerCase(), c]),
      );
      for (const id of ids) out.set(found.get(id)?.id ?? id, found.get(id) ?? null);
    }
    if (selection.unitCodes?.length) {
      const unitIds = await this.unitSubtrees(selection.unitCodes);
      for (const c of await this.repo.contactsInUnits(campaign.audience, unitIds)) {
        if (!out.has(c.id)) out.set(c.id, c);
      }
    }
    if (selection.all === true) {
      for (const c of await this.repo.contactsOfAudience(campaign.audience)) {
        if (!out.has(c.id)) out.set(c.id, c);
      }
    }
    return out;
  }

  /** The ids of the given units and all their descendants; an unknown code is a 400. */
  private async unitSubtrees(codes: string[]): Promise<string[]> {
    const units = await this.repo.units();
    const byCode = new Map(units.map((u) => [u.code, u.id]));
    const unknown = [...new Set(codes.filter((c) => !byCode.has(c)))];
    if (unknown.length) {
      throw invalid(
        'Unknown unit code',
        unknown
          .slice(0, 20)
          .map((code) => ({ field: 'unitCodes', message: `unknown unit code: ${code}` })),
      );
    }
    const children = new Map<string, string[]>();
    for (const u of units) {
      if (!u.parentId) continue;
      const list = children.get(u.parentId) ?? [];
      list.push(u.id);
      children.set(u.parentId, list);
    }
    const seen = new Set<string>();
    const stack = codes.map((c) => byCode.get(c) as string);
    while (stack.length) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue; // also guards against a cycle in bad data
      seen.add(id);
      stack.push(...(children.get(id) ?? []));
    }
    return [...seen];
  }

  /** Applies the skip rules in a fixed order; the first that matches is the reason given. */
  private async screen(
    campaign: CampaignEntity,
    candidates: Map<string, ContactEntity | null>,
  ): Promise<{ eligible: ContactEntity[]; skipped: Skipped[] }> {
    const skipped: Skipped[] = [];
    const possible: ContactEntity[] = [];
    for (const [contactId, contact] of candidates) {
      const reason = !contact
        ? SKIP_REASONS.unknownContact
        : contact.audience !== campaign.audience
          ? SKIP_REASONS.wrongAudience
          : contact.erasedAt !== null || !contact.email
            ? SKIP_REASONS.erased
            : contact.optedOut
              ? SKIP_REASONS.optedOut
              : null;
      if (reason) skipped.push({ contactId, reason });
      else possible.push(contact as ContactEntity);
    }
    const ids = possible.map((c) => c.id);
    const invited = await this.repo.invitedContactIds(campaign.id, ids);
    const days = this.config.env.FATIGUE_DAYS;
    const tired =
      days > 0
        ? await this.repo.invitedElsewhereSince(
            campaign.id,
            ids.filter((id) => !invited.has(id)),
            isoIn(-days * DAY_MS),
          )
        : new Set<string>();
    const eligible: ContactEntity[] = [];
    for (const contact of possible) {
      if (invited.has(contact.id)) {
        skipped.push({ contactId: contact.id, reason: SKIP_REASONS.alreadyInvited });
      } else if (tired.has(contact.id)) {
        skipped.push({ contactId: contact.id, reason: SKIP_REASONS.fatigue(days) });
      } else {
        eligible.push(contact);
      }
    }
    return { eligible, skipped };
  }
}

function newInvitation(campaignId: string, contactId: string, now: string): InvitationEntity {
  return {
    id: newId(),
    campaignId,
    contactId,
    status: 'created',
    answered: false,
    createdAt: now,
    sentAt: null,
    openedAt: null,
    answeredAt: null,
    remindedAt: null,
    reminders: 0,
  };
}
