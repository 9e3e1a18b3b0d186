import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BrandingModule } from './branding/branding.module.js';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DigestModule } from './digest/digest.module.js';
import { HealthController } from './health/health.controller.js';
import { MetricsRepository } from './health/metrics.repository.js';
import { InvitationsModule } from './invitations/invitations.module.js';
import { OrganisationModule } from './organisation/organisation.module.js';
import { ProgressModule } from './progress/progress.module.js';
import { LinkageModule } from './linkage/linkage.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { ResponsesModule } from './responses/responses.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(config),
        AuthModule,
        OrganisationModule,
        CampaignsModule,
        InvitationsModule,
        BrandingModule,
        ResponsesModule,
        ReportsModule,
        LinkageModule,
        AdminModule,
        ProgressModule,
        DigestModule,
      ],
      controllers: [HealthController],
      providers: [MetricsRepository],
    };
  }
}
