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
  ingestions: (datasetId: string) => ['ingestions', datasetId] as const,
  ingestion: (id: string) => ['ingestion', id] as const,
  myAccessRequests: ['access-requests', 'mine'] as const,
  agencyAccessRequests: ['access-requests', 'agency'] as const,
  accessRequestsAll: ['access-requests'] as const,
  accessGrants: ['access-grants'] as const,
};
