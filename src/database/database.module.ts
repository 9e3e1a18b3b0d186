import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config.js';
import { Metrics } from '../common/metrics.js';
import { dataSourceOptions, SQLITE_BUSY_ATTEMPT_MS } from './data-source-options.js';
import { Db } from './db.js';
import { ThrottleRepository } from './throttle.repository.js';
import { ThrottleSweepWorker } from './throttle-sweep.worker.js';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config, SQLITE_BUSY_ATTEMPT_MS),
          retryAttempts: 1,
        }),
      ],
      providers: [Db, ThrottleRepository, ThrottleSweepWorker, Metrics],
      exports: [Db, ThrottleRepository, Metrics],
    };
  }
}
