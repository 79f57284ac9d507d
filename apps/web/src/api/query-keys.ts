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
};
