import { Module } from '@nestjs/common';

/** Campaign results and the response export. */
@Module({})
export class ReportsModule {}
