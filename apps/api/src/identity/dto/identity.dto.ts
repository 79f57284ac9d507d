import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayUnique, IsArray, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import {
  API_KEY_SCOPES,
  ORGANIZATION_KINDS,
  ORGANIZATION_STATUSES,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PERMISSIONS,
  ROLES,
  type ApiKeyScope,
  type OrganizationKind,
  type OrganizationStatus,
  type Permission,
  type Role,
} from '@civic/domain';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const normalizeEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

// ---- requests ---------------------------------------------------------------

export class LoginDto {
  @ApiProperty({ example: 'buyer@harbor.demo' })
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Demo-pass-2026' })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Organization to act for; defaults to the first membership.' })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
}

export class SwitchOrganizationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  organizationId: string;
}

export class SignupDto {
  @ApiProperty({ enum: ['enterprise', 'vendor'] })
  @IsIn(['enterprise', 'vendor'])
  kind: 'enterprise' | 'vendor';

  @ApiProperty({ example: '港湾物流 Harbor Logistics' })
  @Transform(trim)
  @IsString()
  @Length(2, 120)
  organizationName: string;

  @ApiProperty()
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @Length(1, 80)
  displayName: string;

  @ApiPropertyOptional({ enum: ['zh-CN', 'en'] })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  locale?: 'zh-CN' | 'en';
}

export class CreateOrganizationDto {
  @ApiProperty({ enum: ['agency', 'finance'] })
  @IsIn(['agency', 'finance'])
  kind: 'agency' | 'finance';

  @ApiProperty({ example: '市水务局 Water Authority' })
  @Transform(trim)
  @IsString()
  @Length(2, 120)
  name: string;

  @ApiProperty({ description: 'Email of the first administrator; receives an invitation.' })
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  adminEmail: string;
}

export class OrganizationQueryDto {
  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS })
  @IsOptional()
  @IsIn(ORGANIZATION_KINDS)
  kind?: OrganizationKind;

  @ApiPropertyOptional({ enum: ORGANIZATION_STATUSES })
  @IsOptional()
  @IsIn(ORGANIZATION_STATUSES)
  status?: OrganizationStatus;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export class CreateInvitationDto {
  @ApiProperty()
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export class InvitationTokenDto {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  token: string;
}

export class AcceptInvitationDto extends InvitationTokenDto {
  @ApiPropertyOptional({ description: 'Required when no account with the invited email exists yet.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 80)
  displayName?: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, description: 'A new password, or the existing password of an account with this email.' })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'reporting pipeline' })
  @Transform(trim)
  @IsString()
  @Length(1, 80)
  name: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes: ApiKeyScope[];

  @ApiPropertyOptional({ minimum: 1, maximum: 730 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  expiresInDays?: number;
}

// ---- responses --------------------------------------------------------------

export class UserSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
}

export class MeUserDto extends UserSummaryDto {
  @ApiProperty({ enum: ['zh-CN', 'en'] }) locale: string;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind: OrganizationKind;
  @ApiProperty({ enum: ORGANIZATION_STATUSES }) status: OrganizationStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class MembershipSummaryDto {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() organizationName: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) organizationKind: OrganizationKind;
  @ApiProperty({ enum: ROLES }) role: Role;
}

export class MeDto {
  @ApiProperty({ type: MeUserDto }) user: MeUserDto;
  @ApiProperty({ type: OrganizationDto }) organization: OrganizationDto;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) permissions: Permission[];
  @ApiProperty({ type: [MembershipSummaryDto] }) memberships: MembershipSummaryDto[];
}

export class ApiKeyPrincipalDto {
  @ApiProperty({ format: 'uuid' }) apiKeyId: string;
  @ApiProperty({ type: OrganizationDto }) organization: OrganizationDto;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes: ApiKeyScope[];
}

export class TokenResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'Seconds until the access token expires.' }) expiresIn: number;
  @ApiProperty({ type: MeDto }) me: MeDto;
}

export class OrganizationListDto {
  @ApiProperty({ type: [OrganizationDto] }) items: OrganizationDto[];
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: UserSummaryDto }) user: UserSummaryDto;
}

export class MemberListDto {
  @ApiProperty({ type: [MemberDto] }) items: MemberDto[];
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] }) status: 'pending' | 'accepted' | 'revoked' | 'expired';
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class InvitationCreatedDto extends InvitationDto {
  @ApiProperty({ description: 'Shown once.' }) token: string;
  @ApiProperty() acceptUrl: string;
}

export class InvitationListDto {
  @ApiProperty({ type: [InvitationDto] }) items: InvitationDto[];
}

export class InvitationPreviewDto {
  @ApiProperty() organizationName: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) organizationKind: OrganizationKind;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'An account with this email exists: accept with its password.' }) existingAccount: boolean;
}

export class OrganizationCreatedDto {
  @ApiProperty({ type: OrganizationDto }) organization: OrganizationDto;
  @ApiProperty({ type: InvitationCreatedDto }) invitation: InvitationCreatedDto;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'cdm_ab12cd34' }) prefix: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes: ApiKeyScope[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class ApiKeyCreatedDto extends ApiKeyDto {
  @ApiProperty({ description: 'The secret key. Shown once; store it now.' }) key: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
}
