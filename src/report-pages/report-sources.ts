/**
 * What the report pages read, in the shapes of the JSON API (API.md "Reports"): the pages show
 * exactly what the API releases — same numbers, same suppression. `ReportSources` is the port;
 * `ServiceReportSources` binds it to the services of ReportsModule and LinkageModule;
 * tests may bind fixtures instead.
 */

import { Injectable } from '@nestjs/common';
import { LinkageWavesService } from '../linkage/linkage-waves.service.js';
import { LinkageService } from '../linkage/linkage.service.js';
import { ServiceMapService } from '../linkage/service-map.service.js';
import { CampaignReportService } from '../reports/campaign-report.service.js';

export type { CampaignReportJson as CampaignReport } from '../reports/reports.dto.js';
import type { CampaignReportJson as CampaignReport } from '../reports/reports.dto.js';

export type {
  DriversInput,
  DriversResult,
  LinkageInput,
  LinkageResult,
  Metric,
  Perspective,
  ServiceMapResult,
  WavesInput,
  WavesResult,
} from '../linkage/linkage.dto.js';
import type {
  DriversInput,
  DriversResult,
  LinkageInput,
  LinkageResult,
  ServiceMapResult,
  WavesInput,
  WavesResult,
} from '../linkage/linkage.dto.js';

export abstract class ReportSources {
  abstract campaignReport(id: string): Promise<CampaignReport>;
  abstract linkage(query: LinkageInput): Promise<LinkageResult>;
  abstract waves(query: WavesInput): Promise<WavesResult>;
  abstract drivers(query: DriversInput): Promise<DriversResult>;
  abstract serviceMap(id: string): Promise<ServiceMapResult>;
}

/** The real sources: the same services that answer the JSON API. */
@Injectable()
export class ServiceReportSources extends ReportSources {
  constructor(
    private readonly reports: CampaignReportService,
    private readonly linkages: LinkageService,
    private readonly trend: LinkageWavesService,
    private readonly maps: ServiceMapService,
  ) {
    super();
  }

  campaignReport(id: string): Promise<CampaignReport> {
    return this.reports.report(id);
  }

  linkage(query: LinkageInput): Promise<LinkageResult> {
    return this.linkages.linkage(query);
  }

  waves(query: WavesInput): Promise<WavesResult> {
    return this.trend.waves(query);
  }

  drivers(query: DriversInput): Promise<DriversResult> {
    return this.linkages.drivers(query);
  }

  serviceMap(id: string): Promise<ServiceMapResult> {
    return this.maps.serviceMap({ campaignId: id });
  }
}
