import { Module } from '@nestjs/common';
import { AdminOverviewRepository } from './admin-overview.repository.js';
import { AdminPagesController } from './admin-pages.controller.js';

@Module({
  controllers: [AdminPagesController],
  providers: [AdminOverviewRepository],
})
export class AdminModule {}
