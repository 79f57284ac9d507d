import type { Permission } from '../api/schema-types';
import { hasPermission } from '../auth/permissions';

export type ConsoleNavKey = 'home' | 'members' | 'api-keys' | 'audit' | 'organizations' | 'queues';

export interface ConsoleNavItem {
  key: ConsoleNavKey;
  /** Route inside the app, or an absolute path served by the API for external items. */
  path: string;
  /** Shown only with this permission; the server enforces it regardless. */
  permission?: Permission;
  /** Opens outside the single-page app (Bull Board is served by the API). */
  external?: boolean;
}

export const consoleNavItems: readonly ConsoleNavItem[] = [
  { key: 'home', path: '/console' },
  { key: 'members', path: '/console/members', permission: 'members:read' },
  { key: 'api-keys', path: '/console/api-keys', permission: 'api_keys:read' },
  { key: 'audit', path: '/console/audit', permission: 'audit:read' },
  { key: 'organizations', path: '/console/organizations', permission: 'organizations:read' },
  { key: 'queues', path: '/admin/queues', permission: 'queues:admin', external: true },
];

export function visibleNavItems(permissions: readonly string[]): ConsoleNavItem[] {
  return consoleNavItems.filter((item) => !item.permission || hasPermission(permissions, item.permission));
}

/** The nav entry a console URL belongs to (longest matching path). */
export function selectedNavKey(pathname: string): ConsoleNavKey {
  const match = consoleNavItems
    .filter((item) => !item.external && (pathname === item.path || pathname.startsWith(`${item.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return match?.key ?? 'home';
}
