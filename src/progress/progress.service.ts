import { Injectable } from '@nestjs/common';
import { decideDisclosure } from '../confidentiality/disclosure-plan.js';
import { CampaignReportService, type CampaignFacts } from '../reports/campaign-report.service.js';
import type { CampaignProgressJson, UnitProgressJson, UnitProgressStatus } from './progress.dto.js';
import { checkpointOf, countsUpTo, dayOf, type Checkpoint } from './progress-checkpoint.js';
import { ProgressClock } from './progress-clock.hook.js';
import { ProgressRepository, type UnitDayCount } from './progress.repository.js';

const DAY_MS = 86_400_000;

const byCode = (a: UnitProgressJson, b: UnitProgressJson) =>
  a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0;

/**
 * Live progress of a campaign (issue 8): campaign-wide figures, and per unit exact counts for
 * external campaigns or, for internal ones, invited and a status that goes through the one release
 * decision (`decideDisclosure`) on the counts of the last checkpoint (progress-checkpoint.ts).
 */
@Injectable()
export class ProgressService {
  constructor(
    private readonly reports: CampaignReportService,
    private readonly repository: ProgressRepository,
    private readonly clock: ProgressClock,
  ) {}

  /** NOT_FOUND for an unknown campaign. */
  async progress(campaignId: string): Promise<CampaignProgressJson> {
    // Only the headline's counts: the progress needs the units, counts and the decision.
    const facts = await this.reports.facts(campaignId, []);
    const [byDay, remindersSent] = await Promise.all([
      this.repository.responsesByUnitAndDay(campaignId),
      this.repository.remindersSent(campaignId),
    ]);
    const { campaign } = facts;
    const now = this.clock.now();
    const sum = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((s, n) => s + n, 0);
    const invited = sum(facts.invited);
    const responses = sum(facts.responses);
    const perDay = new Map<string, number>();
    for (const r of byDay) perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.n);
    const internal = campaign.audience === 'internal';

    let units: UnitProgressJson[];
    let statusAsOf: string | null | undefined;
    if (!internal) {
      units = this.externalUnits(facts);
    } else if (campaign.status === 'closed') {
      units = this.internalUnits(facts, (id) =>
        facts.disclosure.visibleUnits.has(id) ? 'reported' : 'not_reported',
      );
    } else {
      const checkpoint = checkpointOf(perDay, dayOf(now.toISOString()), facts.k);
      const onTrack = this.onTrackAt(facts, byDay, checkpoint);
      statusAsOf = checkpoint.day;
      units = this.internalUnits(facts, (id) => (onTrack.has(id) ? 'on_track' : 'not_yet'));
    }

    return {
      campaign: {
        id: campaign.id,
        name: campaign.name,
        audience: campaign.audience,
        wave: campaign.wave,
        status: campaign.status,
        closesAt: campaign.closesAt,
      },
      invited,
      responses,
      responseRate: invited > 0 ? responses / invited : null,
      remindersSent,
      daysLeft: daysLeft(campaign, now),
      daily: [...perDay.keys()].sort().map((day) => ({ day, responses: perDay.get(day) ?? 0 })),
      minGroupSize: internal ? facts.k : null,
      ...(statusAsOf !== undefined ? { statusAsOf } : {}),
      units,
    };
  }

  /** External: every unit with invitations or responses, exact (buyers are not protected by k). */
  private externalUnits(facts: CampaignFacts): UnitProgressJson[] {
    const rows: UnitProgressJson[] = [];
    for (const u of facts.units) {
      const invited = facts.invited.get(u.id) ?? 0;
      const responses = facts.responses.get(u.id) ?? 0;
      if (invited === 0 && responses === 0) continue;
      rows.push({
        unitCode: u.code,
        unitName: u.name,
        invited,
        responses,
        responseRate: invited > 0 ? responses / invited : null,
      });
    }
    return rows.sort(byCode);
  }

  /**
   * Internal: the units people were invited from (never "the units that have answers", which
   * would move with each answer), their invited count and a status, no response count.
   */
  private internalUnits(
    facts: CampaignFacts,
    statusOf: (unitId: string) => UnitProgressStatus,
  ): UnitProgressJson[] {
    const rows: UnitProgressJson[] = [];
    for (const u of facts.units) {
      const invited = facts.invited.get(u.id) ?? 0;
      if (invited === 0) continue;
      const status = statusOf(u.id);
      rows.push({
        unitCode: u.code,
        unitName: u.name,
        invited,
        status: invited < facts.k && status !== 'reported' ? 'too_few_invited' : status,
      });
    }
    return rows.sort(byCode);
  }

  /**
   * The units whose own group the release decision would release if the campaign closed with the
   * answers up to the checkpoint: the same gate (remainders and all) as the report at close, on
   * counts that no later answer changes.
   */
  private onTrackAt(
    facts: CampaignFacts,
    byDay: readonly UnitDayCount[],
    checkpoint: Checkpoint,
  ): ReadonlySet<string> {
    if (checkpoint.day === null) return new Set();
    return decideDisclosure({
      internal: true,
      released: true,
      forest: facts.forest,
      responses: countsUpTo(byDay, checkpoint.day),
      answered: new Map(),
      numeric: new Map(),
      choice: new Map(),
      types: new Map(),
      headline: null,
      k: facts.k,
      kComments: facts.k,
    }).visibleUnits;
  }
}

function daysLeft(campaign: { status: string; closesAt: string | null }, now: Date): number | null {
  if (campaign.status === 'closed') return 0;
  if (campaign.status !== 'open' || campaign.closesAt === null) return null;
  return Math.max(0, Math.ceil((new Date(campaign.closesAt).getTime() - now.getTime()) / DAY_MS));
}
