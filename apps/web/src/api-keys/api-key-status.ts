import type { ApiKey, ApiKeyScope } from '../api/schema-types';

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

export function apiKeyStatus(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now: Date = new Date()): ApiKeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

// A Record keyed by the schema's scope union, so a scope added to the API fails the build here.
const scopeIsOffered: Record<ApiKeyScope, true> = { 'catalog:read': true, 'data:read': true, 'usage:read': true };
export const apiKeyScopes = Object.keys(scopeIsOffered) as ApiKeyScope[];
