import { Module } from '@nestjs/common';

/** The leadership pages under /reports, with server-rendered SVG charts. */
@Module({})
export class ReportPagesModule {}
