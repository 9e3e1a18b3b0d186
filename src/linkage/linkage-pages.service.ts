import { Injectable } from '@nestjs/common';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { AppConfig } from '../config/app-config.js';
import type { Language } from '../domain/language.js';
import { ALL_UNITS, type ReportScope } from '../domain/roles.js';
import { linkagePageInput } from './linkage-page-input.js';
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
import type { LinkageInput } from './linkage.dto.js';
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
    const data = await this.linkageData(q, reader);
    return linkageView(data, this.context(data.query.lang ?? 'en'));
  }

  /** What the linkage page maps (and its download exports): the result and its inputs. */
  async linkageData(q: LinkagePageQueryDto, reader: ReportScope = ALL_UNITS) {
    const lang = q.lang ?? 'en';
    const [internal, external, tree] = await Promise.all([
      this.campaigns.get(q.internal),
      this.campaigns.get(q.external),
      this.units.tree(),
    ]);
    const input: LinkageInput = { ...linkagePageInput(q, internal, external), lang };
    const result = await this.linkages.linkage(input, reader);
    const maxDepth = Math.max(0, ...tree.map((n) => n.depth));
    return { result, query: input, internal, external, maxDepth };
  }

  async waves(q: WavesPageQueryDto, reader: ReportScope) {
    const { result, titles } = await this.wavesData(q, reader);
    return wavesView(result, this.context(q.lang ?? 'en'), titles);
  }

  /** What the waves page maps (and its download exports). */
  async wavesData(q: WavesPageQueryDto, reader: ReportScope = ALL_UNITS) {
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
    return {
      result,
      titles: { internal: await title('internal'), external: await title('external') },
    };
  }

  async drivers(q: DriversPageQueryDto) {
    return driversView(await this.driversData(q), this.context(q.lang ?? 'en'));
  }

  /** What the drivers page maps (and its download exports). */
  driversData(q: DriversPageQueryDto) {
    const lang = q.lang ?? 'en';
    return this.linkages.drivers({
      internal: q.internal,
      external: q.external,
      externalQuestion: q.externalQuestion,
      metric: q.metric,
      lang,
    });
  }

  async serviceMap(id: string, lang: Language, reader: ReportScope) {
    return serviceMapView(await this.serviceMapData(id, reader), this.context(lang));
  }

  /** What the service map page maps (and its download exports). */
  serviceMapData(id: string, reader: ReportScope = ALL_UNITS) {
    return this.maps.serviceMap({ campaignId: id }, reader);
  }
}
