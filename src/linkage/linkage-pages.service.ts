import { Injectable } from '@nestjs/common';
import type { CampaignView } from '../campaigns/campaigns.dto.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { AppConfig } from '../config/app-config.js';
import type { Language } from '../domain/language.js';
import type { ReportScope } from '../domain/roles.js';
import { UnitsService } from '../organisation/units.service.js';
import type { PageContext } from '../reports/report-page.js';
import { questionText } from '../reports/report-page.js';
import { fill, reportStrings } from '../reports/report-pages.i18n.js';
import { driversView } from './drivers.view.js';
import type {
  DriversPageQueryDto,
  LinkagePageQueryDto,
  WavesPageQueryDto,
} from './linkage-pages.dto.js';
import { LinkageWavesService } from './linkage-waves.service.js';
import type { LinkageInput, Metric } from './linkage.dto.js';
import { LinkageService } from './linkage.service.js';
import { linkageView } from './linkage.view.js';
import { metricLabel } from './page-format.js';
import { ServiceMapService } from './service-map.service.js';
import { serviceMapView } from './service-map.view.js';
import { wavesView } from './waves.view.js';

/**
 * Reads what a linkage page shows through the services that answer the JSON API (same numbers,
 * same suppression) and maps it.
 */
@Injectable()
export class LinkagePagesService {
  constructor(
    private readonly linkages: LinkageService,
    private readonly trend: LinkageWavesService,
    private readonly maps: ServiceMapService,
    private readonly campaigns: CampaignsService,
    private readonly units: UnitsService,
    private readonly config: AppConfig,
  ) {}

  private context(lang: Language): PageContext {
    return { lang, k: this.config.env.MIN_GROUP_SIZE, unitNames: new Map<string, string>() };
  }

  async linkage(q: LinkagePageQueryDto, reader: ReportScope) {
    const lang = q.lang ?? 'en';
    const [internal, external, tree] = await Promise.all([
      this.campaigns.get(q.internal),
      this.campaigns.get(q.external),
      this.units.tree(),
    ]);
    // NPS questions are read as NPS unless a metric is chosen (the API keeps its mean default).
    const isNps = (c: CampaignView, key: string | undefined) =>
      c.questions.find((x) => x.key === (key ?? c.headline))?.type === 'nps';
    const defaultMetric = (c: CampaignView, key: string | undefined): Metric | undefined =>
      q.metric === undefined && isNps(c, key) ? 'nps' : undefined;
    const input: LinkageInput = {
      internal: q.internal,
      external: q.external,
      // Provider perspective scores every provider question: a question choice does not apply.
      internalQuestion: q.perspective === 'provider' ? undefined : q.internalQuestion,
      externalQuestion: q.externalQuestion,
      metric: q.metric,
      internalMetric:
        q.internalMetric ??
        (q.perspective === 'provider' ? undefined : defaultMetric(internal, q.internalQuestion)),
      externalMetric: q.externalMetric ?? defaultMetric(external, q.externalQuestion),
      minResponses: q.minResponses,
      perspective: q.perspective,
      level: q.level,
      lang,
    };
    const result = await this.linkages.linkage(input, reader);
    const maxDepth = Math.max(0, ...tree.map((n) => n.depth));
    return linkageView({ result, query: input, internal, external, maxDepth }, this.context(lang));
  }

  async waves(q: WavesPageQueryDto, reader: ReportScope) {
    const lang = q.lang ?? 'en';
    const t = reportStrings(lang);
    const result = await this.trend.waves(
      {
        internal: q.internal ? [q.internal] : undefined,
        external: q.external ? [q.external] : undefined,
        lag: q.lag,
        metric: q.metric,
        npsByDefault: true,
        lang,
      },
      reader,
    );
    const title = async (side: 'internal' | 'external') => {
      const latest = result.series[side].at(-1);
      const campaign = latest ? await this.campaigns.find(latest.id) : null;
      const q = campaign?.questions.find((x) => x.key === campaign.headline);
      return fill(side === 'internal' ? t.axisInternal : t.axisExternal, {
        metric: metricLabel(result.metric[side], t),
        question: questionText(q, lang),
      });
    };
    return wavesView(result, this.context(lang), {
      internal: await title('internal'),
      external: await title('external'),
    });
  }

  async drivers(q: DriversPageQueryDto) {
    const lang = q.lang ?? 'en';
    const result = await this.linkages.drivers({
      internal: q.internal,
      external: q.external,
      externalQuestion: q.externalQuestion,
      metric: q.metric,
      lang,
    });
    return driversView(result, this.context(lang));
  }

  async serviceMap(id: string, lang: Language, reader: ReportScope) {
    const map = await this.maps.serviceMap({ campaignId: id }, reader);
    return serviceMapView(map, this.context(lang));
  }
}
