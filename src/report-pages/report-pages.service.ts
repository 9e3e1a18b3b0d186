import { Injectable } from '@nestjs/common';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { AppConfig } from '../config/app-config.js';
import { UnitsService } from '../organisation/units.service.js';
import type { Language } from '../domain/language.js';
import { fill, reportStrings } from './report-pages.i18n.js';
import type {
  DriversPageQueryDto,
  LinkagePageQueryDto,
  WavesPageQueryDto,
} from './report-pages.dto.js';
import { ReportSources, type LinkageInput } from './report-sources.js';
import {
  campaignView,
  driversView,
  indexView,
  linkageView,
  metricLabel,
  type PageContext,
  questionText,
  serviceMapView,
  wavesView,
} from './report-pages.view.js';

/** Reads what a /reports page shows (through the same services as the JSON API) and maps it. */
@Injectable()
export class ReportPagesService {
  constructor(
    private readonly sources: ReportSources,
    private readonly campaigns: CampaignsService,
    private readonly units: UnitsService,
    private readonly config: AppConfig,
  ) {}

  private async context(lang: Language, withUnits = false): Promise<PageContext> {
    const unitNames = withUnits
      ? new Map((await this.units.list()).map((u) => [u.code, u.name]))
      : new Map<string, string>();
    return { lang, k: this.config.env.MIN_GROUP_SIZE, unitNames };
  }

  async index(lang: Language) {
    const campaigns = (await this.campaigns.list()).filter((c) => c.status !== 'draft');
    return indexView(campaigns, await this.context(lang));
  }

  async campaign(id: string, lang: Language) {
    const report = await this.sources.campaignReport(id);
    const campaign = await this.campaigns.get(id);
    const ctx = await this.context(lang);
    return campaignView(report, campaign, { ...ctx, k: report.minGroupSize ?? ctx.k });
  }

  async linkage(q: LinkagePageQueryDto) {
    const lang = q.lang ?? 'en';
    const input: LinkageInput = {
      internal: q.internal,
      external: q.external,
      // Provider perspective scores every provider question: a question choice does not apply.
      internalQuestion: q.perspective === 'provider' ? undefined : q.internalQuestion,
      externalQuestion: q.externalQuestion,
      metric: q.metric,
      internalMetric: q.internalMetric,
      externalMetric: q.externalMetric,
      minResponses: q.minResponses,
      perspective: q.perspective,
      level: q.level,
      lang,
    };
    const [result, internal, external, tree] = await Promise.all([
      this.sources.linkage(input),
      this.campaigns.get(q.internal),
      this.campaigns.get(q.external),
      this.units.tree(),
    ]);
    const maxDepth = Math.max(0, ...tree.map((n) => n.depth));
    return linkageView(
      { result, query: input, internal, external, maxDepth },
      await this.context(lang),
    );
  }

  async waves(q: WavesPageQueryDto) {
    const lang = q.lang ?? 'en';
    const t = reportStrings(lang);
    const result = await this.sources.waves({
      internal: q.internal ? [q.internal] : undefined,
      external: q.external ? [q.external] : undefined,
      lag: q.lag,
      metric: q.metric,
      lang,
    });
    const title = async (side: 'internal' | 'external') => {
      const latest = result.series[side].at(-1);
      const campaign = latest ? await this.campaigns.find(latest.id) : null;
      const q = campaign?.questions.find((x) => x.key === campaign.headline);
      return fill(side === 'internal' ? t.axisInternal : t.axisExternal, {
        metric: metricLabel(result.metric[side], t),
        question: questionText(q, lang),
      });
    };
    return wavesView(result, await this.context(lang), {
      internal: await title('internal'),
      external: await title('external'),
    });
  }

  async drivers(q: DriversPageQueryDto) {
    const lang = q.lang ?? 'en';
    const result = await this.sources.drivers({
      internal: q.internal,
      external: q.external,
      externalQuestion: q.externalQuestion,
      metric: q.metric,
      lang,
    });
    return driversView(result, await this.context(lang));
  }

  async serviceMap(id: string, lang: Language) {
    return serviceMapView(await this.sources.serviceMap(id), await this.context(lang));
  }
}
