import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCleanText } from '../common/text.js';
import type { QuestionReportJson } from './question-stats.js';
import type { Audience } from '../domain/audience.js';
import { LANGUAGES, type Language } from '../domain/language.js';

export type { QuestionReportJson } from './question-stats.js';
import type { WaveChangeJson } from './wave-change.js';
export type { WaveChangeJson } from './wave-change.js';

export class CampaignReportQueryDto {
  @ApiPropertyOptional({
    description:
      'Limit the report to this unit and its descendants. Internal campaigns refuse (403) a filter ' +
      'whose group or remainder would fall below MIN_GROUP_SIZE.',
  })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(64)
  unitCode?: string;
}

/** `?lang=en|it` on every /reports page (the linkage pages extend it with their parameters). */
export class ReportLangQueryDto {
  @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

/** One row of `units`: a suppressed unit carries no numbers, not even n. */
export interface UnitReportJson {
  unitCode: string;
  unitName: string;
  n?: number;
  /** Mean of the headline question in the unit; absent when nobody answered it or it is hidden. */
  headline?: number;
  /** NPS (−100…100) of the headline in the unit, when the headline is an NPS question; absent as above. */
  headlineNps?: number;
  suppressed?: true;
}

/** `GET /api/campaigns/:id/report` (API.md "Reports"); extra fields never change the shape. */
export interface CampaignReportJson {
  campaign: { id: string; name: string; audience: Audience; wave: string };
  /** The unit subtree the report is limited to (absent for the whole campaign). */
  filter?: { unitCode: string; unitName: string };
  invited: number;
  responses: number;
  responseRate: number | null;
  /** MIN_GROUP_SIZE applied (internal campaigns), null when nothing is suppressed (external). */
  minGroupSize: number | null;
  /**
   * Internal campaigns: whether their figures are released yet. They are released when the
   * campaign closes (figures that move with each answer would tell each answer, SECURITY.md E4);
   * until then only the response counts of the whole campaign are shown.
   */
  resultsReleased?: boolean;
  headline: string;
  questions: QuestionReportJson[];
  units: UnitReportJson[];
  /** Unit codes that may be passed as `?unitCode=` (internal: those passing the remainder rule). */
  filterableUnits: string[];
  /**
   * Issue 9: the headline's change since the previous wave of the same series, with 95% intervals
   * and the units that moved most (released groups of both waves only). Absent with `?unitCode=`.
   */
  change?: WaveChangeJson;
}

export class CampaignReportDoc {
  @ApiProperty({
    example: { id: 'uuid', name: 'Internal 2026-Q1', audience: 'internal', wave: '2026-Q1' },
  })
  campaign!: object;
  @ApiProperty() invited!: number;
  @ApiProperty() responses!: number;
  @ApiProperty({ nullable: true, type: Number }) responseRate!: number | null;
  @ApiProperty({ type: [Object] }) questions!: object[];
  @ApiProperty({ type: [Object] }) units!: object[];
  @ApiPropertyOptional({
    type: Object,
    description:
      'Issue 9 (absent with ?unitCode=): { status: compared | noPreviousWave | notReleased | ' +
      'previousNotReleased | noAnswers, question, previous: { id, name, wave } | null, mean, nps?, ' +
      'topBox?: { previous, current, difference, ci95: [lo, hi] | null, withinNoise } | null, ' +
      'movers: [{ unitCode, unitName, previous: { n, mean }, current: { n, mean }, difference, ' +
      'ci95, withinNoise }] } — the headline since the previous wave of the series (Welch; NPS ' +
      'SEs combined; Newcombe hybrid score), movers only among units both waves release.',
  })
  change?: object;
}
