import { Injectable } from '@nestjs/common';
import { AdminOverviewRepository, type OverviewCounts } from './admin-overview.repository.js';

/** The figures of the admin start page. */
@Injectable()
export class AdminOverviewService {
  constructor(private readonly overview: AdminOverviewRepository) {}

  counts(): Promise<OverviewCounts> {
    return this.overview.counts();
  }
}
