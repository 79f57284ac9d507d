import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ProductSummaryDto } from './products.dto.js';

/**
 * Which reviews a list holds, by where the product's latest review round stands:
 * in_review (submitted, still taking decisions), decided (approved or rejected), all (every
 * round ever submitted, taken back ones too).
 */
export const REVIEW_LIST_STATES = ['in_review', 'decided', 'all'] as const;
export type ReviewListState = (typeof REVIEW_LIST_STATES)[number];

/** Where a product's latest review round stands: open (pending), or how it closed. */
export const REVIEW_ROUND_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export type ReviewRoundStatus = (typeof REVIEW_ROUND_STATUSES)[number];

export const REVIEW_PAGE_SIZE = { default: 20, max: 100 } as const;

export class ProductReviewListQueryDto {
  @ApiPropertyOptional({
    enum: REVIEW_LIST_STATES,
    default: 'in_review',
    description:
      "By the product's latest review round: `in_review` (submitted, still taking decisions; the caller's own undecided ones first, then the oldest submission), `decided` (approved or rejected, latest decision first), `all` (every product ever submitted, rounds taken back by the owner too; latest activity first).",
  })
  @IsOptional()
  @IsIn(REVIEW_LIST_STATES)
  state?: ReviewListState;

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  page?: number;

  @ApiPropertyOptional({ default: REVIEW_PAGE_SIZE.default, minimum: 1, maximum: REVIEW_PAGE_SIZE.max })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(REVIEW_PAGE_SIZE.max)
  pageSize?: number;
}

export class ReviewerStateDto {
  @ApiProperty({ enum: ['platform', 'agency'] }) reviewerKind: 'platform' | 'agency';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) agencyId: string | null;
  @ApiProperty({ type: String, nullable: true }) agencyName: string | null;
  @ApiProperty({ type: String, enum: ['approve', 'reject'], nullable: true, description: "This reviewer's decision in the round; null: none (waiting while the round is open)." })
  decision: 'approve' | 'reject' | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class ProductReviewSummaryDto extends ProductSummaryDto {
  @ApiProperty({ description: 'The latest review round (1 for the first submission).' }) round: number;
  @ApiProperty({
    enum: REVIEW_ROUND_STATUSES,
    description: 'Where the latest round stands: pending (submitted, taking decisions), approved, rejected, or cancelled (the owner took the submission back before every reviewer decided).',
  })
  reviewStatus: ReviewRoundStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the round was decided (its last decision); null while it is open, and for a cancelled round.' })
  decidedAt: string | null;
  @ApiProperty({ description: 'Whether the round is open and still needs the caller’s decision (always false for supervisors).' }) awaitingYou: boolean;
  @ApiProperty({
    type: [ReviewerStateDto],
    description: "Each reviewer the round needs (the platform operator first, then each agency whose conditional or restricted data is in the lineage) with its decision in the round, if any.",
  })
  reviewers: ReviewerStateDto[];
}

export class ReviewListCountsDto {
  @ApiProperty() in_review: number;
  @ApiProperty() decided: number;
  @ApiProperty() all: number;
}

export class ProductReviewPageDto {
  @ApiProperty({ type: [ProductReviewSummaryDto] }) items: ProductReviewSummaryDto[];
  @ApiProperty({ description: 'Reviews in the chosen state the caller may read.' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ type: ReviewListCountsDto, description: 'How many reviews the caller may read in each state (for the filter).' }) counts: ReviewListCountsDto;
}
