import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CampaignView } from '../campaigns/campaigns.dto.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { DomainError, ErrorCode, invalid } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { UnitForest } from '../confidentiality/suppression.js';
import { decideDisclosure, type Disclosure } from '../confidentiality/disclosure-plan.js';
import {
  choiceQuestion,
  numericQuestion,
  suppressedQuestion,
  type QuestionReportJson,
} from './question-stats.js';
import type { CampaignReportJson, UnitReportJson } from './reports.dto.js';
import { ReportsRepository, type UnitRow, type UnitValueCount } from './reports.repository.js';
import { isNumericType } from '../domain/questions.js';
import { ALL_UNITS, type ReportScope } from '../domain/roles.js';
import { isMine, scopedUnits } from './report-scope.js';
import { previousWave, waveChange, type WaveChangeJson, type WaveFacts } from './wave-change.js';
import { WaveSeriesRepository } from './wave-series.repository.js';

/** Comments listed per text question at most (a random sample). */
export const MAX_COMMENTS = 100;

type Counts<V> = Map<string, Map<string, Map<V, number>>>; // key → unit → value → n

/** Everything a report is added up from: counts per unit, never individual responses. */
export interface CampaignFacts {
  campaign: CampaignView;
  units: UnitRow[];
  forest: UnitForest<UnitRow>;
  responses: Map<string, number>;
  invited: Map<string, number>;
  numeric: Counts<number>;
  choice: Counts<string>;
  /** key → unit → respondents who answered. */
  answered: Map<string, Map<string, number>>;
  disclosure: Disclosure;
  k: number;
}

function nest<V>(rows: readonly UnitValueCount<V>[]): Counts<V> {
  const out: Counts<V> = new Map();
  for (const r of rows) {
    let byUnit = out.get(r.key);
    if (!byUnit) out.set(r.key, (byUnit = new Map()));
    let byValue = byUnit.get(r.unitId);
    if (!byValue) byUnit.set(r.unitId, (byValue = new Map()));
    byValue.set(r.value, (byValue.get(r.value) ?? 0) + r.n);
  }
  return out;
}

/** value → n summed over the given units (all units when `units` is null). */
function addUp<V>(
  byUnit: Map<string, Map<V, number>> | undefined,
  units: ReadonlySet<string> | null,
) {
  const out = new Map<V, number>();
  for (const [unitId, byValue] of byUnit ?? []) {
    if (units && !units.has(unitId)) continue;
    for (const [v, n] of byValue) out.set(v, (out.get(v) ?? 0) + n);
  }
  return out;
}

function total(byUnit: ReadonlyMap<string, number> | undefined, units: ReadonlySet<string> | null) {
  let n = 0;
  for (const [unitId, c] of byUnit ?? []) if (!units || units.has(unitId)) n += c;
  return n;
}

/** Release decisions kept (a few MiB each at most: counts per unit, question and value). */
const FACTS_CACHE_SIZE = 16;

/**
 * Everything a campaign's counts and release decision depend on but its answers: the definition
 * (status, audience, headline, the questions asked for), the frozen unit tree, the responses per
 * unit (which move with every answer) and the thresholds. Hashed: the tree alone may be thousands
 * of units.
 */
function factsKey(
  campaign: CampaignView,
  units: readonly UnitRow[],
  responses: ReadonlyMap<string, number>,
  thresholds: readonly number[],
): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      campaign.id,
      campaign.status,
      campaign.audience,
      campaign.headline,
      thresholds,
    ]),
  );
  for (const q of campaign.questions) hash.update(`\0q${q.key}\0${q.type}`);
  for (const u of units) hash.update(`\0u${u.id}\0${u.parentId ?? ''}\0${u.code}\0${u.name}`);
  for (const [unitId, n] of [...responses].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    hash.update(`\0r${unitId}\0${n}`);
  return hash.digest('base64');
}

/**
 * The campaign report (API.md "Reports"): response counts and rate, per-question figures, per-unit
 * headline — with small-group, complementary and homogeneity protection for internal campaigns.
 * Exported by ReportsModule for the report pages.
 */
@Injectable()
export class CampaignReportService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly reports: ReportsRepository,
    private readonly config: AppConfig,
    private readonly series: WaveSeriesRepository,
  ) {}

  /** Recent release decisions by what they were computed from (`factsKey`), oldest first. */
  private readonly decided = new Map<string, Omit<CampaignFacts, 'campaign' | 'invited'>>();

  get minGroupSize(): number {
    return this.config.env.MIN_GROUP_SIZE;
  }

  get minCommentGroupSize(): number {
    return this.config.env.MIN_COMMENT_GROUP_SIZE;
  }

  /**
   * The counts and the disclosure decisions of a campaign; NOT_FOUND for an unknown id.
   * `onlyKeys` limits the per-question counts to those questions (and the headline, which the
   * disclosure plan always needs): the linkage asks for one question and need not aggregate all.
   */
  async facts(campaignId: string, onlyKeys?: readonly string[]): Promise<CampaignFacts> {
    const full = await this.campaigns.get(campaignId);
    const campaign = onlyKeys
      ? {
          ...full,
          questions: full.questions.filter(
            (q) => q.key === full.headline || onlyKeys.includes(q.key),
          ),
        }
      : full;
    // The counts and the release decision are a pure function of the campaign's definition, its
    // frozen unit tree and its answers; answers only ever come with a new response (never changed
    // or deleted, DEVELOPMENT §3), so the response counts per unit say when they moved. A read that
    // finds the same inputs reuses the decision instead of recomputing it (it dominated every
    // report and linkage request: `npm run bench:reports`). `invited` is read fresh: erasure and
    // invitations change it without an answer.
    const [units, responses, invited] = await Promise.all([
      this.reports.campaignUnits(campaign),
      this.reports.responsesByUnit(campaign.id),
      this.reports.invitedByUnit(campaign.id),
    ]);
    const key = factsKey(campaign, units, responses, [this.minGroupSize, this.minCommentGroupSize]);
    const known = this.decided.get(key);
    if (known) {
      this.decided.delete(key); // most recently used last
      this.decided.set(key, known);
      return { ...known, campaign, invited };
    }
    const decided = await this.decide(campaign, units, responses);
    this.decided.set(key, decided);
    while (this.decided.size > FACTS_CACHE_SIZE) {
      this.decided.delete(this.decided.keys().next().value!);
    }
    return { ...decided, campaign, invited };
  }

  /** Reads the counts of a campaign's questions and decides what may be released. */
  private async decide(
    campaign: CampaignView,
    units: UnitRow[],
    responses: Map<string, number>,
  ): Promise<Omit<CampaignFacts, 'campaign' | 'invited'>> {
    const choiceKeys = campaign.questions.filter((q) => q.type === 'choice').map((q) => q.key);
    const numericKeys = campaign.questions.filter((q) => isNumericType(q.type)).map((q) => q.key);
    const otherKeys = campaign.questions.filter((q) => !isNumericType(q.type)).map((q) => q.key);
    const [numericRows, choiceRows, respondentRows] = await Promise.all([
      this.reports.countsByValue(campaign.id, numericKeys, 'number'),
      this.reports.countsByValue(campaign.id, choiceKeys, 'text'),
      this.reports.respondentCounts(campaign.id, otherKeys),
    ]);
    const forest = new UnitForest(units);
    const numeric = nest(numericRows);
    const choice = nest(choiceRows);
    const answered = new Map<string, Map<string, number>>();
    for (const q of campaign.questions) {
      const byUnit = new Map<string, number>();
      if (isNumericType(q.type)) {
        for (const [unitId, byValue] of numeric.get(q.key) ?? [])
          byUnit.set(
            unitId,
            [...byValue.values()].reduce((s, n) => s + n, 0),
          );
      }
      answered.set(q.key, byUnit);
    }
    const typeOf = new Map(campaign.questions.map((q) => [q.key, q.type]));
    for (const r of respondentRows) {
      const type = typeOf.get(r.key);
      if (type && !isNumericType(type)) answered.get(r.key)?.set(r.unitId, r.n);
    }
    const headlineQuestion = campaign.questions.find(
      (q) => q.key === campaign.headline && isNumericType(q.type),
    );
    const k = this.minGroupSize;
    const disclosure = decideDisclosure({
      internal: campaign.audience === 'internal',
      released: campaign.status === 'closed',
      forest,
      responses,
      answered,
      numeric,
      choice,
      types: new Map(campaign.questions.map((q) => [q.key, q.type])),
      headline: headlineQuestion?.key ?? null,
      k,
      kComments: this.minCommentGroupSize,
    });
    return {
      units,
      forest,
      responses,
      numeric,
      choice,
      answered,
      disclosure,
      k,
    };
  }

  /**
   * The report of the whole campaign, or of one unit subtree (`unitCode`). Internal campaigns
   * refuse a filter the disclosure plan does not allow with FORBIDDEN (403). A unit manager
   * (`reader`) sees the campaign-wide figures and only their own units' rows, filters and comments;
   * another unit's code is unknown to them.
   */
  async report(
    campaignId: string,
    unitCode?: string,
    reader: ReportScope = ALL_UNITS,
  ): Promise<CampaignReportJson> {
    const facts = await this.facts(campaignId);
    const { campaign, forest, disclosure } = facts;
    const internal = campaign.audience === 'internal';
    const mine = scopedUnits(forest, reader);
    let filterUnit: UnitRow | null = null;
    if (unitCode !== undefined) {
      filterUnit = facts.units.find((u) => u.code === unitCode && isMine(mine, u.id)) ?? null;
      if (!filterUnit)
        throw invalid('Unknown unit', [{ field: 'unitCode', message: 'No unit has this code' }]);
      if (internal && !disclosure.released)
        throw new DomainError(
          ErrorCode.Forbidden,
          'Results of an internal campaign are released when it closes',
        );
      if (internal && !disclosure.filters.has(filterUnit.id))
        throw new DomainError(
          ErrorCode.Forbidden,
          `This filter is not available: the unit's group or the rest of the campaign would have ` +
            `fewer than ${facts.k} responses, or a smaller group could be worked out by subtraction`,
        );
    }
    const scope = filterUnit ? forest.subtree(filterUnit.id) : null;
    const scopeId = filterUnit?.id ?? null;
    const responses = total(facts.responses, scope);
    const invited = total(facts.invited, scope);

    const questions: QuestionReportJson[] = [];
    for (const q of campaign.questions) {
      if (internal && !disclosure.questionShown(q.key, scopeId)) {
        questions.push(suppressedQuestion(q.key, q.type));
        continue;
      }
      let json: QuestionReportJson;
      if (isNumericType(q.type)) {
        json = numericQuestion(q.key, q.type, addUp(facts.numeric.get(q.key), scope));
      } else if (q.type === 'choice') {
        json = choiceQuestion(
          q.key,
          (q.options ?? []).map((o) => o.value),
          addUp(facts.choice.get(q.key), scope),
          total(facts.answered.get(q.key), scope),
        );
      } else {
        json = { key: q.key, type: q.type, n: total(facts.answered.get(q.key), scope) };
        // A manager reads comments of their own units' released groups only.
        if ((json.n ?? 0) > 0 && (scope || !mine) && disclosure.commentsShown(q.key, scopeId)) {
          json.comments = await this.reports.comments(
            campaign.id,
            q.key,
            scope ? [...scope] : null,
            MAX_COMMENTS,
          );
        }
      }
      questions.push(json);
    }

    return {
      campaign: {
        id: campaign.id,
        name: campaign.name,
        audience: campaign.audience,
        wave: campaign.wave,
      },
      ...(filterUnit ? { filter: { unitCode: filterUnit.code, unitName: filterUnit.name } } : {}),
      invited,
      responses,
      responseRate: invited > 0 ? responses / invited : null,
      minGroupSize: internal ? facts.k : null,
      ...(internal ? { resultsReleased: disclosure.released } : {}),
      headline: campaign.headline,
      questions,
      units: this.unitRows(facts, scope ?? mine),
      filterableUnits: facts.units
        .filter(
          (u) => disclosure.filters.has(u.id) && (!scope || scope.has(u.id)) && isMine(mine, u.id),
        )
        .map((u) => u.code)
        .sort(),
      // The change since the previous wave is for the whole campaign only.
      ...(filterUnit ? {} : { change: await this.changeOf(facts, mine) }),
    };
  }

  /** The headline's change since the previous wave of the series (wave-change.ts). */
  async waveChange(campaignId: string): Promise<WaveChangeJson> {
    const campaign = await this.campaigns.get(campaignId);
    return this.changeOf(await this.facts(campaignId, [campaign.headline]));
  }

  /** A unit manager's movers are only their own units (`mine`); the campaign-wide change is for all. */
  private async changeOf(
    facts: CampaignFacts,
    mine: ReadonlySet<string> | null = null,
  ): Promise<WaveChangeJson> {
    const { campaign } = facts;
    const before = previousWave(campaign, await this.series.seriesCandidates(campaign));
    const previous = before ? await this.facts(before.id, [campaign.headline]) : null;
    const current = waveFacts(facts);
    const scoped = { ...current, units: current.units.filter((u) => isMine(mine, u.id)) };
    return waveChange(scoped, previous && waveFacts(previous));
  }

  private unitRows(facts: CampaignFacts, scope: ReadonlySet<string> | null): UnitReportJson[] {
    const { disclosure, campaign } = facts;
    const headline = campaign.questions.find((q) => q.key === campaign.headline);
    const headlineType = headline && isNumericType(headline.type) ? headline.type : null;
    const headlineCounts = facts.numeric.get(campaign.headline);
    const rows: UnitReportJson[] = [];
    // An open internal campaign lists no unit: which units have answers changes with each answer.
    if (!disclosure.released) return rows;
    for (const u of facts.units) {
      const n = facts.responses.get(u.id) ?? 0;
      if (n === 0 || (scope && !scope.has(u.id))) continue;
      if (!disclosure.visibleUnits.has(u.id)) {
        rows.push({ unitCode: u.code, unitName: u.name, suppressed: true });
        continue;
      }
      const row: UnitReportJson = { unitCode: u.code, unitName: u.name, n };
      if (headlineType && disclosure.headlineUnits.has(u.id)) {
        const counts = headlineCounts?.get(u.id) ?? new Map<number, number>();
        const stats = numericQuestion(campaign.headline, headlineType, counts);
        if (stats.mean !== null && stats.mean !== undefined) row.headline = stats.mean;
        if (stats.nps) row.headlineNps = stats.nps.score;
      }
      rows.push(row);
    }
    return rows.sort((a, b) => (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0));
  }
}

/** The parts of a campaign's facts the wave change reads. */
function waveFacts(f: CampaignFacts): WaveFacts {
  const { campaign } = f;
  return {
    campaign,
    headlineType: campaign.questions.find((q) => q.key === campaign.headline)?.type ?? null,
    units: f.units,
    headlineCounts: f.numeric.get(campaign.headline) ?? new Map(),
    disclosure: f.disclosure,
  };
}
