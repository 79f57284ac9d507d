import type { OrganizationKind, OrganizationStatus } from './schema-types';

// One place for cache keys, so invalidations after a mutation hit what the pages read.
export const queryKeys = {
  members: ['members'] as const,
  invitations: ['invitations'] as const,
  apiKeys: ['api-keys'] as const,
  auditEvents: (filters: object) => ['audit-events', filters] as const,
  auditEventsAll: ['audit-events'] as const,
  organizations: (filters: { kind?: OrganizationKind; status?: OrganizationStatus }) => ['organizations', filters] as const,
  organizationsAll: ['organizations'] as const,
  invitationPreview: (token: string) => ['invitation-preview', token] as const,
  catalogSearch: (query: object) => ['catalog', 'search', query] as const,
  /** Everything read from the public catalog (search, datasets, versions, previews). */
  catalogAll: ['catalog'] as const,
  dataset: (ref: string) => ['catalog', 'dataset', ref] as const,
  datasetVersions: (ref: string) => ['catalog', 'dataset', ref, 'versions'] as const,
  datasetPreview: (ref: string) => ['catalog', 'dataset', ref, 'preview'] as const,
  agencyDatasets: ['agency-datasets'] as const,
  /** Listed products built on one of the agency's datasets (what withdrawing it would suspend). */
  datasetDependents: (datasetId: string) => ['agency-datasets', datasetId, 'dependents'] as const,
  ingestions: (datasetId: string) => ['ingestions', datasetId] as const,
  ingestion: (id: string) => ['ingestion', id] as const,
  datasetUsage: (datasetId: string, query: object) => ['agency-usage', datasetId, query] as const,
  /** Every usage reading of a licence (any time zone and range): what a metered call makes stale. */
  licenseUsageAll: (licenseId: string) => ['license-usage', licenseId] as const,
  licenseUsage: (licenseId: string, timeZone: string) => ['license-usage', licenseId, timeZone] as const,
  productUsage: (productId: string, query: object) => ['product-usage', productId, query] as const,
  datasetProductUsage: (datasetId: string, query: object) => ['agency-usage', datasetId, 'products', query] as const,
  myAccessRequests: ['access-requests', 'mine'] as const,
  agencyAccessRequests: ['access-requests', 'agency'] as const,
  accessRequestsAll: ['access-requests'] as const,
  accessGrants: ['access-grants'] as const,
  /** Everything of the organization's own products (list, details, runs, versions, lineage). */
  productsAll: ['products'] as const,
  products: ['products', 'list'] as const,
  product: (id: string) => ['products', id] as const,
  productRuns: (id: string) => ['products', id, 'runs'] as const,
  productRun: (id: string, runId: string) => ['products', id, 'runs', runId] as const,
  productVersions: (id: string) => ['products', id, 'versions'] as const,
  productLineage: (id: string) => ['products', id, 'lineage'] as const,
  productInputCandidates: ['product-input-candidates'] as const,
  /** Everything of the listing review (queue, reviewed products, their lineage). */
  productReviewsAll: ['product-reviews'] as const,
  productReviewList: (state: string, page: number) => ['product-reviews', 'list', state, page] as const,
  productReview: (id: string) => ['product-reviews', id] as const,
  productReviewLineage: (id: string) => ['product-reviews', id, 'lineage'] as const,
  productReviewSample: (id: string) => ['product-reviews', id, 'sample'] as const,
  catalogProducts: (query: object) => ['catalog', 'products', query] as const,
  catalogProduct: (ref: string) => ['catalog', 'product', ref] as const,
  // Licensing and commerce
  storefrontOffers: (ref: string) => ['catalog', 'product', ref, 'offers'] as const,
  priceEstimate: (ref: string, months: number, quantityPerMonth: number) => ['catalog', 'product', ref, 'estimate', months, quantityPerMonth] as const,
  offerTerms: (offerId: string) => ['offer-terms', offerId] as const,
  licenseTemplates: ['license-templates'] as const,
  paymentsConfig: ['payments-config'] as const,
  /** The seller's offers of one product (drafts, published, archived). */
  productOffers: (productId: string) => ['products', productId, 'offers'] as const,
  /** Everything of the buyer's licences and invoices (lists and details). */
  licensesAll: ['licenses'] as const,
  licenses: ['licenses', 'list'] as const,
  license: (id: string) => ['licenses', 'one', id] as const,
  invoices: ['licenses', 'invoices'] as const,
  /** What one licence allows now, per action (read again when its state changes). */
  licenseEntitlement: (id: string, state: string, action: string) => ['licenses', 'entitlements', id, state, action] as const,
  /** The seller's sales: the list and each licence sold (one prefix, so a revocation refreshes both). */
  sales: ['sales'] as const,
  sale: (id: string) => ['sales', 'one', id] as const,
  licenseApprovals: (all: boolean) => ['license-approvals', all] as const,
  licenseApprovalsAll: ['license-approvals'] as const,
  financeInvoicesAll: ['finance-invoices'] as const,
  financeInvoices: (filters: object) => ['finance-invoices', filters] as const,
  priceCaps: ['price-caps'] as const,
  connectAccount: ['payouts', 'stripe-account'] as const,
  /** The signed-in user's inbox: its pages (all or unread only) and the bell's unread count. */
  notificationsAll: ['notifications'] as const,
  notifications: (unreadOnly: boolean) => ['notifications', 'list', unreadOnly] as const,
  notificationsUnread: ['notifications', 'unread-count'] as const,
};
