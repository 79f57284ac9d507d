import { ApiError } from '../api/api-error';

/**
 * Whether the terms grant use for stated purposes only: an ODRL permission constrained on
 * `purpose` (the buyer must then state one, as when the offer needs approval).
 */
/**
 * The purposes the offer's licence lets its data be used for (the `use` permission's purpose
 * constraints, `civic:research` → `research`), or null when it does not limit purposes.
 */
export function permittedPurposes(terms: Record<string, unknown>): string[] | null {
  const policy = terms.policy as { permission?: unknown } | undefined;
  const permissions = Array.isArray(policy?.permission) ? (policy.permission as Array<{ action?: unknown; constraint?: unknown }>) : [];
  const use = permissions.filter((permission) => permission.action === 'use');
  let allowed: string[] | null = null;
  for (const permission of use) {
    for (const constraint of Array.isArray(permission.constraint) ? (permission.constraint as Array<{ leftOperand?: unknown; rightOperand?: unknown }>) : []) {
      if (constraint.leftOperand !== 'purpose') continue;
      const operands = Array.isArray(constraint.rightOperand) ? constraint.rightOperand : [constraint.rightOperand];
      const purposes = operands.map((operand) => String(typeof operand === 'object' && operand !== null ? ((operand as { '@id'?: unknown })['@id'] ?? '') : operand).replace(/^civic:/, ''));
      allowed = allowed ? allowed.filter((purpose) => purposes.includes(purpose)) : purposes;
    }
  }
  return allowed;
}

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
