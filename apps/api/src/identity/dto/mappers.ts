import type { ApiKey, Invitation, Membership, Organization, User } from '@civic/db';
import type { ApiKeyDto, InvitationDto, MemberDto, OrganizationDto } from './identity.dto.js';

export function toOrganizationDto(organization: Organization): OrganizationDto {
  return {
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    kind: organization.kind,
    status: organization.status,
    createdAt: organization.createdAt.toISOString(),
  };
}

export function toMemberDto(membership: Membership & { user: User }): MemberDto {
  return {
    id: membership.id,
    role: membership.role,
    createdAt: membership.createdAt.toISOString(),
    user: { id: membership.user.id, email: membership.user.email, displayName: membership.user.displayName },
  };
}

export function toInvitationDto(invitation: Invitation, now = new Date()): InvitationDto {
  const expired = invitation.status === 'pending' && invitation.expiresAt.getTime() <= now.getTime();
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: expired ? 'expired' : invitation.status,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}

export function toApiKeyDto(key: ApiKey): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
