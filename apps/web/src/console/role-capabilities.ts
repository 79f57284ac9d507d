import type { MemberRole } from '../api/schema-types';

/** Capabilities announced on the role home pages that later releases deliver. */
export type UpcomingCapability =
  | 'agencyRemittances'
  | 'vendorPayouts'
  | 'consumeData'
  | 'revenueDashboards'
  | 'reconciliation'
  | 'financeExports'
  | 'supervisionReports';

export const upcomingCapabilitiesByRole: Record<MemberRole, UpcomingCapability[]> = {
  steward: ['agencyRemittances'],
  vendor_admin: ['vendorPayouts'],
  buyer_admin: ['consumeData'],
  buyer_member: ['consumeData'],
  finance_analyst: ['revenueDashboards', 'reconciliation', 'financeExports'],
  platform_admin: [],
  supervisor: ['supervisionReports'],
};
