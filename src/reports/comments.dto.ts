import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsCleanText } from '../common/text.js';
import { LANGUAGES, type Language } from '../domain/language.js';

/** `GET /api/campaigns/:id/comments` and `/reports/campaigns/:id/comments`. */
export class CommentsQueryDto {
  @ApiPropertyOptional({ description: 'key of a text question (default: the first one)' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(64)
  question?: string;

  @ApiPropertyOptional({
    description:
      'code of a unit whose subtree is listed (default: the whole campaign). Internal campaigns ' +
      'accept only the released groups listed in `groups` (403 otherwise).',
  })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(64)
  unit?: string;

  @ApiPropertyOptional({ description: 'search text: case- and accent-insensitive substring' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'page, from 1 (50 comments per page)', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;
}

/** The page adds `?lang=`. */
export class CommentsPageQueryDto extends CommentsQueryDto {
  @IsOptional() @IsIn(LANGUAGES) lang?: Language;
}

export class CommentDoc {
  @ApiProperty() text!: string;
  @ApiPropertyOptional({
    description: 'external campaigns only: the respondent unit',
    example: { code: 'B-MI', name: 'Milano' },
  })
  unit?: object;
  @ApiPropertyOptional({ description: 'external campaigns only: the language of the form' })
  language?: string;
}

export class CommentsDoc {
  @ApiProperty({ example: { id: 'uuid', name: 'Internal 2026-Q1', audience: 'internal' } })
  campaign!: object;
  @ApiProperty({ description: 'false while an internal campaign is open: nothing is listed' })
  released!: boolean;
  @ApiProperty({ nullable: true, type: Number }) minCommentGroupSize!: number | null;
  @ApiProperty({ type: [Object] }) questions!: object[];
  @ApiProperty({ nullable: true, type: String }) question!: string | null;
  @ApiProperty({
    type: [Object],
    description: 'the groups that may be listed (unitCode null: the whole campaign)',
  })
  groups!: object[];
  @ApiProperty({ nullable: true, type: Object }) group!: object | null;
  @ApiProperty({ description: 'comments in the group' }) total!: number;
  @ApiProperty({ description: 'of them, those matching q' }) matching!: number;
  @ApiProperty() q!: string;
  @ApiProperty() page!: number;
  @ApiProperty() pageCount!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({
    type: [CommentDoc],
    description:
      'in a random order, stable for the campaign; internal campaigns: text only, never attributed',
  })
  comments!: CommentDoc[];
}
