/**
 * Lockout after repeated failed logins: the first few failures are free, after that
 * each further failure locks the account for twice as long, up to a ceiling.
 */
export interface BackoffPolicy {
  freeAttempts: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { freeAttempts: 5, baseLockSeconds: 30, maxLockSeconds: 3600 };

/** Lock duration in seconds after the given count of consecutive failures (0 = no lock). */
export function lockSecondsAfterFailures(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (failures < policy.freeAttempts) return 0;
  const exponent = failures - policy.freeAttempts;
  // Cap the exponent so the multiplication cannot overflow for absurd counts.
  const seconds = policy.baseLockSeconds * 2 ** Math.min(exponent, 30);
  return Math.min(seconds, policy.maxLockSeconds);
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
