import type { MemberRole } from '../api/schema-types';

/** Capabilities announced on the role home pages that later releases deliver. */
export type UpcomingCapability =
  | 'agencyRemittances'
  | 'vendorPayouts'
  | 'revenueDashboards'
  | 'reconciliation'
  | 'financeExports'
  | 'supervisionReports';

export const upcomingCapabilitiesByRole: Record<MemberRole, UpcomingCapability[]> = {
  steward: ['agencyRemittances'],
  vendor_admin: ['vendorPayouts'],
  buyer_admin: [],
  buyer_member: [],
  finance_analyst: ['revenueDashboards', 'reconciliation', 'financeExports'],
  platform_admin: [],
  supervisor: ['supervisionReports'],
};
