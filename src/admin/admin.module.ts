import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { AdminOverviewRepository } from './admin-overview.repository.js';
import { AdminOverviewService } from './admin-overview.service.js';
import { AdminPagesController } from './admin-pages.controller.js';

@Module({
  imports: [UsersModule],
  controllers: [AdminPagesController],
  providers: [AdminOverviewService, AdminOverviewRepository],
})
export class AdminModule {}
