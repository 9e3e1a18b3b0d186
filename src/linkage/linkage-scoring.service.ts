import { Injectable } from '@nestjs/common';
import { invalid, notFound, type FieldError } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { CampaignReportService } from '../reports/campaign-report.service.js';
import { suppressedKeys } from '../confidentiality/suppression.js';
import type { Disclosure } from '../confidentiality/disclosure-plan.js';
import {
  addValue,
  answerCount,
  emptyCounts,
  meanScale,
  rollUp,
  rollupTargets,
  scoreOf,
  type LinkageUnit,
  type Metric,
  type Scale,
  type ValueCounts,
} from './linkage-scores.js';
import type {
  CampaignRef,
  ExcludedUnit,
  LinkageOptions,
  LinkageSide,
  LinkageUnitRow,
  Perspective,
} from './linkage.dto.js';
import { LinkageRepository } from './linkage.repository.js';
import { exclusionReasons } from './linkage-summary.js';
import type { Language } from '../domain/language.js';
import type { CampaignEntity } from '../database/schema/campaign.entity.js';
import type { QuestionEntity } from '../database/schema/question.entity.js';
import { isNumericType, type NumericQuestionType } from '../domain/questions.js';

/** A side of the linkage, resolved against its campaign. */
export interface ResolvedSide {
  audience: 'internal' | 'external';
  campaign: CampaignEntity;
  perspective: Perspective;
  questionKeys: string[];
  types: NumericQuestionType[];
  metric: Metric;
  scale: Scale;
  /** Mean on 0–100 because the pooled questions mix scales. */
  pomp: boolean;
  minResponses: number;
}

/** Respondents and answer distribution of one unit (or roll-up group) on one side. */
export interface GroupTally {
  n: number;
  counts: ValueCounts;
}

export interface ResolvedOptions {
  internalMetric: Metric;
  externalMetric: Metric;
  /** The field the metric came from, for error messages. */
  internalMetricField: string;
  externalMetricField: string;
  internalMin: number;
  externalMin: number;
  perspective: Perspective;
  level: number | null;
  lang: Language;
  notes: string[];
}

export interface UnitContext {
  units: Map<string, LinkageUnit>;
  targets: Map<string, string>;
}

export interface Pairing {
  units: LinkageUnitRow[];
  excluded: ExcludedUnit[];
  /** Group ids of `units`, same order. */
  ids: string[];
}

export const campaignRef = (c: CampaignEntity): CampaignRef => ({
  id: c.id,
  name: c.name,
  wave: c.wave,
});

/**
 * The shared machinery of every linkage computation: option and campaign checks, the per-unit
 * tallies from the aggregate queries, and the pairing of units with its exclusion reasons.
 */
@Injectable()
export class LinkageScoringService {
  constructor(
    private readonly repo: LinkageRepository,
    private readonly config: AppConfig,
    private readonly reports: CampaignReportService,
  ) {}

  get k(): number {
    return this.config.env.MIN_GROUP_SIZE;
  }

  resolveOptions(o: LinkageOptions): ResolvedOptions {
    const k = this.k;
    const notes: string[] = [];
    const asked = o.minResponses ?? k;
    const internalMin = Math.max(k, asked);
    if (asked < k) {
      notes.push(
        `minResponses ${asked} is below the anonymity threshold (${k}): the internal side uses ${k}, the external side ${asked}.`,
      );
    }
    return {
      internalMetric: o.internalMetric ?? o.metric ?? 'mean',
      externalMetric: o.externalMetric ?? o.metric ?? 'mean',
      internalMetricField: o.internalMetric ? 'internalMetric' : 'metric',
      externalMetricField: o.externalMetric ? 'externalMetric' : 'metric',
      internalMin,
      externalMin: asked,
      perspective: o.perspective ?? 'member',
      level: o.level ?? null,
      lang: o.lang ?? 'en',
      notes,
    };
  }

  /** The campaign, 404 when unknown, 400 (`field`) when of the wrong audience. */
  async campaign(
    id: string,
    audience: 'internal' | 'external',
    field: string,
  ): Promise<CampaignEntity> {
    const campaign = await this.repo.findCampaign(id);
    if (!campaign) throw notFound('Campaign');
    if (campaign.audience !== audience) {
      throw invalid(`${field} must be an ${audience} campaign`, [
        { field, message: `campaign ${id} is not an ${audience} campaign` },
      ]);
    }
    return campaign;
  }

  /** The unit tree and the roll-up target of every unit. */
  async unitContext(level: number | null): Promise<UnitContext> {
    const list = await this.repo.units();
    return { units: new Map(list.map((u) => [u.id, u])), targets: rollupTargets(list, level) };
  }

  /**
   * Resolves which question(s) a side scores and checks the metric; throws 400 with field errors.
   * `questionKey` undefined = the headline. Provider perspective pools every provider question.
   */
  async resolveSide(
    audience: 'internal' | 'external',
    campaign: CampaignEntity,
    questionKey: string | undefined,
    opts: ResolvedOptions,
    questionField: string,
  ): Promise<ResolvedSide> {
    const errors = this.checkSide(
      audience,
      campaign,
      await this.repo.questions(campaign.id),
      questionKey,
      opts,
      questionField,
    );
    if ('errors' in errors) throw invalid('Invalid linkage parameters', errors.errors);
    return errors.side;
  }

  /** Like resolveSide, but returns the problems instead of throwing (waves skip such campaigns). */
  checkSide(
    audience: 'internal' | 'external',
    campaign: CampaignEntity,
    questions: QuestionEntity[],
    questionKey: string | undefined,
    opts: ResolvedOptions,
    questionField: string,
  ): { side: ResolvedSide } | { errors: FieldError[] } {
    const perspective: Perspective = audience === 'internal' ? opts.perspective : 'member';
    const metric = audience === 'internal' ? opts.internalMetric : opts.externalMetric;
    const metricField =
      audience === 'internal' ? opts.internalMetricField : opts.externalMetricField;
    const minResponses = audience === 'internal' ? opts.internalMin : opts.externalMin;
    let chosen: QuestionEntity[];
    if (perspective === 'provider') {
      if (questionKey !== undefined) {
        return {
          errors: [
            {
              field: questionField,
              message:
                'internalQuestion is not used in the provider perspective: every provider question of the campaign is pooled',
            },
          ],
        };
      }
      chosen = questions.filter((q) => q.providerUnitId !== null && isNumericType(q.type));
      if (chosen.length === 0) {
        return {
          errors: [
            { field: 'perspective', message: 'the internal campaign has no provider questions' },
          ],
        };
      }
    } else {
      const key = questionKey ?? campaign.headline;
      const q = questions.find((x) => x.key === key);
      if (!q || !isNumericType(q.type)) {
        return {
          errors: [
            {
              field: questionKey === undefined ? 'headline' : questionField,
              message: `"${key}" is not a numeric question of the ${audience} campaign`,
            },
          ],
        };
      }
      chosen = [q];
    }
    const types = [...new Set(chosen.map((q) => q.type as NumericQuestionType))];
    if (metric === 'nps' && types.some((t) => t !== 'nps')) {
      return {
        errors: [
          {
            field: metricField,
            message: `the nps metric needs nps questions; the ${audience} side scores ${types.join(', ')}`,
          },
        ],
      };
    }
    const { scale, pomp } = meanScale(types);
    return {
      side: {
        audience,
        campaign,
        perspective,
        questionKeys: chosen.map((q) => q.key),
        types,
        metric,
        scale:
          metric === 'mean'
            ? scale
            : metric === 'topbox'
              ? { min: 0, max: 1 }
              : { min: -100, max: 100 },
        pomp: metric === 'mean' && pomp,
        minResponses,
      },
    };
  }

  describe(side: ResolvedSide): LinkageSide {
    return {
      campaign: campaignRef(side.campaign),
      questionKeys: side.questionKeys,
      metric: side.metric,
      scale: side.scale,
      minResponses: side.minResponses,
    };
  }

  /** Respondents and answer distributions per unit (rolled up) of one side: aggregate queries only. */
  async tallies(side: ResolvedSide, ctx: UnitContext): Promise<Map<string, GroupTally>> {
    if (side.perspective === 'provider') return this.providerTallies(side, ctx);
    const rows = await this.repo.valueCounts(side.campaign.id, side.questionKeys);
    const perUnit = new Map<string, ValueCounts>();
    for (const row of rows) {
      let counts = perUnit.get(row.unitId);
      if (!counts) perUnit.set(row.unitId, (counts = emptyCounts()));
      addValue(counts, row.type, row.value, row.count);
    }
    return this.memberTallies(perUnit, ctx);
  }

  /**
   * Member tallies from counts the campaign report has already aggregated (question → unit →
   * value → n), so the internal side is read once for both its disclosure plan and its scores.
   */
  talliesFromCounts(
    side: ResolvedSide,
    numeric: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<number, number>>>,
    typeOf: ReadonlyMap<string, NumericQuestionType>,
    ctx: UnitContext,
  ): Map<string, GroupTally> {
    const perUnit = new Map<string, ValueCounts>();
    for (const key of side.questionKeys) {
      const type = typeOf.get(key);
      if (!type) continue;
      for (const [unitId, byValue] of numeric.get(key) ?? []) {
        let counts = perUnit.get(unitId);
        if (!counts) perUnit.set(unitId, (counts = emptyCounts()));
        for (const [value, n] of byValue) addValue(counts, type, value, n);
      }
    }
    return this.memberTallies(perUnit, ctx);
  }

  private memberTallies(
    perUnit: Map<string, ValueCounts>,
    ctx: UnitContext,
  ): Map<string, GroupTally> {
    const out = new Map<string, GroupTally>();
    // One numeric answer per response and question: the answer count is the respondent count.
    for (const [id, counts] of rollUp(perUnit, ctx.targets)) {
      out.set(id, { n: answerCount(counts), counts });
    }
    return out;
  }

  private async providerTallies(
    side: ResolvedSide,
    ctx: UnitContext,
  ): Promise<Map<string, GroupTally>> {
    const [ratings, respondents] = await Promise.all([
      this.repo.providerValueCounts(side.campaign.id),
      this.repo.providerRespondents(side.campaign.id, ctx.targets),
    ]);
    const perProvider = new Map<string, ValueCounts>();
    for (const row of ratings) {
      let counts = perProvider.get(row.providerUnitId);
      if (!counts) perProvider.set(row.providerUnitId, (counts = emptyCounts()));
      addValue(counts, row.type, row.value, row.count);
    }
    const people = new Map<string, number>();
    // Each response belongs to one rater unit, so distinct counts per rater add up.
    for (const row of respondents) {
      people.set(row.providerGroup, (people.get(row.providerGroup) ?? 0) + row.respondents);
    }
    const out = new Map<string, GroupTally>();
    for (const [id, counts] of rollUp(perProvider, ctx.targets)) {
      out.set(id, { n: people.get(id) ?? 0, counts });
    }
    return out;
  }

  /**
   * Pairs the internal and external tallies by unit. A unit is kept with ≥ the side's minimum on
   * both sides. Internal groups below k never show their count; in the member perspective the units
   * picked by complementary suppression (suppressedKeys over all internal groups, since the campaign
   * total is released elsewhere) are excluded too, so no hidden group can be derived by subtraction.
   */
  pair(
    internal: ResolvedSide,
    external: ResolvedSide,
    iTallies: Map<string, GroupTally>,
    eTallies: Map<string, GroupTally>,
    ctx: UnitContext,
    release?: (groupId: string) => boolean,
    lang: Language = 'en',
  ): Pairing {
    const k = this.k;
    const say = exclusionReasons(lang);
    // Groups the campaign's disclosure plan does not release (shared with the campaign report, so
    // the two endpoints cannot be played against each other), then complementary suppression over
    // the rest, counting the blocked answers as already withheld.
    const blocked = new Set(
      release ? [...iTallies].filter(([id, t]) => t.n >= k && !release(id)).map(([id]) => id) : [],
    );
    let withheld = 0;
    for (const id of blocked) withheld += iTallies.get(id)?.n ?? 0;
    const hidden =
      internal.perspective === 'member'
        ? suppressedKeys(
            [...iTallies].filter(([id]) => !blocked.has(id)).map(([key, t]) => ({ key, n: t.n })),
            k,
            withheld,
          )
        : new Set<string>();
    for (const id of blocked) hidden.add(id);
    const ids = [...new Set([...iTallies.keys(), ...eTallies.keys()])]
      .filter((id) => (iTallies.get(id)?.n ?? 0) > 0 || (eTallies.get(id)?.n ?? 0) > 0)
      .map((id) => ({ id, unit: ctx.units.get(id) }))
      .map(({ id, unit }) => ({ id, code: unit?.code ?? id, name: unit?.name ?? id }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const out: Pairing = { units: [], excluded: [], ids: [] };
    for (const u of ids) {
      const it = iTallies.get(u.id);
      const et = eTallies.get(u.id);
      const iN = it?.n ?? 0;
      const eN = et?.n ?? 0;
      const reasons: string[] = [];
      if (iN === 0) reasons.push(say.noInternal);
      else if (iN < k) reasons.push(say.belowThreshold(k));
      else if (hidden.has(u.id)) reasons.push(say.complementary);
      else if (iN < internal.minResponses) reasons.push(say.fewInternal(iN, internal.minResponses));
      if (eN === 0) reasons.push(say.noExternal);
      else if (eN < external.minResponses) reasons.push(say.fewExternal(eN, external.minResponses));
      const x =
        it && reasons.length === 0 ? scoreOf(it.counts, internal.metric, internal.pomp) : null;
      const y =
        et && reasons.length === 0 ? scoreOf(et.counts, external.metric, external.pomp) : null;
      if (reasons.length === 0 && (x === null || y === null)) reasons.push(say.noScore);
      if (reasons.length || x === null || y === null) {
        out.excluded.push({ unitCode: u.code, unitName: u.name, reason: reasons.join('; ') });
        continue;
      }
      out.units.push({
        unitCode: u.code,
        unitName: u.name,
        internal: { n: iN, score: x },
        external: { n: eN, score: y },
      });
      out.ids.push(u.id);
    }
    return out;
  }

  /** The campaign report's counts and disclosure plan, limited to the given questions. */
  internalFacts(campaignId: string, questionKeys: readonly string[]) {
    return this.reports.facts(campaignId, questionKeys);
  }

  /** The disclosure plan of an internal campaign (the one the campaign report applies). */
  async disclosureOf(campaignId: string, questionKeys?: readonly string[]): Promise<Disclosure> {
    return (await this.reports.facts(campaignId, questionKeys ?? [])).disclosure;
  }

  /**
   * Which internal groups of a member-perspective side the disclosure plan releases: a rolled-up
   * group is a unit subtree (released only where the report allows that subtree as a filter and
   * shows the question there); any other group is a unit's own respondents (released only where the
   * report shows the unit, and its headline when the side scores the headline).
   */
  releasePredicate(
    side: ResolvedSide,
    ctx: UnitContext,
    disclosure: Disclosure,
  ): ((groupId: string) => boolean) | undefined {
    if (side.audience !== 'internal' || side.perspective !== 'member') return undefined;
    const rolledUp = new Set([...ctx.targets].filter(([u, g]) => u !== g).map(([, g]) => g));
    const headline =
      side.questionKeys.length === 1 && side.questionKeys[0] === side.campaign.headline;
    return (id) =>
      rolledUp.has(id)
        ? disclosure.filters.has(id) &&
          side.questionKeys.every((key) => disclosure.questionShown(key, id))
        : headline
          ? disclosure.headlineUnits.has(id)
          : disclosure.visibleUnits.has(id);
  }

  /** Overall (campaign-wide) score of a side, for trends; internal totals below k are withheld. */
  overall(
    side: ResolvedSide,
    tallies: Map<string, GroupTally>,
  ): { n: number; score: number | null } {
    const all = emptyCounts();
    let n = 0;
    for (const t of tallies.values()) {
      n += t.n;
      for (const [type, byValue] of t.counts) {
        for (const [v, c] of byValue) addValue(all, type, v, c);
      }
    }
    return { n, score: n === 0 ? null : scoreOf(all, side.metric, side.pomp) };
  }
}
