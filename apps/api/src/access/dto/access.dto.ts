import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { ACCESS_PURPOSE_KEYS, GRANT_DAYS, type AccessPurpose } from '@civic/domain';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateAccessRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  datasetId: string;

  @ApiProperty({ enum: ACCESS_PURPOSE_KEYS })
  @IsIn(ACCESS_PURPOSE_KEYS)
  purpose: AccessPurpose;

  @ApiPropertyOptional({ description: 'More about the purpose (required when purpose is "other").' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  purposeDetail?: string;

  @ApiProperty({ description: 'What the data will be used for, by whom, and how results will be published.' })
  @Transform(trim)
  @IsString()
  @Length(10, 4000)
  intendedUse: string;

  @ApiProperty({ minimum: GRANT_DAYS.min, maximum: GRANT_DAYS.max, example: 365 })
  @IsInt()
  @Min(GRANT_DAYS.min)
  @Max(GRANT_DAYS.max)
  requestedDays: number;
}

export class ApproveAccessRequestDto {
  @ApiPropertyOptional({ description: 'Term of the grant in days; defaults to the requested term.', minimum: GRANT_DAYS.min, maximum: GRANT_DAYS.max })
  @IsOptional()
  @IsInt()
  @Min(GRANT_DAYS.min)
  @Max(GRANT_DAYS.max)
  days?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ReasonDto {
  @ApiProperty({ description: 'Shown to the other party and kept in the audit log.' })
  @Transform(trim)
  @IsString()
  @Length(3, 1000)
  reason: string;
}

export class AccessRequestsQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected', 'withdrawn'] })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected', 'withdrawn'])
  status?: 'pending' | 'approved' | 'rejected' | 'withdrawn';
}

export class OrganizationRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
}

export class DatasetRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() titleEn: string;
  @ApiProperty({ enum: ['open', 'conditional', 'restricted'] }) classification: 'open' | 'conditional' | 'restricted';
}

export class GrantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: DatasetRefDto }) dataset: DatasetRefDto;
  @ApiProperty({ type: OrganizationRefDto }) organization: OrganizationRefDto;
  @ApiProperty({ type: OrganizationRefDto }) agency: OrganizationRefDto;
  @ApiProperty({ enum: ACCESS_PURPOSE_KEYS }) purpose: AccessPurpose;
  @ApiProperty({ type: String, format: 'date-time' }) startsAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedReason: string | null;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) state: 'active' | 'expired' | 'revoked';
}

export class AccessRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: DatasetRefDto }) dataset: DatasetRefDto;
  @ApiProperty({ type: OrganizationRefDto, description: 'The requesting organization.' }) organization: OrganizationRefDto;
  @ApiProperty({ type: OrganizationRefDto }) agency: OrganizationRefDto;
  @ApiProperty({ type: String, nullable: true }) requestedByEmail: string | null;
  @ApiProperty({ enum: ACCESS_PURPOSE_KEYS }) purpose: AccessPurpose;
  @ApiProperty() purposeDetail: string;
  @ApiProperty() intendedUse: string;
  @ApiProperty() requestedDays: number;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected', 'withdrawn'] }) status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  @ApiProperty({ type: String, nullable: true }) decisionReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: GrantDto, nullable: true }) grant: GrantDto | null;
}

export class AccessRequestListDto {
  @ApiProperty({ type: [AccessRequestDto] }) items: AccessRequestDto[];
}

export class GrantListDto {
  @ApiProperty({ type: [GrantDto] }) items: GrantDto[];
}
