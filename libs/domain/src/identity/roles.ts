/**
 * Organizations, roles and permissions. Routes declare the permission they need;
 * a principal's permissions come from its role and its organization's status.
 */
export const ORGANIZATION_KINDS = ['agency', 'vendor', 'enterprise', 'finance', 'platform'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const ORGANIZATION_STATUSES = ['active', 'pending_approval', 'suspended'] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

export const ROLES = [
  'steward',
  'vendor_admin',
  'buyer_admin',
  'buyer_member',
  'finance_analyst',
  'platform_admin',
  'supervisor',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'members:read',
  'members:manage',
  'api_keys:read',
  'api_keys:manage',
  'audit:read',
  'organizations:read',
  'organizations:manage',
  'queues:admin',
  'datasets:manage',
  'access_requests:read',
  'access_requests:file',
  'access_requests:decide',
  'products:manage',
  'products:review',
  'product_reviews:read',
  'offers:manage',
  'licenses:read',
  'licenses:buy',
  'licenses:decide',
  'invoices:read',
  'invoices:settle',
  'pricing:manage',
  // The platform's standard licence templates (new templates and new versions).
  'license_templates:manage',
  'payouts:manage',
  // Government finance: revenue, ledger, reconciliation (read), policy, refunds, settlements, period close (manage).
  'finance:read',
  'finance:manage',
  // A seller's own sales, royalties and statements.
  'revenue:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ORG_ADMIN: readonly Permission[] = ['members:read', 'members:manage', 'api_keys:read', 'api_keys:manage'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  // Stewards sell their agency's own datasets as base products and review products built on them.
  // Sellers (agencies with base products, vendors) price their products and approve purpose-bound purchases.
  steward: [
    ...ORG_ADMIN,
    'datasets:manage',
    'access_requests:read',
    'access_requests:decide',
    'products:manage',
    'products:review',
    'product_reviews:read',
    'offers:manage',
    'licenses:decide',
    'revenue:read',
  ],
  vendor_admin: [...ORG_ADMIN, 'access_requests:read', 'access_requests:file', 'products:manage', 'offers:manage', 'licenses:decide', 'payouts:manage', 'revenue:read'],
  buyer_admin: [...ORG_ADMIN, 'access_requests:read', 'access_requests:file', 'licenses:read', 'licenses:buy'],
  // Government finance settles offline invoices and reviews every invoice.
  finance_analyst: [...ORG_ADMIN, 'invoices:read', 'invoices:settle', 'finance:read', 'finance:manage'],
  buyer_member: ['members:read', 'api_keys:read', 'access_requests:read', 'licenses:read'],
  // Platform operators run the platform; publishing data and deciding on access belong to agencies.
  platform_admin: PERMISSIONS.filter(
    (permission) =>
      ![
        'datasets:manage',
        'access_requests:file',
        'access_requests:decide',
        'products:manage',
        'offers:manage',
        'licenses:read',
        'licenses:buy',
        'licenses:decide',
        'invoices:settle',
        'payouts:manage',
        'finance:manage',
        'revenue:read',
      ].includes(permission),
  ),
  // Government supervision: sees everything the platform records (product reviews included), changes nothing.
  supervisor: ['members:read', 'api_keys:read', 'audit:read', 'organizations:read', 'invoices:read', 'product_reviews:read', 'finance:read'],
};

/** Which roles a member of each kind of organization may hold. */
export const ROLES_BY_ORGANIZATION_KIND: Readonly<Record<OrganizationKind, readonly Role[]>> = {
  agency: ['steward'],
  vendor: ['vendor_admin'],
  enterprise: ['buyer_admin', 'buyer_member'],
  finance: ['finance_analyst'],
  platform: ['platform_admin', 'supervisor'],
};

/** The role given to the first user of a new organization. */
export const FOUNDING_ROLE: Readonly<Record<OrganizationKind, Role>> = {
  agency: 'steward',
  vendor: 'vendor_admin',
  enterprise: 'buyer_admin',
  finance: 'finance_analyst',
  platform: 'platform_admin',
};

export function isRoleAllowedFor(kind: OrganizationKind, role: Role): boolean {
  return ROLES_BY_ORGANIZATION_KIND[kind].includes(role);
}

/** True when the role can manage its organization's members (used for "last admin" rules). */
export function isAdminRole(role: Role): boolean {
  return ROLE_PERMISSIONS[role].includes('members:manage');
}

/**
 * Permissions in force: an organization that is not active (a vendor awaiting approval,
 * a suspended one) keeps read access to its own members and nothing else.
 */
export function effectivePermissions(role: Role, status: OrganizationStatus): Permission[] {
  const granted = ROLE_PERMISSIONS[role];
  if (status === 'active') return [...granted];
  return granted.filter((permission) => permission === 'members:read');
}

export function hasPermission(granted: readonly Permission[], required: readonly Permission[]): boolean {
  return required.every((permission) => granted.includes(permission));
}
