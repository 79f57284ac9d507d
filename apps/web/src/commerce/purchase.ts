import { ApiError } from '../api/api-error';

/**
 * Whether the terms grant use for stated purposes only: an ODRL permission constrained on
 * `purpose` (the buyer must then state one, as when the offer needs approval).
 */
export function isPurposeBound(terms: Record<string, unknown>): boolean {
  const policy = terms.policy as { permission?: unknown } | undefined;
  const permissions = Array.isArray(policy?.permission) ? policy.permission : [];
  return permissions.some((permission: unknown) => {
    const constraints = (permission as { constraint?: unknown }).constraint;
    return Array.isArray(constraints) && constraints.some((constraint: unknown) => (constraint as { leftOperand?: unknown }).leftOperand === 'purpose');
  });
}

/** The licence an error points to (`licensing.already_licensed`, `licensing.purchase_pending`: details `[{ licenseId }]`). */
export function licenseIdOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return null;
  for (const detail of error.details) {
    const id = (detail as { licenseId?: unknown } | null)?.licenseId;
    if (typeof id === 'string') return id;
  }
  return null;
}

/** Leaving the app for a payment provider's page (replaceable in tests, where jsdom cannot navigate). */
export const browserNavigation = {
  assign(url: string): void {
    window.location.assign(url);
  },
};

/** The console page of one of the organization's licences. */
export function licensePath(id: string, search = ''): string {
  return `/console/licenses/${id}${search}`;
}
