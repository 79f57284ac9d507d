import type { OrganizationKind, Permission } from '../api/schema-types';
import { hasPermission } from '../auth/permissions';

export type ConsoleNavKey =
  | 'home'
  | 'catalog'
  | 'storefront'
  | 'datasets'
  | 'products'
  | 'product-reviews'
  | 'access-requests'
  | 'my-access'
  | 'licenses'
  | 'invoices'
  | 'sales'
  | 'license-approvals'
  | 'finance-revenue'
  | 'finance-invoices'
  | 'finance-receivables'
  | 'finance-ledger'
  | 'finance-reconciliation'
  | 'finance-settlements'
  | 'finance-periods'
  | 'finance-policy'
  | 'revenue'
  | 'price-caps'
  | 'license-templates'
  | 'payouts'
  | 'members'
  | 'api-keys'
  | 'audit'
  | 'organizations'
  | 'queues';

export interface ConsoleNavItem {
  key: ConsoleNavKey;
  /** Route inside the app, or an absolute path served by the API for external items. */
  path: string;
  /** Shown only with this permission; the server enforces it regardless. */
  permission?: Permission;
  /** Hidden with this permission: a page that another one replaces for that role. */
  hiddenWith?: Permission;
  /** Opens outside the single-page app (Bull Board is served by the API). */
  external?: boolean;
  /** Listed under a heading with the items next to it that share the group. */
  group?: ConsoleNavGroup;
}

export type ConsoleNavGroup = 'finance';

export const consoleNavItems: readonly ConsoleNavItem[] = [
  { key: 'home', path: '/console' },
  { key: 'catalog', path: '/catalog' },
  // Buyers shop for data products in the storefront.
  { key: 'storefront', path: '/products', permission: 'licenses:buy' },
  { key: 'datasets', path: '/console/datasets', permission: 'datasets:manage' },
  { key: 'products', path: '/console/products', permission: 'products:manage' },
  { key: 'product-reviews', path: '/console/product-reviews', permission: 'product_reviews:read' },
  { key: 'access-requests', path: '/console/access-requests', permission: 'access_requests:decide' },
  // An agency decides on requests for its data; it never files any, so its queue replaces this page.
  { key: 'my-access', path: '/console/my-access', permission: 'access_requests:read', hiddenWith: 'access_requests:decide' },
  // Buyers: licences held and invoices to pay.
  { key: 'licenses', path: '/console/licenses', permission: 'licenses:read' },
  { key: 'invoices', path: '/console/invoices', permission: 'licenses:read' },
  // Sellers: licences sold, purchases to approve (agencies approve purchases over their data too), payouts.
  { key: 'sales', path: '/console/sales', permission: 'offers:manage' },
  { key: 'license-approvals', path: '/console/license-approvals', permission: 'licenses:decide' },
  { key: 'payouts', path: '/console/payouts', permission: 'payouts:manage' },
  // Sellers' own statement: a vendor's earnings, an agency's royalties (named as the page names them).
  { key: 'revenue', path: '/console/revenue', permission: 'revenue:read' },
  // Government finance and supervision: revenue, every invoice, the ledger, reconciliation, settlements, the monthly close, the sharing policy.
  { key: 'finance-revenue', path: '/console/finance/revenue', permission: 'finance:read', group: 'finance' },
  { key: 'finance-invoices', path: '/console/finance/invoices', permission: 'invoices:read', group: 'finance' },
  { key: 'finance-receivables', path: '/console/finance/receivables', permission: 'finance:read', group: 'finance' },
  { key: 'finance-ledger', path: '/console/finance/ledger', permission: 'finance:read', group: 'finance' },
  { key: 'finance-reconciliation', path: '/console/finance/reconciliation', permission: 'finance:read', group: 'finance' },
  { key: 'finance-settlements', path: '/console/finance/settlements', permission: 'finance:read', group: 'finance' },
  { key: 'finance-periods', path: '/console/finance/periods', permission: 'finance:read', group: 'finance' },
  { key: 'finance-policy', path: '/console/finance/policy', permission: 'finance:read', group: 'finance' },
  // The platform's pricing rules.
  { key: 'price-caps', path: '/console/price-caps', permission: 'pricing:manage' },
  // Platform operators: the standard licence templates every seller offers.
  { key: 'license-templates', path: '/console/license-templates', permission: 'license_templates:manage' },
  { key: 'members', path: '/console/members', permission: 'members:read' },
  { key: 'api-keys', path: '/console/api-keys', permission: 'api_keys:read' },
  { key: 'audit', path: '/console/audit', permission: 'audit:read' },
  { key: 'organizations', path: '/console/organizations', permission: 'organizations:read' },
  { key: 'queues', path: '/admin/queues', permission: 'queues:admin', external: true },
];

export function visibleNavItems(permissions: readonly string[]): ConsoleNavItem[] {
  return consoleNavItems.filter(
    (item) => (!item.permission || hasPermission(permissions, item.permission)) && !(item.hiddenWith && hasPermission(permissions, item.hiddenWith)),
  );
}

export type ConsoleNavLabelKey = `nav.${ConsoleNavKey}` | 'nav.earnings' | 'nav.royalties';

/**
 * The translation key of an item's name for the signed-in organization: a seller's statement is
 * an agency's royalties or a vendor's earnings, as its page title says (a vendor's "Sales" are
 * the licences it sold).
 */
export function navLabelKey(key: ConsoleNavKey, organizationKind: OrganizationKind): ConsoleNavLabelKey {
  if (key === 'revenue') return organizationKind === 'agency' ? 'nav.royalties' : 'nav.earnings';
  return `nav.${key}`;
}

/** The nav entry a console URL belongs to (longest matching path). */
export function selectedNavKey(pathname: string): ConsoleNavKey {
  const match = consoleNavItems
    .filter((item) => !item.external && (pathname === item.path || pathname.startsWith(`${item.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return match?.key ?? 'home';
}
