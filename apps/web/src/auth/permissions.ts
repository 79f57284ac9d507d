import type { Permission } from '../api/schema-types';

// The server enforces permissions; the UI only uses them to hide what would be refused.
export function hasPermission(permissions: readonly string[], permission: Permission): boolean {
  return permissions.includes(permission);
}
