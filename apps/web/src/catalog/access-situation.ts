import type { AccessRequest, DatasetDetail, Grant } from '../api/schema-types';

/** What a visitor of a dataset page may do with its rows, and what the page offers next. */
export type AccessSituation =
  /** Rows can be downloaded: open data, the publishing agency, or a grant in force. */
  | { kind: 'download'; reason: 'open' | 'owner' | 'granted'; grant: Grant | null }
  /** Restricted: rows never leave the platform. */
  | { kind: 'restricted' }
  /** Published without data yet (a draft seen by its agency). */
  | { kind: 'noData' }
  /** Conditional, anonymous: sign in to request access. */
  | { kind: 'signIn' }
  /** Conditional, and this user may file a request for the organization. */
  | { kind: 'requestAccess' }
  /** Conditional, and the organization's request is waiting for the agency. */
  | { kind: 'pending'; request: AccessRequest }
  /** Conditional, and this user's role cannot file requests. */
  | { kind: 'askAdministrator' };

export interface Viewer {
  signedIn: boolean;
  permissions: readonly string[];
}

export function accessSituation(
  dataset: Pick<DatasetDetail, 'id' | 'classification' | 'rowAccess' | 'currentVersion'>,
  viewer: Viewer,
  requests: readonly AccessRequest[] = [],
  grants: readonly Grant[] = [],
): AccessSituation {
  if (dataset.classification === 'restricted') return { kind: 'restricted' };
  if (!dataset.currentVersion) return { kind: 'noData' };
  switch (dataset.rowAccess) {
    case 'free':
      return { kind: 'download', reason: 'open', grant: null };
    case 'owner':
      return { kind: 'download', reason: 'owner', grant: null };
    case 'granted': {
      const grant = grants.filter((candidate) => candidate.dataset.id === dataset.id && candidate.state === 'active').sort(byLatestExpiry)[0] ?? null;
      return { kind: 'download', reason: 'granted', grant };
    }
    case 'denied':
      break;
  }
  if (!viewer.signedIn) return { kind: 'signIn' };
  const pending = requests.find((request) => request.dataset.id === dataset.id && request.status === 'pending');
  if (pending) return { kind: 'pending', request: pending };
  return viewer.permissions.includes('access_requests:file') ? { kind: 'requestAccess' } : { kind: 'askAdministrator' };
}

function byLatestExpiry(a: Grant, b: Grant): number {
  return b.expiresAt.localeCompare(a.expiresAt);
}
