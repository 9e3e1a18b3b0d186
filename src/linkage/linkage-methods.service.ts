import { Injectable } from '@nestjs/common';
import type { CampaignView } from '../campaigns/campaigns.dto.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { AppConfig } from '../config/app-config.js';
import type { Language } from '../domain/language.js';
import { methodsResult } from './linkage-methods-doc.js';
import type { MethodsResult } from './linkage-methods.js';
import type { LinkagePageQueryDto } from './linkage-pages.dto.js';
import type { LinkageInput, LinkageResult } from './linkage.dto.js';
import { LinkageService } from './linkage.service.js';
import { linkagePageInput } from './linkage-page-input.js';

/** What the methods page and its downloads are built from. */
export interface MethodsPageData {
  doc: MethodsResult;
  result: LinkageResult;
  input: LinkageInput;
  internal: CampaignView;
  external: CampaignView;
}

/**
 * The linkage's methods appendix: the linkage itself (LinkageService, so the same units, release
 * decision and numbers), then its definitions, thresholds and per-unit table.
 */
@Injectable()
export class LinkageMethodsService {
  constructor(
    private readonly linkages: LinkageService,
    private readonly campaigns: CampaignsService,
    private readonly config: AppConfig,
  ) {}

  /** GET /api/linkage/methods: the options of GET /api/linkage, with its defaults. */
  async methods(input: LinkageInput): Promise<MethodsResult> {
    const result = await this.linkages.linkage(input);
    return methodsResult(result, this.config.env.MIN_GROUP_SIZE);
  }

  /** The page and its downloads: the options of /reports/linkage, with the page's defaults. */
  async page(q: LinkagePageQueryDto, lang: Language): Promise<MethodsPageData> {
    const [internal, external] = await Promise.all([
      this.campaigns.get(q.internal),
      this.campaigns.get(q.external),
    ]);
    const input = { ...linkagePageInput(q, internal, external), lang };
    const result = await this.linkages.linkage(input);
    const doc = methodsResult(result, this.config.env.MIN_GROUP_SIZE);
    return { doc, result, input, internal, external };
  }
}
