import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsUrl, MaxLength } from 'class-validator';
import { CLASSIFICATION_KEYS, type Classification } from '@civic/domain';

export class HarvestDto {
  @ApiPropertyOptional({ description: "A CKAN portal's package_search URL (or its base URL) to fetch.", example: 'https://data.example.org/api/3/action/package_search?rows=100' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ description: 'A package_search response already downloaded (instead of url).', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  response?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Where the response came from (with `response`); identifies the source across harvests.', example: 'https://data.example.org' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  sourceUrl?: string;

  @ApiPropertyOptional({ enum: CLASSIFICATION_KEYS, default: 'open', description: 'Classification of newly created drafts.' })
  @IsOptional()
  @IsIn(CLASSIFICATION_KEYS)
  classification?: Classification;
}

export class HarvestedDatasetDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() harvestIdentifier: string;
  @ApiProperty({ enum: ['created', 'updated', 'unchanged'] }) outcome: 'created' | 'updated' | 'unchanged';
}

export class HarvestSkipDto {
  @ApiProperty({ type: String, nullable: true }) identifier: string | null;
  @ApiProperty() reason: string;
}

export class HarvestResultDto {
  @ApiProperty() source: string;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ type: [HarvestedDatasetDto] }) datasets: HarvestedDatasetDto[];
  @ApiProperty({ type: [HarvestSkipDto] }) skipped: HarvestSkipDto[];
}
