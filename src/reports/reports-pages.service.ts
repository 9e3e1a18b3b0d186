import { Injectable } from '@nestjs/common';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { UsersService } from '../users/users.service.js';
import { AppConfig } from '../config/app-config.js';
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import type { ReportScope } from '../domain/roles.js';
import { CampaignReportService } from './campaign-report.service.js';
import { campaignReportView } from './campaign-report.view.js';
import type { PageContext } from './report-page.js';
import { reportsIndexView } from './reports-index.view.js';

/** Reads what the /reports index and a campaign's results page show, and maps it. */
@Injectable()
export class ReportsPagesService {
  constructor(
    private readonly reports: CampaignReportService,
    private readonly campaigns: CampaignsService,
    private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  private context(lang: Language): PageContext {
    return { lang, k: this.config.env.MIN_GROUP_SIZE, unitNames: new Map<string, string>() };
  }

  async index(lang: Language, reader: ReportScope) {
    const campaigns = (await this.campaigns.list()).filter((c) => c.status !== 'draft');
    return {
      ...reportsIndexView(campaigns, this.context(lang)),
      scopeNotice: await this.scopeNotice(lang, reader),
    };
  }

  /** A unit manager's reminder of what they see: their unit (as named now) and the units below. */
  private async scopeNotice(lang: Language, reader: ReportScope): Promise<string | null> {
    if (reader.kind === 'all') return null;
    const unit = (await this.users.units()).find((u) => u.id === reader.unitId);
    const name = unit ? `${unit.name} (${unit.code})` : reader.unitId;
    return translate(lang, 'managers.scopeNotice', { unit: name });
  }

  /** The same numbers and suppression as GET /api/reports/campaigns/:id. */
  async campaign(id: string, lang: Language, reader: ReportScope) {
    const report = await this.reports.report(id, undefined, reader);
    const campaign = await this.campaigns.get(id);
    const ctx = this.context(lang);
    return campaignReportView(report, campaign, { ...ctx, k: report.minGroupSize ?? ctx.k });
  }
}
