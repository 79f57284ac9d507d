import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { TimeZoneField } from '../../common/time-zone.field.js';
import { FILTER_OPS, ROW_FORMATS } from '@civic/domain';
import { UsageOrganizationDto } from '../../catalog/dto/usage.dto.js';

export class RowFilterDto {
  @ApiProperty({ description: 'A column of the product version.' }) column: string;
  @ApiProperty({ enum: FILTER_OPS }) op: string;
  @ApiPropertyOptional({ description: 'eq, ne, lt, lte, gt, gte, contains: one value (string, number or boolean).', oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] }) value?: unknown;
  @ApiPropertyOptional({ description: 'in: 1–1000 values; between: two.', type: 'array', items: {} }) values?: unknown[];
}

export class RowOrderDto {
  @ApiProperty() column: string;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' }) direction?: 'asc' | 'desc';
}

/** POST …/rows: the same query as the URL form, for filters too long for a URL. Checked against the version's schema. */
export class RowQueryBodyDto {
  @ApiPropertyOptional({ type: [String], description: 'Columns to return (default: all).' }) @Allow() select?: unknown;
  @ApiPropertyOptional({ type: [RowFilterDto] }) @Allow() filters?: unknown;
  @ApiPropertyOptional({ type: [RowOrderDto] }) @Allow() order?: unknown;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_000, default: 100 }) @Allow() limit?: unknown;
  @ApiPropertyOptional({ type: String, description: 'nextCursor of the previous page.' }) @Allow() cursor?: unknown;
  @ApiPropertyOptional({ enum: ROW_FORMATS, default: 'json' }) @Allow() format?: unknown;
}

export class DataColumnDto {
  @ApiProperty() name: string;
  @ApiProperty({ example: 'BIGINT' }) type: string;
}

export class RowPageDto {
  @ApiProperty({ type: 'object', properties: { id: { type: 'string', format: 'uuid' }, slug: { type: 'string' } } }) product: { id: string; slug: string };
  @ApiProperty({ type: 'object', properties: { id: { type: 'string', format: 'uuid' }, number: { type: 'integer' } } }) version: { id: string; number: number };
  @ApiProperty({ type: String, nullable: true, description: 'The licence the page is delivered under; null for the product’s owner.' }) licenseId: string | null;
  @ApiProperty({ type: [DataColumnDto] }) columns: DataColumnDto[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'Rows as objects; big integers and decimals as strings, dates and times in ISO 8601. A page of two rows or more holds `limit - 1` rows of the version and one canary row that fingerprints it to its licensee (it meets the filters and keeps the order), or `limit` rows of the version when its columns leave nothing to mark; the cursor moves on by the version’s rows.',
  })
  rows: Array<Record<string, unknown>>;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor: string | null;
}

export class UsageRangeQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'First day (default: 29 days before `to`).' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) from?: string;
  @ApiPropertyOptional({ format: 'date', description: 'Last day (default: today).' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) to?: string;
  @TimeZoneField()
  timeZone?: string;
}

export class MeteredDayDto {
  @ApiProperty({ format: 'date' }) day: string;
  @ApiProperty({ type: 'integer' }) api_call: number;
  @ApiProperty({ type: 'integer' }) row: number;
  @ApiProperty({ type: 'integer' }) byte: number;
}

export class MeteredTotalsDto {
  @ApiProperty({ type: 'integer' }) api_call: number;
  @ApiProperty({ type: 'integer' }) row: number;
  @ApiProperty({ type: 'integer' }) byte: number;
}

export class LicenseUsageQuotaDto {
  @ApiProperty({ enum: ['api_call', 'row', 'byte'] }) unit: string;
  @ApiProperty({ type: 'integer' }) included: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The plan’s maximum per period, if any.' }) max: number | null;
  @ApiProperty({ type: 'integer' }) used: number;
}

export class UsagePeriodDto {
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time' }) end: string;
  @ApiProperty({ type: MeteredTotalsDto, description: 'Exact use in the period so far.' }) used: MeteredTotalsDto;
}

export class LicenseUsageDto {
  @ApiProperty({ format: 'uuid' }) licenseId: string;
  @ApiProperty({ type: [MeteredDayDto] }) days: MeteredDayDto[];
  @ApiProperty({ type: UsagePeriodDto, nullable: true, description: 'The current billing period (subscriptions and metered plans).' }) period: UsagePeriodDto | null;
  @ApiProperty({ type: LicenseUsageQuotaDto, nullable: true }) quota: LicenseUsageQuotaDto | null;
}

export class ProductUsageDayDto extends MeteredDayDto {
  @ApiProperty({ type: 'integer', description: 'Organizations that received data that day.' }) consumers: number;
}

export class ProductConsumerDto extends MeteredTotalsDto {
  @ApiProperty({ type: UsageOrganizationDto }) organization: UsageOrganizationDto;
  @ApiProperty({ description: "The product's own organization (its reads are not under a licence)." }) own: boolean;
  @ApiProperty({ type: String, format: 'date-time', description: 'Start of the last hour it received data in.' }) lastDeliveredAt: string;
}

export class ProductUsageDto {
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ type: [ProductUsageDayDto] }) days: ProductUsageDayDto[];
  @ApiProperty({ type: MeteredTotalsDto }) totals: MeteredTotalsDto;
  @ApiProperty({ type: 'integer', description: 'Distinct licensees (organizations) that received data in the range.' }) licensees: number;
  @ApiProperty({ type: [ProductConsumerDto], description: 'Who received the most data in the range (by rows, then calls), at most 20.' }) consumers: ProductConsumerDto[];
}


export class DownloadRequestDto {
  @ApiPropertyOptional({ enum: ['parquet', 'csv'], default: 'parquet' }) @IsOptional() @IsIn(['parquet', 'csv']) format?: 'parquet' | 'csv';
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'CSV only: the file starts with a UTF-8 byte order mark, so spreadsheet programs (Excel) read Chinese text correctly.' })
  @IsOptional()
  @IsBoolean()
  bom?: boolean;
}

export class DownloadLinkDto {
  @ApiProperty({ description: 'The signed link (absolute); valid until expiresAt, for this licence only. Supports Range requests.' }) url: string;
  @ApiProperty({ description: 'The same link relative to the API origin.' }) path: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ enum: ['parquet', 'csv'] }) format: 'parquet' | 'csv';
  @ApiProperty({ format: 'uuid' }) versionId: string;
  @ApiProperty({ type: 'integer' }) rows: number;
}

export class LeakLeadDto {
  @ApiProperty({ type: 'integer', description: 'Canary rows of this licence found in the file.' }) canaries: number;
  @ApiProperty({ description: 'The chance that rows like them arise in a file that did not come from this licence’s copy (at least 0.001).' }) chance: number;
}

export class LeakEvidenceDto {
  @ApiProperty({ description: 'The licence id, or owner-<organization id> for the owner’s own copies.' }) licenseId: string;
  @ApiProperty({ type: String, nullable: true, description: 'The licensee organization.' }) buyer: string | null;
  @ApiProperty({ format: 'uuid' }) versionId: string;
  @ApiProperty({ type: 'integer', description: 'Canary rows of this licence in the file: whole-file canaries and data API page canaries.' }) canariesFound: number;
  @ApiProperty({ type: 'integer', description: 'Canary rows the file could hold: the licence’s whole-file canaries (when it is a whole file) plus the page canaries found.' }) canaries: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Of the canaries found, those of data API pages (present when any).' }) pageCanaries?: number;
  @ApiProperty() namedInMetadata: boolean;
  @ApiProperty({
    type: String,
    enum: ['parquet_metadata', 'page_license_id'],
    nullable: true,
    description: 'Where the file names this licence: a Parquet file’s key-value metadata, or a data API page’s licenseId field (JSON, NDJSON); null when it does not. CSV carries no metadata.',
  })
  namedIn: 'parquet_metadata' | 'page_license_id' | null;
  @ApiPropertyOptional({
    type: LeakLeadDto,
    description: 'Canary rows of this licence found that are no proof: the product’s rows are so few or so alike that such rows arise by chance too often. Present only when canariesFound is 0.',
  })
  possible?: LeakLeadDto;
}

export class LeakTraceDto {
  @ApiProperty({ type: [LeakEvidenceDto], description: 'Licences the file carries evidence of, strongest first; empty when none.' }) matches: LeakEvidenceDto[];
}

export class DatasetProductUsageDto {
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty({ description: 'The organization selling the product.' }) seller: string;
  @ApiProperty({ type: 'integer' }) api_call: number;
  @ApiProperty({ type: 'integer' }) row: number;
  @ApiProperty({ type: 'integer' }) byte: number;
  @ApiProperty({ type: 'integer', description: 'Distinct licensees that received data in the range.' }) licensees: number;
}

export class DatasetProductUsageListDto {
  @ApiProperty({ type: [DatasetProductUsageDto], description: 'Products built on the dataset (directly or through other products), most called first.' }) items: DatasetProductUsageDto[];
}
