import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsEmail, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import type { AuditEvent } from '@civic/db';

export class AuditQueryDto {
  @ApiPropertyOptional({ example: 'auth.login', description: 'An action, or a family of actions: "api_key" matches api_key.created and api_key.revoked.' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_.]{1,80}$/)
  action?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organizationId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorUserId?: string;

  @ApiPropertyOptional({ description: 'Email of the acting user (case-insensitive).' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail()
  actorEmail?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ description: 'Return events with seq below this cursor.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class AuditTargetLabelDto {
  @ApiProperty() zh: string;
  @ApiProperty() en: string;
}

export class AuditEventDto {
  @ApiProperty() seq: number;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty() action: string;
  @ApiProperty({ type: String, nullable: true }) actorUserId: string | null;
  @ApiProperty({ type: String, nullable: true }) actorEmail: string | null;
  @ApiProperty({ type: String, nullable: true }) actorOrganizationId: string | null;
  @ApiProperty({ type: String, nullable: true }) organizationId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Current name of the organization the event concerns.' }) organizationName: string | null;
  @ApiProperty({ type: String, nullable: true }) targetType: string | null;
  @ApiProperty({ type: String, nullable: true }) targetId: string | null;
  @ApiProperty({ type: AuditTargetLabelDto, nullable: true, description: 'What the target is called now (a title, name or number; a licence or access request by what it is of), when it is known.' })
  targetLabel: AuditTargetLabelDto | null;
  @ApiProperty({ type: String, nullable: true }) ip: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;

  static from(event: AuditEvent & { actorEmail: string | null; organizationName: string | null; targetLabel: AuditTargetLabelDto | null }): AuditEventDto {
    return Object.assign(new AuditEventDto(), { ...event, occurredAt: event.occurredAt.toISOString() });
  }
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items: AuditEventDto[];
  @ApiProperty({ type: Number, nullable: true }) nextCursor: number | null;
}

export class TamperedDto {
  @ApiProperty() seq: number;
  @ApiProperty({ enum: ['hash_mismatch', 'broken_link', 'sequence_gap'] }) reason: string;
}

export class ChainVerificationDto {
  @ApiProperty() ok: boolean;
  @ApiProperty() checked: number;
  @ApiProperty() headSeq: number;
  @ApiProperty({ type: TamperedDto, nullable: true }) firstTampered: TamperedDto | null;
  @ApiProperty({ format: 'date-time' }) verifiedAt: string;
}
