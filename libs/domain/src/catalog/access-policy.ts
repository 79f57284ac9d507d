import type { Classification, Sensitivity } from './vocabulary.js';

/**
 * Supervised opening: who may receive a dataset's rows.
 * - open: anyone (deliveries are still recorded);
 * - conditional: organizations holding a grant in force, and the publishing agency itself;
 * - restricted: nobody outside platform-run derivations, not even through a grant.
 */
export interface Grant {
  expiresAt: Date;
  revokedAt: Date | null;
}

export type RowAccess = 'free' | 'granted' | 'owner' | 'denied';

export function rowAccess(input: {
  classification: Classification;
  isOwner: boolean;
  grants: readonly Grant[];
  now: Date;
}): RowAccess {
  if (input.classification === 'restricted') return 'denied';
  if (input.isOwner) return 'owner';
  if (input.classification === 'open') return 'free';
  return input.grants.some((grant) => isGrantInForce(grant, input.now)) ? 'granted' : 'denied';
}

export function isGrantInForce(grant: Grant, now: Date): boolean {
  return grant.revokedAt === null && grant.expiresAt.getTime() > now.getTime();
}

/** A preview of rows is shown only for open data: conditional data shows schema and profile. */
export function mayPreview(classification: Classification): boolean {
  return classification === 'open';
}

/**
 * Sensitivity given to a column the first time it appears, before the steward reviews it:
 * the classification's own default, erring towards protection for non-open data.
 */
export function defaultSensitivity(classification: Classification): Sensitivity {
  switch (classification) {
    case 'open':
      return 'public';
    case 'conditional':
      return 'quasi_identifier';
    case 'restricted':
      return 'personal';
  }
}

/** Access terms a steward may grant, in days (one day to three years). */
export const GRANT_DAYS = { min: 1, max: 1095, default: 365 } as const;

export function grantExpiry(decidedAt: Date, days: number): Date {
  if (!Number.isInteger(days) || days < GRANT_DAYS.min || days > GRANT_DAYS.max) {
    throw new RangeError(`grant term must be ${GRANT_DAYS.min}..${GRANT_DAYS.max} days`);
  }
  return new Date(decidedAt.getTime() + days * 86_400_000);
}

/** A column's profile as the ingestion recorded it. */
export interface ProfiledColumn {
  name: string;
  type: string;
  nullShare: number;
  approxDistinct: number;
  min: string | null;
  max: string | null;
  topValues: { value: string | null; count: number }[];
}

/**
 * What the profile may disclose to people outside the publishing agency. Personal columns
 * show only their type, null share and distinct count (never a value). Quasi-identifiers show
 * no minimum or maximum (extremes single people out) and only values shared by at least `k`
 * rows. Public columns show everything.
 */
export function disclosedProfile(
  profile: readonly ProfiledColumn[],
  sensitivity: ReadonlyMap<string, Sensitivity>,
  k: number,
): ProfiledColumn[] {
  return profile.map((column) => {
    // A column the steward has not described yet is treated as personal.
    const level = sensitivity.get(column.name) ?? 'personal';
    if (level === 'public') return { ...column, topValues: [...column.topValues] };
    if (level === 'personal') return { ...column, min: null, max: null, topValues: [] };
    return { ...column, min: null, max: null, topValues: column.topValues.filter((top) => top.count >= k) };
  });
}

/** Columns whose values never leave the platform, whatever the classification or grant. */
export function undeliverableColumns(columns: ReadonlyArray<{ name: string; sensitivity: Sensitivity }>): string[] {
  return columns.filter((column) => column.sensitivity === 'personal').map((column) => column.name);
}
