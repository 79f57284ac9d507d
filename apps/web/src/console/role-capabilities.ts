import type { MemberRole } from '../api/schema-types';

/** Capabilities announced on the role home pages that later releases deliver. */
export type UpcomingCapability =
  | 'agencyRemittances'
  | 'listOffers'
  | 'vendorPayouts'
  | 'licenses'
  | 'consumeData'
  | 'invoices'
  | 'revenueDashboards'
  | 'reconciliation'
  | 'financeExports'
  | 'supervisionReports';

export const upcomingCapabilitiesByRole: Record<MemberRole, UpcomingCapability[]> = {
  steward: ['agencyRemittances'],
  vendor_admin: ['listOffers', 'vendorPayouts'],
  buyer_admin: ['licenses', 'consumeData', 'invoices'],
  buyer_member: ['consumeData'],
  finance_analyst: ['revenueDashboards', 'reconciliation', 'financeExports'],
  platform_admin: [],
  supervisor: ['supervisionReports'],
};
