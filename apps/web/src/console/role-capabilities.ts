import type { MemberRole } from '../api/schema-types';

/** Capabilities announced on the role home pages that later releases deliver. */
export type UpcomingCapability =
  | 'agencyRemittances'
  | 'deriveProducts'
  | 'listOffers'
  | 'vendorPayouts'
  | 'licenses'
  | 'consumeData'
  | 'invoices'
  | 'revenueDashboards'
  | 'reconciliation'
  | 'financeExports'
  | 'listingReviews'
  | 'supervisionReports';

export const upcomingCapabilitiesByRole: Record<MemberRole, UpcomingCapability[]> = {
  steward: ['agencyRemittances'],
  vendor_admin: ['deriveProducts', 'listOffers', 'vendorPayouts'],
  buyer_admin: ['licenses', 'consumeData', 'invoices'],
  buyer_member: ['consumeData'],
  finance_analyst: ['revenueDashboards', 'reconciliation', 'financeExports'],
  platform_admin: ['listingReviews'],
  supervisor: ['supervisionReports'],
};
