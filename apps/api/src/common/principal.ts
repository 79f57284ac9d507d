import type { ApiKeyScope, OrganizationKind, OrganizationStatus, Permission, Role } from '@civic/domain';
import type { TenantScope } from '@civic/db';

/** Who is calling: a signed-in user acting for one organization, or an organization's API key. */
export interface Principal extends TenantScope {
  kind: 'user' | 'api_key';
  userId: string | null;
  apiKeyId: string | null;
  organizationId: string;
  organizationKind: OrganizationKind;
  organizationStatus: OrganizationStatus;
  role: Role | null;
  permissions: Permission[];
  scopes: ApiKeyScope[];
}

/** Where an action came from, for the audit log. */
export interface RequestOrigin {
  ip: string | null;
  requestId: string | null;
}

export interface Actor extends RequestOrigin {
  principal: Principal | null;
}
