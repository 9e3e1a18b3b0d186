import { Module } from '@nestjs/common';

/** The internal ↔ external linkage analysis: per unit, over waves, drivers, the service map. */
@Module({})
export class LinkageModule {}
