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
  // An agency's royalties statement is live (Revenue).
  steward: [],
  vendor_admin: ['vendorPayouts'],
  buyer_admin: [],
  buyer_member: [],
  // Revenue dashboards, reconciliation and CSV exports are live in the Finance group.
  finance_analyst: [],
  platform_admin: [],
  supervisor: ['supervisionReports'],
};
