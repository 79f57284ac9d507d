import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  INPUT_NAME_PATTERN,
  INPUT_WEIGHT,
  PRODUCT_DESCRIPTION_MAX_LENGTH,
  PRODUCT_SQL_MAX_LENGTH,
  PRODUCT_TITLE_MAX_LENGTH,
  SQL_RESERVED_WORDS,
  GATE_OUTCOMES,
  GATE_REASONS,
  GATE_RULES,
  POLICY_CHANGE_KIND_KEYS,
  SENSITIVITY_KEYS,
  SMALL_CELL_HANDLING_KEYS,
  SUSPENSION_CAUSE_KEYS,
  THEME_KEYS,
  type GateOutcome,
  type GateReasonCode,
  type GateRule,
  type OutputRole,
  type PolicyChange,
  type Sensitivity,
  type SmallCellHandling,
  type SuspensionCause,
  type Theme,
} from '@civic/domain';
import { ColumnProfileDto, SchemaColumnDto } from '../../catalog/dto/catalog.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The SQL's rules, on every request that carries SQL: some text (not only blanks), within the limit. */
const SQL_NOT_BLANK = { message: 'sql is empty: write one SELECT over the inputs', context: { notBlank: true } };
const SQL_MAX_LENGTH = { message: `sql must be at most ${PRODUCT_SQL_MAX_LENGTH} characters long`, context: { maxLength: PRODUCT_SQL_MAX_LENGTH } };
const SQL_DESCRIPTION = `DuckDB SQL: one SELECT over the inputs by name; not empty or blank, at most ${PRODUCT_SQL_MAX_LENGTH} characters (longer is a 400 with the limit as \`context.maxLength\` of the field's problem).`;

export const PRODUCT_STATUS_VALUES = ['draft', 'submitted', 'approved', 'published', 'retired', 'suspended'] as const;
export const RUN_STATUS_VALUES = ['queued', 'running', 'succeeded', 'duplicate', 'failed', 'cancelled'] as const;
export const RUN_STAGE_VALUES = ['validating', 'materializing', 'gating', 'profiling', 'publishing'] as const;

export class ProductInputSpecDto {
  @ApiProperty({
    description: "The view name the SQL reads this input by: a lower-case SQL identifier, not one of DuckDB's reserved words (select, from, order, join…), which the SQL could not read unquoted.",
    example: 'traffic',
    pattern: INPUT_NAME_PATTERN.source,
  })
  @IsString()
  @Matches(INPUT_NAME_PATTERN, { message: 'name must be a lower-case SQL identifier (letters, digits, _)' })
  @IsNotIn(SQL_RESERVED_WORDS, {
    message: ({ value }) => `name "${String(value)}" is a reserved word of DuckDB's SQL, which the SQL could not read unquoted: choose another name`,
    context: { reservedWord: true },
  })
  name: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A dataset (exactly one of datasetId, productId).' })
  @ValidateIf((input: ProductInputSpecDto) => input.productId === undefined)
  @IsUUID()
  datasetId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Another product (exactly one of datasetId, productId).' })
  @ValidateIf((input: ProductInputSpecDto) => input.datasetId === undefined)
  @IsUUID()
  productId?: string;

  @ApiPropertyOptional({
    description: 'Lineage weight, a whole number (default 1: equal shares). 0 is refused: every input the SQL reads is credited in the lineage.',
    minimum: INPUT_WEIGHT.min,
    maximum: INPUT_WEIGHT.max,
  })
  @IsOptional()
  @IsInt({ message: 'weight must be a whole number', context: { min: INPUT_WEIGHT.min, max: INPUT_WEIGHT.max } })
  @Min(INPUT_WEIGHT.min, { message: `weight must be at least ${INPUT_WEIGHT.min}`, context: { min: INPUT_WEIGHT.min, max: INPUT_WEIGHT.max } })
  @Max(INPUT_WEIGHT.max, { message: `weight must be at most ${INPUT_WEIGHT.max}`, context: { min: INPUT_WEIGHT.min, max: INPUT_WEIGHT.max } })
  weight?: number;
}

const TITLE_LENGTH = { context: { minLength: 1, maxLength: PRODUCT_TITLE_MAX_LENGTH } };
const DESCRIPTION_LENGTH = { context: { maxLength: PRODUCT_DESCRIPTION_MAX_LENGTH } };

class ProductMetadataDto {
  @ApiPropertyOptional({ maxLength: PRODUCT_TITLE_MAX_LENGTH })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, PRODUCT_TITLE_MAX_LENGTH, TITLE_LENGTH)
  titleZh?: string;

  @ApiPropertyOptional({ maxLength: PRODUCT_TITLE_MAX_LENGTH })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, PRODUCT_TITLE_MAX_LENGTH, TITLE_LENGTH)
  titleEn?: string;

  @ApiPropertyOptional({ maxLength: PRODUCT_DESCRIPTION_MAX_LENGTH, description: 'Kept as sent: a longer text is refused (400), never cut.' })
  @IsOptional()
  @IsString()
  @MaxLength(PRODUCT_DESCRIPTION_MAX_LENGTH, DESCRIPTION_LENGTH)
  descriptionZh?: string;

  @ApiPropertyOptional({ maxLength: PRODUCT_DESCRIPTION_MAX_LENGTH, description: 'Kept as sent: a longer text is refused (400), never cut.' })
  @IsOptional()
  @IsString()
  @MaxLength(PRODUCT_DESCRIPTION_MAX_LENGTH, DESCRIPTION_LENGTH)
  descriptionEn?: string;

  @ApiPropertyOptional({ enum: THEME_KEYS })
  @IsOptional()
  @IsIn(THEME_KEYS)
  theme?: Theme;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ description: SQL_DESCRIPTION, maxLength: PRODUCT_SQL_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @Matches(/\S/, SQL_NOT_BLANK)
  @MaxLength(PRODUCT_SQL_MAX_LENGTH, SQL_MAX_LENGTH)
  sql?: string;

  @ApiPropertyOptional({ type: [ProductInputSpecDto], maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ProductInputSpecDto)
  inputs?: ProductInputSpecDto[];
}

export class CreateProductDto extends ProductMetadataDto {
  @ApiProperty({ enum: ['base', 'derived'] })
  @IsIn(['base', 'derived'])
  kind: 'base' | 'derived';

  @ApiProperty({ maxLength: PRODUCT_TITLE_MAX_LENGTH })
  @Transform(trim)
  @IsString()
  @Length(1, PRODUCT_TITLE_MAX_LENGTH, TITLE_LENGTH)
  declare titleZh: string;

  @ApiProperty({
    maxLength: PRODUCT_TITLE_MAX_LENGTH,
    description: 'Without a slug, the URL name is made from it: its words up to 60 characters, cut between words and not ending in "and", "by", "of"…',
  })
  @Transform(trim)
  @IsString()
  @Length(1, PRODUCT_TITLE_MAX_LENGTH, TITLE_LENGTH)
  declare titleEn: string;

  @ApiProperty({ enum: THEME_KEYS })
  @IsIn(THEME_KEYS)
  declare theme: Theme;

  @ApiProperty({ type: [ProductInputSpecDto], maxItems: 10 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ProductInputSpecDto)
  declare inputs: ProductInputSpecDto[];

  @ApiPropertyOptional({ pattern: '^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$' })
  @IsOptional()
  @Matches(/^[a-z0-9]([a-z0-9-]{0,78}[a-z0-9])?$/)
  slug?: string;
}

export class UpdateProductDto extends ProductMetadataDto {}

export class DryRunDto {
  @ApiPropertyOptional({ description: `SQL to try instead of the saved one (nothing is saved). ${SQL_DESCRIPTION}`, maxLength: PRODUCT_SQL_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @Matches(/\S/, SQL_NOT_BLANK)
  @MaxLength(PRODUCT_SQL_MAX_LENGTH, SQL_MAX_LENGTH)
  sql?: string;

  @ApiPropertyOptional({ type: [ProductInputSpecDto], maxItems: 10, description: 'Inputs to try instead of the saved ones.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ProductInputSpecDto)
  inputs?: ProductInputSpecDto[];
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @ApiPropertyOptional({ description: 'Required when rejecting; shown to the owner and kept in the audit log.', maxLength: 2000 })
  @ValidateIf((input: ReviewDecisionDto) => input.decision === 'reject' || input.reason !== undefined)
  @Transform(trim)
  @IsString()
  @Length(3, 2000)
  reason?: string;
}

export class ProductsQueryDto {
  @ApiPropertyOptional({ enum: PRODUCT_STATUS_VALUES })
  @IsOptional()
  @IsIn(PRODUCT_STATUS_VALUES)
  status?: (typeof PRODUCT_STATUS_VALUES)[number];
}

export class IdParamDto {
  @IsUUID()
  id: string;
}

// ---- responses ----
// Every field's schema is declared (nested DTO classes) so the generated web client types are
// exact; the TypeScript types of the fields stay what the services assemble.

const CLASSIFICATION_VALUES = ['open', 'conditional', 'restricted'] as const;
const GATE_OUTCOME_VALUES = Object.keys(GATE_OUTCOMES) as GateOutcome[];
const GATE_RULE_VALUES = Object.keys(GATE_RULES) as GateRule[];
const GATE_REASON_VALUES = Object.keys(GATE_REASONS) as GateReasonCode[];
const SMALL_CELL_VALUES = SMALL_CELL_HANDLING_KEYS;
const UNUSABLE_REASON_VALUES = ['denied', 'withdrawn', 'unpublished', 'no_version', 'not_listed'] as const;

export class InputColumnDto {
  @ApiProperty() name: string;
  @ApiProperty({ description: 'DuckDB type as the SQL sees it (VARCHAR for a pseudonym).' }) type: string;
  @ApiProperty({ enum: SENSITIVITY_KEYS }) sensitivity: Sensitivity;
  @ApiProperty({ description: 'A personal column the SQL sees as a keyed pseudonym.' }) pseudonym: boolean;
}

export class ProductInputDto {
  @ApiProperty() name: string;
  @ApiProperty() position: number;
  @ApiProperty() weight: number;
  @ApiProperty({ enum: ['dataset', 'product'] }) kind: 'dataset' | 'product';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() organizationName: string;
  @ApiProperty({ type: String, enum: CLASSIFICATION_VALUES, nullable: true, description: "The dataset's classification; null for a product." })
  classification: 'open' | 'conditional' | 'restricted' | null;
  @ApiProperty({ description: 'Whether the owner may derive from it now (grant in force, source available).' })
  usable: boolean;
  @ApiProperty({ type: String, enum: UNUSABLE_REASON_VALUES, nullable: true, description: 'Why not, when not usable.' })
  unusableReason: (typeof UNUSABLE_REASON_VALUES)[number] | null;
  @ApiProperty({ type: [InputColumnDto], description: 'Columns the SQL sees (personal columns only as pseudonyms).' })
  columns: Array<{ name: string; type: string; sensitivity: string; pseudonym: boolean }>;
}

export class GateCheckedColumnsDto {
  @ApiProperty({ type: [String] }) quasiIdentifiers: string[];
  @ApiProperty({ type: [String] }) countColumns: string[];
  @ApiProperty({ type: [String] }) personal: string[];
}

export class GateReasonDto {
  @ApiProperty({ enum: GATE_REASON_VALUES }) code: GateReasonCode;
  @ApiPropertyOptional({ type: [String], description: 'personal_column: the personal output columns.' }) columns?: string[];
  @ApiPropertyOptional({ description: 'small_cells, k_anonymity: the minimum group size.' }) k?: number;
  @ApiPropertyOptional({ type: [String], description: 'small_cells: the count columns checked.' }) countColumns?: string[];
  @ApiPropertyOptional({ type: [String], description: 'k_anonymity: the quasi-identifiers checked.' }) quasiIdentifiers?: string[];
  @ApiPropertyOptional() violatingRows?: number;
  @ApiPropertyOptional() violatingGroups?: number;
  @ApiPropertyOptional({ enum: SMALL_CELL_VALUES }) handling?: SmallCellHandling;
  @ApiPropertyOptional({ description: 'all_rows_suppressed: the rows the output had.' }) rowCount?: number;
}

export class GateReportDto {
  @ApiProperty({ description: "Version of the report's shape." }) version: number;
  @ApiProperty({ enum: GATE_OUTCOME_VALUES }) outcome: GateOutcome;
  @ApiProperty({ enum: GATE_RULE_VALUES }) rule: GateRule;
  @ApiProperty() k: number;
  @ApiProperty({ enum: SMALL_CELL_VALUES }) smallCells: SmallCellHandling;
  @ApiProperty({ type: GateCheckedColumnsDto }) checkedColumns: GateCheckedColumnsDto;
  @ApiProperty() rowCount: number;
  @ApiProperty() violatingRows: number;
  @ApiProperty() violatingGroups: number;
  @ApiProperty({ description: 'Rows dropped from the published output.' }) suppressedRows: number;
  @ApiProperty({ description: 'Rows in the published output (0 when the gate failed).' }) rowsPublished: number;
  @ApiProperty({ type: [GateReasonDto], description: 'Every problem found; empty when the gate simply passed.' }) reasons: GateReasonDto[];
}

export class RunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ enum: ['manual', 'upstream'] }) trigger: 'manual' | 'upstream';
  @ApiProperty({ enum: RUN_STATUS_VALUES }) status: (typeof RUN_STATUS_VALUES)[number];
  @ApiProperty({ type: String, enum: RUN_STAGE_VALUES, nullable: true }) stage: (typeof RUN_STAGE_VALUES)[number] | null;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: Number, nullable: true }) outputRows: number | null;
  @ApiProperty({ type: GateReportDto, nullable: true }) gateReport: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, example: 'derive.syntax' }) errorCode: string | null;
  @ApiProperty({ type: String, nullable: true }) errorMessage: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'Where and what: line, column, position, input, name, function; for derive.gate_failed the gate report as `report`; for derive.no_input_read and derive.unused_input the names of the inputs not read as `inputs`; for product.policy_changed each input whose privacy settings changed, with the changes, as `inputs`.',
  })
  errorDetails: Record<string, unknown> | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) versionId: string | null;
  @ApiProperty({ type: Number, nullable: true }) version: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class RunListDto {
  @ApiProperty({ type: [RunDto] }) items: RunDto[];
}

export class VersionInputDto {
  @ApiProperty() name: string;
  @ApiProperty() weight: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) datasetVersionId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) productVersionId: string | null;
  @ApiProperty({ enum: ['dataset', 'product'], description: 'Whether the input was a dataset or another product.' }) kind: 'dataset' | 'product';
  @ApiProperty({ format: 'uuid', description: 'The dataset or product the version belongs to.' }) sourceId: string;
  @ApiProperty({ description: "The dataset's or product's URL name." }) slug: string;
  @ApiProperty({ description: "The dataset's or product's title (as it is now)." }) titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty({ description: 'The number of the dataset or product version read.' }) version: number;
}

export class ProductVersionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty() rowCount: number;
  @ApiProperty() parquetBytes: number;
  @ApiProperty({ type: [SchemaColumnDto] }) schema: Array<{ name: string; type: string }>;
  @ApiProperty({ type: [ColumnProfileDto] }) profile: unknown[];
  @ApiProperty({ type: GateReportDto, description: 'The privacy gate report.' }) gateReport: Record<string, unknown>;
  @ApiProperty({ type: [VersionInputDto], description: 'Exact input versions and weights.' })
  inputs: VersionInputDto[];
  @ApiProperty() sql: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ProductVersionListDto {
  @ApiProperty({ type: [ProductVersionDto] }) items: ProductVersionDto[];
}

export class ReviewDto {
  @ApiProperty() round: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The product version the decision was about.' }) version: number | null;
  @ApiProperty({ enum: ['platform', 'agency'] }) reviewerKind: 'platform' | 'agency';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) agencyId: string | null;
  @ApiProperty({ type: String, nullable: true }) agencyName: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The person who decided, for reviewers and supervisors (null in the owner’s view, which names the reviewing organization only).',
  })
  decidedByName: string | null;
  @ApiProperty({ enum: ['approve', 'reject'] }) decision: 'approve' | 'reject';
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
}

export class RequiredReviewerDto {
  @ApiProperty({ enum: ['platform', 'agency'] }) reviewerKind: 'platform' | 'agency';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) agencyId: string | null;
  @ApiProperty({ type: String, nullable: true }) agencyName: string | null;
  @ApiProperty({ description: 'Whether this reviewer has decided in the current round.' }) decided: boolean;
}

export const REVIEW_STATUS_VALUES = ['not_submitted', 'pending', 'approved', 'rejected', 'cancelled'] as const;

export class ReviewStateDto {
  @ApiProperty() round: number;
  @ApiProperty({ enum: REVIEW_STATUS_VALUES, description: 'cancelled: the owner took the submission back before every reviewer decided.' })
  status: (typeof REVIEW_STATUS_VALUES)[number];
  @ApiProperty({ description: 'Whether the round still takes decisions (the product is submitted).' }) open: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the round was submitted.' }) submittedAt: string | null;
  @ApiProperty({ type: [RequiredReviewerDto], description: 'Reviewers this round needs: the platform and each agency with conditional or restricted inputs.' })
  required: Array<{ reviewerKind: 'platform' | 'agency'; agencyId: string | null; agencyName: string | null; decided: boolean }>;
  @ApiProperty({ type: [ReviewDto], description: 'Decisions of this round.' }) decisions: ReviewDto[];
  @ApiProperty({ type: [ReviewDto], description: 'Decisions of earlier rounds, latest round first.' }) history: ReviewDto[];
}

export class SuspensionReasonDto {
  @ApiProperty({ enum: SUSPENSION_CAUSE_KEYS }) cause: SuspensionCause;
  @ApiPropertyOptional({ format: 'uuid', description: 'The dataset that caused it.' }) datasetId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The input product that caused it.' }) productId?: string;
  @ApiPropertyOptional({ description: 'The reason the agency gave (a withdrawal, a reclassification, a revoked grant).' }) note?: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class PolicyChangeDto {
  @ApiProperty({ enum: POLICY_CHANGE_KIND_KEYS }) kind: PolicyChange['kind'];
  @ApiPropertyOptional({ oneOf: [{ type: 'number' }, { type: 'string' }], description: 'k_raised, k_lowered: k before; sensitivity changes: the sensitivity before.' })
  from?: number | string;
  @ApiPropertyOptional({ oneOf: [{ type: 'number' }, { type: 'string' }], description: 'k_raised, k_lowered: k after; sensitivity changes: the sensitivity after.' })
  to?: number | string;
  @ApiPropertyOptional({ description: 'Sensitivity and pseudonym changes: the column.' }) column?: string;
}

export class InputSettingsChangeDto {
  @ApiProperty({ description: 'The input, as the SQL names it.' }) name: string;
  @ApiProperty({ type: [PolicyChangeDto] }) changes: PolicyChangeDto[];
}

export class SettingsChangedDto {
  @ApiProperty({ format: 'uuid', description: 'The latest run, made under the earlier settings.' }) runId: string;
  @ApiProperty({ type: [InputSettingsChangeDto], description: 'Each input whose privacy settings changed since that run was asked for.' })
  inputs: InputSettingsChangeDto[];
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Whether the current version meets the settings as they stand (submitting and publishing refuse one that does not: product.policy_changed); null without a version.',
  })
  versionMeetsSettings: boolean | null;
}

export class ProductDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() organizationName: string;
  @ApiProperty({ enum: ['base', 'derived'] }) kind: 'base' | 'derived';
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() descriptionZh: string;
  @ApiProperty() descriptionEn: string;
  @ApiProperty({ enum: THEME_KEYS }) theme: Theme;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty() sql: string;
  @ApiProperty({ enum: PRODUCT_STATUS_VALUES }) status: (typeof PRODUCT_STATUS_VALUES)[number];
  @ApiProperty({ type: SuspensionReasonDto, nullable: true }) suspensionReason: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last review rejected the listing.' }) rejectionReason: string | null;
  @ApiProperty({ type: [ProductInputDto] }) inputs: ProductInputDto[];
  @ApiProperty({ type: ProductVersionDto, nullable: true }) currentVersion: ProductVersionDto | null;
  @ApiProperty({ type: RunDto, nullable: true }) latestRun: RunDto | null;
  @ApiProperty({
    type: SettingsChangedDto,
    nullable: true,
    description: "Set when an agency changed the privacy settings of an input since the latest run was asked for: run again to derive under today's settings.",
  })
  settingsChanged: SettingsChangedDto | null;
  @ApiProperty({ type: ReviewStateDto }) review: ReviewStateDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
}

export class EntryPriceDto {
  @ApiProperty({
    enum: ['free', 'from', 'usage'],
    description: 'from: the smallest fixed fee of its offers (compared per month); free: an offer is free (amount, currency and interval: the smallest fee of the others, if any); usage: only usage-priced offers.',
  })
  kind: 'free' | 'from' | 'usage';
  @ApiPropertyOptional({ type: 'integer', description: 'The smallest fixed fee, in minor units.' }) amount?: number;
  @ApiPropertyOptional({ example: 'CNY' }) currency?: string;
  @ApiPropertyOptional({ type: String, enum: ['month', 'year'], nullable: true, description: 'from: the fee is per month or year; null when paid once.' }) interval?: 'month' | 'year' | null;
}

export class ProductSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty({ enum: ['base', 'derived'] }) kind: 'base' | 'derived';
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty({ enum: THEME_KEYS }) theme: Theme;
  @ApiProperty({ enum: PRODUCT_STATUS_VALUES }) status: (typeof PRODUCT_STATUS_VALUES)[number];
  @ApiProperty() organizationName: string;
  @ApiProperty({ type: Number, nullable: true, description: 'The current version, none before the first successful run.' }) version: number | null;
  @ApiProperty({ type: Number, nullable: true }) rowCount: number | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the current (or last) review round was submitted.' }) submittedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A draft its reviewers sent back: why (cleared when it is submitted again); null otherwise.' })
  rejectionReason: string | null;
  @ApiPropertyOptional({ type: EntryPriceDto, nullable: true, description: 'Storefront only: what the product costs at the least, from its published offers; null without any.' })
  entryPrice?: EntryPriceDto | null;
}

export class ProductListDto {
  @ApiProperty({ type: [ProductSummaryDto] }) items: ProductSummaryDto[];
}

export class ColumnSourceDto {
  @ApiProperty({ description: 'The input name.' }) input: string;
  @ApiProperty() column: string;
}

export class DryRunColumnDto {
  @ApiProperty() name: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: SENSITIVITY_KEYS, description: 'As the privacy gate will see it.' }) sensitivity: Sensitivity;
  @ApiProperty({ type: String, enum: ['count', 'aggregate', 'value'], nullable: true }) role: OutputRole | null;
  @ApiProperty({ type: [ColumnSourceDto], description: 'The input columns it depends on.' }) sources: ColumnSourceDto[];
}

export class GatePlanDto {
  @ApiProperty({ enum: GATE_RULE_VALUES }) rule: GateRule;
  @ApiProperty() k: number;
  @ApiProperty({ enum: SMALL_CELL_VALUES }) smallCells: SmallCellHandling;
  @ApiProperty({ type: [String] }) quasiIdentifiers: string[];
  @ApiProperty({ type: [String] }) countColumns: string[];
  @ApiProperty({ type: [String], description: 'Any of these fails the run.' }) personalColumns: string[];
}

export class DryRunResultDto {
  @ApiProperty({ type: [String] }) inputsUsed: string[];
  @ApiProperty({ type: [DryRunColumnDto], description: 'Output columns: name, type, sensitivity as the gate will see it, role.' })
  columns: Array<{ name: string; type: string; sensitivity: string; role: string | null; sources: Array<{ input: string; column: string }> }>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) rows: Array<Record<string, unknown>>;
  @ApiProperty({ description: 'Preview rows the privacy gate held back (personal data, small cells, rare combinations of quasi-identifiers).' })
  rowsWithheld: number;
  @ApiProperty({ description: 'Rows per input the sample was taken from.' }) sampleRows: number;
  @ApiProperty({ type: GatePlanDto, description: 'What the privacy gate would check: rule, k, quasi-identifiers, count columns, personal columns.' })
  gatePlan: Record<string, unknown>;
}

export class LineageNodeDto {
  @ApiProperty({ description: 'The product or dataset version.' }) id: string;
  @ApiProperty({ enum: ['product_version', 'dataset_version'] }) kind: 'product_version' | 'dataset_version';
  @ApiProperty({ type: String, nullable: true, description: 'The product or dataset the version belongs to.' }) ownerId: string | null;
  @ApiProperty({ type: String, nullable: true }) slug: string | null;
  @ApiProperty({ type: String, nullable: true }) titleZh: string | null;
  @ApiProperty({ type: String, nullable: true }) titleEn: string | null;
  @ApiProperty({ type: Number, nullable: true }) version: number | null;
  @ApiProperty({ type: String, nullable: true }) organizationId: string | null;
  @ApiProperty({ type: String, nullable: true }) organizationName: string | null;
  @ApiProperty({ type: String, enum: CLASSIFICATION_VALUES, nullable: true, description: 'Datasets only.' })
  classification: 'open' | 'conditional' | 'restricted' | null;
}

export class LineageEdgeDto {
  @ApiProperty({ description: 'The input (data flows from it).' }) from: string;
  @ApiProperty({ description: 'The product version using it.' }) to: string;
  @ApiProperty() weight: number;
  @ApiProperty({ description: "The input's part of that product (weight / sum of its weights), for drawing." }) share: number;
}

export class AgencyShareDto {
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() agencyName: string;
  @ApiProperty({ description: 'Exact fraction, e.g. "3/8".', example: '3/8' }) share: string;
  @ApiProperty({ description: 'The share in basis points, rounded down.' }) basisPoints: number;
}

export class LineageGraphDto {
  @ApiProperty({ type: [LineageNodeDto], description: 'The product version first.' }) nodes: Array<Record<string, unknown>>;
  @ApiProperty({ type: [LineageEdgeDto] }) edges: Array<Record<string, unknown>>;
  @ApiProperty({ type: [AgencyShareDto], description: "Each agency's exact share of the product (from the weights), as a fraction and in basis points." })
  agencies: Array<Record<string, unknown>>;
}

export class InputCandidateDto {
  @ApiProperty({ enum: ['dataset', 'product'] }) kind: 'dataset' | 'product';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() organizationName: string;
  @ApiProperty({ type: String, enum: CLASSIFICATION_VALUES, nullable: true })
  classification: 'open' | 'conditional' | 'restricted' | null;
  @ApiProperty({ enum: ['free', 'owner', 'granted', 'gated', 'denied'] }) access: 'free' | 'owner' | 'granted' | 'gated' | 'denied';
  @ApiProperty({ type: Number, nullable: true }) rowCount: number | null;
}

export class InputCandidateListDto {
  @ApiProperty({ type: [InputCandidateDto] }) items: InputCandidateDto[];
}

export class PrivacySummaryDto {
  @ApiProperty({ enum: GATE_OUTCOME_VALUES }) outcome: GateOutcome;
  @ApiProperty({ enum: GATE_RULE_VALUES }) rule: GateRule;
  @ApiProperty({ type: Number, nullable: true }) k: number | null;
  @ApiProperty() suppressedRows: number;
}

export class ProductSampleDto {
  @ApiProperty({ type: [String] }) columns: string[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) rows: Array<Record<string, unknown>>;
}

export class PublicProductDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty({ enum: ['base', 'derived'] }) kind: 'base' | 'derived';
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() descriptionZh: string;
  @ApiProperty() descriptionEn: string;
  @ApiProperty({ enum: THEME_KEYS }) theme: Theme;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty() organizationName: string;
  @ApiProperty() version: number;
  @ApiProperty() rowCount: number;
  @ApiProperty({ type: [SchemaColumnDto] }) schema: Array<{ name: string; type: string }>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: PrivacySummaryDto, description: 'How the current version passed the privacy gate.' })
  privacy: { outcome: string; rule: string; k: number | null; suppressedRows: number };
  @ApiProperty({ type: ProductSampleDto, nullable: true, description: 'A sample of rows, when every dataset in the lineage is open.' })
  sample: { columns: string[]; rows: Array<Record<string, unknown>> } | null;
  @ApiProperty({ type: LineageGraphDto }) lineage: LineageGraphDto;
}

export const PRODUCT_SEARCH_MAX_LENGTH = 100;

export class CatalogProductsQueryDto {
  @ApiPropertyOptional({ enum: THEME_KEYS })
  @IsOptional()
  @IsIn(THEME_KEYS)
  theme?: Theme;

  @ApiPropertyOptional({
    example: '拥堵',
    maxLength: PRODUCT_SEARCH_MAX_LENGTH,
    description: 'Words to find in titles, descriptions and keywords (Chinese or English); every word must occur, case-insensitively.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(PRODUCT_SEARCH_MAX_LENGTH)
  q?: string;
}
