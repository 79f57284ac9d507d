import type { MemberRole } from '../api/schema-types';

/** Capabilities announced on the role home pages that later releases deliver. */
export type UpcomingCapability =
  | 'publishDatasets'
  | 'classifyData'
  | 'reviewAccessRequests'
  | 'agencyRemittances'
  | 'deriveProducts'
  | 'listOffers'
  | 'vendorPayouts'
  | 'browseCatalog'
  | 'licenses'
  | 'consumeData'
  | 'invoices'
  | 'revenueDashboards'
  | 'reconciliation'
  | 'financeExports'
  | 'listingReviews'
  | 'supervisionReports';

export const upcomingCapabilitiesByRole: Record<MemberRole, UpcomingCapability[]> = {
  steward: ['publishDatasets', 'classifyData', 'reviewAccessRequests', 'agencyRemittances'],
  vendor_admin: ['deriveProducts', 'listOffers', 'vendorPayouts'],
  buyer_admin: ['browseCatalog', 'licenses', 'consumeData', 'invoices'],
  buyer_member: ['browseCatalog', 'consumeData'],
  finance_analyst: ['revenueDashboards', 'reconciliation', 'financeExports'],
  platform_admin: ['listingReviews'],
  supervisor: ['supervisionReports'],
};
