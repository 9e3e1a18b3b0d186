import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ReportLangQueryDto } from '../reports/reports.dto.js';
import type { Metric, Perspective } from './linkage.dto.js';

const METRICS: readonly Metric[] = ['mean', 'topbox', 'nps'];
const PERSPECTIVES: readonly Perspective[] = ['member', 'provider'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/** An empty form field ("" from a <select> with no choice) means "not given". */
const blankToUndefined = () =>
  Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** `/reports/linkage`: the parameters of GET /api/linkage, plus the page language. */
export class LinkagePageQueryDto extends ReportLangQueryDto {
  @IsString() @Matches(UUID, { message: 'internal must be a campaign id' }) internal: string;
  @IsString() @Matches(UUID, { message: 'external must be a campaign id' }) external: string;
  @blankToUndefined() @IsOptional() @IsString() @Matches(KEY) internalQuestion?: string;
  @blankToUndefined() @IsOptional() @IsString() @Matches(KEY) externalQuestion?: string;
  @blankToUndefined() @IsOptional() @IsIn(METRICS) metric?: Metric;
  @blankToUndefined() @IsOptional() @IsIn(METRICS) internalMetric?: Metric;
  @blankToUndefined() @IsOptional() @IsIn(METRICS) externalMetric?: Metric;
  @blankToUndefined() @IsOptional() @IsIn(PERSPECTIVES) perspective?: Perspective;
  @blankToUndefined()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  minResponses?: number;
  @blankToUndefined() @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(50) level?: number;
}

/** `/reports/linkage/waves`: optional starting pair, the lag and the metric. */
export class WavesPageQueryDto extends ReportLangQueryDto {
  @blankToUndefined() @IsOptional() @IsString() @Matches(UUID) internal?: string;
  @blankToUndefined() @IsOptional() @IsString() @Matches(UUID) external?: string;
  @blankToUndefined() @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(20) lag?: number;
  @blankToUndefined() @IsOptional() @IsIn(METRICS) metric?: Metric;
}

/** `/reports/linkage/drivers`. */
export class DriversPageQueryDto extends ReportLangQueryDto {
  @IsString() @Matches(UUID, { message: 'internal must be a campaign id' }) internal: string;
  @IsString() @Matches(UUID, { message: 'external must be a campaign id' }) external: string;
  @blankToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(KEY)
  externalQuestion?: string;
  @blankToUndefined() @IsOptional() @IsIn(METRICS) metric?: Metric;
}
