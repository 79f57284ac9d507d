import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { TimeZoneField } from '../../common/time-zone.field.js';
import { ORGANIZATION_KINDS, USAGE_GRANULARITIES, USAGE_MAX_DAYS, type OrganizationKind, type UsageGranularity } from '@civic/domain';
import { DATASET_STATUSES } from './catalog.dto.js';

const DATE_MESSAGE = { message: 'must be a date YYYY-MM-DD' };

// ---- requests ---------------------------------------------------------------

export class UsageQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date', description: 'First day (inclusive), in timeZone. Default: 29 days before `to`.' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE_MESSAGE)
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'Last day (inclusive), in timeZone. Default: today.' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE_MESSAGE)
  to?: string;

  @ApiPropertyOptional({
    enum: USAGE_GRANULARITIES,
    default: 'day',
    description: `Buckets: days, ISO weeks (from Monday) or calendar months. The period is at most ${USAGE_MAX_DAYS.day} days by day, ${USAGE_MAX_DAYS.week} by week, ${USAGE_MAX_DAYS.month} by month.`,
  })
  @IsOptional()
  @IsIn(USAGE_GRANULARITIES)
  granularity?: UsageGranularity;

  @TimeZoneField()
  timeZone?: string;
}

// ---- responses --------------------------------------------------------------

export class UsageCountsDto {
  @ApiProperty({ description: 'Previews of rows.' }) preview: number;
  @ApiProperty({ description: 'CSV downloads.' }) csv: number;
  @ApiProperty({ description: 'Parquet downloads.' }) parquet: number;
  @ApiProperty({ description: 'Every delivery (the kinds above, and any other).' }) deliveries: number;
  @ApiProperty({ description: 'Rows delivered (for downloads, the rows of the version downloaded).' }) rows: number;
}

export class UsageBucketDto extends UsageCountsDto {
  @ApiProperty({ type: String, format: 'date', description: 'First day of the bucket (it may begin before the period).' }) start: string;
}

export class UsageTotalsDto extends UsageCountsDto {
  @ApiProperty({ description: 'Distinct organizations that received rows (signed-in users and API keys).' }) organizations: number;
  @ApiProperty({ description: 'Deliveries to callers who were not signed in (open data).' }) anonymousDeliveries: number;
}

export class UsageOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind: OrganizationKind;
}

export class UsageConsumerDto {
  @ApiProperty({ type: UsageOrganizationDto, nullable: true, description: 'Null: everyone who was not signed in, as one.' })
  organization: UsageOrganizationDto | null;
  @ApiProperty({ description: 'The publishing agency itself.' }) own: boolean;
  @ApiProperty() deliveries: number;
  @ApiProperty() rows: number;
  @ApiProperty({ type: String, format: 'date-time' }) lastDeliveredAt: string;
}

export class UsageDatasetRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty({ enum: DATASET_STATUSES }) status: (typeof DATASET_STATUSES)[number];
}

export class DatasetUsageRowDto extends UsageCountsDto {
  @ApiProperty({ type: UsageDatasetRefDto }) dataset: UsageDatasetRefDto;
  @ApiProperty({ description: 'Distinct organizations that received its rows.' }) organizations: number;
}

export class UsageReportDto {
  @ApiProperty({ type: String, format: 'date' }) from: string;
  @ApiProperty({ type: String, format: 'date' }) to: string;
  @ApiProperty({ enum: USAGE_GRANULARITIES }) granularity: UsageGranularity;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ type: [UsageBucketDto], description: 'One entry per bucket of the period, in order, zeros included.' }) series: UsageBucketDto[];
  @ApiProperty({ type: UsageTotalsDto }) totals: UsageTotalsDto;
  @ApiProperty({ type: [UsageConsumerDto], description: 'The organizations that received most deliveries (at most 10), anonymous callers as one.' })
  topConsumers: UsageConsumerDto[];
}

export class AgencyUsageReportDto extends UsageReportDto {
  @ApiProperty({ type: [DatasetUsageRowDto], description: 'The datasets delivered most often (at most 10).' }) topDatasets: DatasetUsageRowDto[];
}
