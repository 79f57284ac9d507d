import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  CLASSIFICATION_KEYS,
  DATASET_LICENSE_KEYS,
  SENSITIVITY_KEYS,
  THEME_KEYS,
  UPDATE_FREQUENCY_KEYS,
  type Classification,
  type DatasetLicense,
  type Sensitivity,
  type Theme,
  type UpdateFrequency,
} from '@civic/domain';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimList = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '') : value;
const emptyToNull = ({ value }: { value: unknown }) => (value === '' ? null : value);
/** A query parameter given once or repeated, as a list without repeats. */
const toList = ({ value }: { value: unknown }) => (value === undefined ? value : [...new Set(Array.isArray(value) ? value : [value])]);

/** Values one facet filter may hold at once. */
const MAX_FACET_VALUES = 50;
const FACET_HELP = 'Repeat the parameter for several values: a dataset matching any of them is kept (facets are combined with AND).';

export const SOURCE_FORMATS = ['csv', 'json', 'ndjson', 'parquet'] as const;
export const DATASET_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export const SEARCH_SORTS = ['relevance', 'recent', 'popular', 'title'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

// ---- requests ---------------------------------------------------------------

/** Metadata a steward writes (DCAT-AP fields). Every field optional on update. */
export class DatasetMetadataDto {
  @ApiPropertyOptional({ example: '城市道路交通流量' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  titleZh?: string;

  @ApiPropertyOptional({ example: 'Urban road traffic flow' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  titleEn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  descriptionZh?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  descriptionEn?: string;

  @ApiPropertyOptional({ enum: THEME_KEYS })
  @IsOptional()
  @IsIn(THEME_KEYS)
  theme?: Theme;

  @ApiPropertyOptional({ type: [String], example: ['交通', 'traffic'] })
  @IsOptional()
  @Transform(trimList)
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  keywords?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  contactName?: string;

  @ApiPropertyOptional({ example: 'opendata@transport.gov.cn', description: 'An email address, or "" to clear it.' })
  @IsOptional()
  @Transform(trim)
  @ValidateIf((dto: DatasetMetadataDto) => dto.contactEmail !== '')
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string;

  @ApiPropertyOptional({ enum: UPDATE_FREQUENCY_KEYS })
  @IsOptional()
  @IsIn(UPDATE_FREQUENCY_KEYS)
  updateFrequency?: UpdateFrequency;

  @ApiPropertyOptional({ example: '全市 City-wide' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  spatialCoverage?: string;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true })
  @IsOptional()
  @Transform(emptyToNull)
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  temporalStart?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true })
  @IsOptional()
  @Transform(emptyToNull)
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  temporalEnd?: string | null;

  @ApiPropertyOptional({ enum: DATASET_LICENSE_KEYS })
  @IsOptional()
  @IsIn(DATASET_LICENSE_KEYS)
  licenseId?: DatasetLicense;

  @ApiPropertyOptional({ description: 'k: the smallest group any derived output may describe.', minimum: 2, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(1000)
  minGroupSize?: number;

  @ApiPropertyOptional({ enum: ['suppress', 'fail'], description: 'What the privacy gate does with derived cells smaller than k: drop those rows, or fail the run.' })
  @IsOptional()
  @IsIn(['suppress', 'fail'])
  smallCells?: 'suppress' | 'fail';
}

export class CreateDatasetDto extends OmitType(DatasetMetadataDto, ['titleZh', 'titleEn', 'theme'] as const) {
  @ApiProperty({ example: '城市道路交通流量' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  titleZh: string;

  @ApiProperty({ example: 'Urban road traffic flow' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  titleEn: string;

  @ApiProperty({ enum: THEME_KEYS })
  @IsIn(THEME_KEYS)
  theme: Theme;

  @ApiProperty({ enum: CLASSIFICATION_KEYS })
  @IsIn(CLASSIFICATION_KEYS)
  classification: Classification;

  @ApiPropertyOptional({ description: 'URL name; made from the English title when omitted.', example: 'urban-road-traffic-flow' })
  @IsOptional()
  @Matches(/^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$/, { message: 'must be 1-80 lowercase letters, digits and inner hyphens' })
  slug?: string;
}

export class UpdateDatasetDto extends DatasetMetadataDto {}

export class ReclassifyDatasetDto {
  @ApiProperty({ enum: CLASSIFICATION_KEYS })
  @IsIn(CLASSIFICATION_KEYS)
  classification: Classification;

  @ApiProperty({ description: 'Why, for the audit log and the holders of grants.' })
  @Transform(trim)
  @IsString()
  @Length(3, 1000)
  reason: string;
}

export class ColumnUpdateDto {
  @ApiProperty({ example: '道路名称' })
  @IsString()
  @Length(1, 300)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  descriptionZh?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  descriptionEn?: string;

  @ApiPropertyOptional({ enum: SENSITIVITY_KEYS })
  @IsOptional()
  @IsIn(SENSITIVITY_KEYS)
  sensitivity?: Sensitivity;

  @ApiPropertyOptional({ description: 'Expose this personal column to derivations as a keyed pseudonym (for joining and counting people), never raw.' })
  @IsOptional()
  @IsBoolean()
  joinPseudonym?: boolean;
}

export class UpdateColumnsDto {
  @ApiProperty({ type: [ColumnUpdateDto] })
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => ColumnUpdateDto)
  columns: ColumnUpdateDto[];
}

export class SearchDatasetsQueryDto {
  @ApiPropertyOptional({ example: '交通', description: 'Words to find in titles, descriptions, keywords and column names (Chinese or English).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: THEME_KEYS, isArray: true, description: FACET_HELP })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(MAX_FACET_VALUES)
  @IsIn(THEME_KEYS, { each: true })
  theme?: Theme[];

  @ApiPropertyOptional({ type: [String], description: `Agency slugs. ${FACET_HELP}` })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(MAX_FACET_VALUES)
  @Matches(/^[a-z0-9-]{1,80}$/, { each: true })
  agency?: string[];

  @ApiPropertyOptional({ enum: CLASSIFICATION_KEYS, isArray: true, description: FACET_HELP })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(MAX_FACET_VALUES)
  @IsIn(CLASSIFICATION_KEYS, { each: true })
  classification?: Classification[];

  @ApiPropertyOptional({ enum: SOURCE_FORMATS, isArray: true, description: FACET_HELP })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(MAX_FACET_VALUES)
  @IsIn(SOURCE_FORMATS, { each: true })
  format?: Array<(typeof SOURCE_FORMATS)[number]>;

  @ApiPropertyOptional({ enum: UPDATE_FREQUENCY_KEYS, isArray: true, description: FACET_HELP })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(MAX_FACET_VALUES)
  @IsIn(UPDATE_FREQUENCY_KEYS, { each: true })
  updateFrequency?: UpdateFrequency[];

  @ApiPropertyOptional({ enum: SEARCH_SORTS, default: 'relevance' })
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort?: SearchSort;

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  page?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize?: number;
}

export class DownloadQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'parquet'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'parquet'])
  format?: 'csv' | 'parquet';

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'CSV only: start with a UTF-8 byte order mark, so spreadsheet programs (Excel) read Chinese text correctly.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  bom?: boolean;
}

// ---- responses --------------------------------------------------------------

export class AgencyRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
}

export class ColumnDto {
  @ApiProperty() name: string;
  @ApiProperty() position: number;
  @ApiProperty({ example: 'BIGINT' }) dataType: string;
  @ApiProperty() descriptionZh: string;
  @ApiProperty() descriptionEn: string;
  @ApiProperty({ enum: SENSITIVITY_KEYS }) sensitivity: Sensitivity;
  @ApiProperty({ description: 'A personal column derivations see as a keyed pseudonym.' }) joinPseudonym: boolean;
  @ApiProperty({ description: 'False for columns of earlier versions only.' }) inCurrentVersion: boolean;
}

export class TopValueDto {
  @ApiProperty({ type: String, nullable: true }) value: string | null;
  @ApiProperty() count: number;
}

export class ColumnProfileDto {
  @ApiProperty() name: string;
  @ApiProperty() type: string;
  @ApiProperty({ description: 'Share of empty values, 0..1.' }) nullShare: number;
  @ApiProperty() approxDistinct: number;
  @ApiProperty({ type: String, nullable: true }) min: string | null;
  @ApiProperty({ type: String, nullable: true }) max: string | null;
  @ApiProperty({ type: [TopValueDto] }) topValues: TopValueDto[];
}

export class SchemaColumnDto {
  @ApiProperty() name: string;
  @ApiProperty() type: string;
}

export class RetypedColumnDto {
  @ApiProperty() name: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
}

export class SchemaChangesDto {
  @ApiProperty({ type: [SchemaColumnDto] }) added: SchemaColumnDto[];
  @ApiProperty({ type: [SchemaColumnDto] }) removed: SchemaColumnDto[];
  @ApiProperty({ type: [RetypedColumnDto] }) retyped: RetypedColumnDto[];
}

export class DatasetVersionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty() sha256: string;
  @ApiProperty() sourceFilename: string;
  @ApiProperty({ enum: SOURCE_FORMATS }) sourceFormat: (typeof SOURCE_FORMATS)[number];
  @ApiProperty({ type: String, nullable: true, enum: ['utf-8', 'utf-8-bom', 'gb18030'] }) encoding: 'utf-8' | 'utf-8-bom' | 'gb18030' | null;
  @ApiProperty() bytes: number;
  @ApiProperty() parquetBytes: number;
  @ApiProperty() rowCount: number;
  @ApiProperty({ type: [SchemaColumnDto] }) schema: SchemaColumnDto[];
  @ApiProperty({ type: SchemaChangesDto, nullable: true }) schemaChanges: SchemaChangesDto | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class DatasetSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() descriptionZh: string;
  @ApiProperty() descriptionEn: string;
  @ApiProperty({ enum: THEME_KEYS }) theme: Theme;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty({ type: AgencyRefDto }) agency: AgencyRefDto;
  @ApiProperty({ enum: CLASSIFICATION_KEYS }) classification: Classification;
  @ApiProperty({ enum: UPDATE_FREQUENCY_KEYS }) updateFrequency: UpdateFrequency;
  @ApiProperty({ enum: DATASET_STATUSES }) status: (typeof DATASET_STATUSES)[number];
  @ApiProperty({ type: String, nullable: true, enum: SOURCE_FORMATS }) sourceFormat: (typeof SOURCE_FORMATS)[number] | null;
  @ApiProperty({ type: Number, nullable: true }) rowCount: number | null;
  @ApiProperty({ type: Number, nullable: true }) versionNumber: number | null;
  @ApiProperty() downloadCount: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class DatasetDetailDto extends DatasetSummaryDto {
  @ApiProperty() contactName: string;
  @ApiProperty() contactEmail: string;
  @ApiProperty() spatialCoverage: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) temporalStart: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) temporalEnd: string | null;
  @ApiProperty({ enum: DATASET_LICENSE_KEYS }) licenseId: DatasetLicense;
  @ApiProperty() minGroupSize: number;
  @ApiProperty({ enum: ['suppress', 'fail'] }) smallCells: 'suppress' | 'fail';
  @ApiProperty({ type: [ColumnDto] }) columns: ColumnDto[];
  @ApiProperty({ type: DatasetVersionDto, nullable: true }) currentVersion: DatasetVersionDto | null;
  @ApiProperty({ type: [ColumnProfileDto] }) profile: ColumnProfileDto[];
  @ApiProperty({
    enum: ['free', 'granted', 'owner', 'denied'],
    description: "Whether the caller may receive rows: free (open data), granted (a grant in force), owner (the publishing agency), denied.",
  })
  rowAccess: 'free' | 'granted' | 'owner' | 'denied';
  @ApiProperty({ description: 'Whether the caller may see a preview of rows (open data only).' }) previewAvailable: boolean;
}

export class FacetCountDto {
  @ApiProperty() value: string;
  @ApiProperty({ description: 'Display name where the value is an id (agencies).', required: false }) label?: string;
  @ApiProperty() count: number;
}

export class FacetDto {
  @ApiProperty({ enum: ['theme', 'agency', 'classification', 'format', 'updateFrequency'] })
  field: 'theme' | 'agency' | 'classification' | 'format' | 'updateFrequency';
  @ApiProperty({ type: [FacetCountDto] }) counts: FacetCountDto[];
}

export class DatasetSearchResultDto {
  @ApiProperty({ type: [DatasetSummaryDto] }) items: DatasetSummaryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ type: [FacetDto] }) facets: FacetDto[];
}

export class DatasetListDto {
  @ApiProperty({ type: [DatasetSummaryDto] }) items: DatasetSummaryDto[];
}

export class DatasetVersionListDto {
  @ApiProperty({ type: [DatasetVersionDto] }) items: DatasetVersionDto[];
}

export class PreviewDto {
  @ApiProperty({ type: [SchemaColumnDto] }) columns: SchemaColumnDto[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) rows: Record<string, unknown>[];
  @ApiProperty() totalRows: number;
}

export class IngestionErrorDto {
  @ApiProperty({ example: 'ingest.ragged_rows' }) code: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) details: Record<string, unknown> | null;
}

export class IngestionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) datasetId: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'duplicate', 'failed'] }) status: 'queued' | 'running' | 'succeeded' | 'duplicate' | 'failed';
  @ApiProperty({ type: String, nullable: true, enum: ['inspecting', 'converting', 'profiling', 'publishing'] })
  stage: 'inspecting' | 'converting' | 'profiling' | 'publishing' | null;
  @ApiProperty({ description: 'Percent done.' }) progress: number;
  @ApiProperty() filename: string;
  @ApiProperty() bytes: number;
  @ApiProperty({ type: IngestionErrorDto, nullable: true }) error: IngestionErrorDto | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The version made (or, for a duplicate, the existing one).' }) version: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class IngestionListDto {
  @ApiProperty({ type: [IngestionDto] }) items: IngestionDto[];
}

export class DependentProductDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The product's id when it is the agency's own (its workspace), else null." })
  id: string | null;
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() organizationName: string;
  @ApiProperty({ enum: ['approved', 'published'] }) status: 'approved' | 'published';
  @ApiProperty({ description: "Whether the agency owns it (a base product, or one derived from its own data)." }) own: boolean;
}

export class DatasetDependentsDto {
  @ApiProperty({
    type: [DependentProductDto],
    description: "Listed products built on the dataset, directly or through other products: published ones and the agency's own.",
  })
  items: DependentProductDto[];
  @ApiProperty({ description: "Approved but unpublished products of other organizations built on it (counted, not named)." })
  unlisted: number;
}
