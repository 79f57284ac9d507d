import type { MemberRole, OrganizationKind } from '../api/schema-types';

// Which roles exist in which kind of organization (the server validates the same rule).
export const rolesByOrganizationKind: Record<OrganizationKind, readonly MemberRole[]> = {
  agency: ['steward'],
  vendor: ['vendor_admin'],
  enterprise: ['buyer_admin', 'buyer_member'],
  finance: ['finance_analyst'],
  platform: ['platform_admin', 'supervisor'],
};
