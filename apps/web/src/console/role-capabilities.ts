import type { MemberRole } from '../api/schema-types';

/**
 * Capabilities announced on the role home pages that later releases deliver. Only what no page
 * of the console does yet: remittance statements (Revenue), vendor payouts (Payouts, Earnings),
 * revenue dashboards, reconciliation and exports (Finance) are live and no longer listed.
 */
export type UpcomingCapability = 'supervisionReports';

export const upcomingCapabilitiesByRole: Record<MemberRole, UpcomingCapability[]> = {
  steward: [],
  vendor_admin: [],
  buyer_admin: [],
  buyer_member: [],
  finance_analyst: [],
  platform_admin: [],
  // Supervisors read the audit log; reports on who accessed which data, for what purpose, are not built yet.
  supervisor: ['supervisionReports'],
};
