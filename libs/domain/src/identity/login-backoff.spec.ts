import { lockSecondsAfterFailures } from './login-backoff.js';

describe('login backoff', () => {
  it('allows the free attempts, then doubles the lock up to the ceiling', () => {
    const policy = { freeAttempts: 3, baseLockSeconds: 10, maxLockSeconds: 60 };
    expect([0, 1, 2].map((failures) => lockSecondsAfterFailures(failures, policy))).toEqual([0, 0, 0]);
    expect([3, 4, 5, 6, 50].map((failures) => lockSecondsAfterFailures(failures, policy))).toEqual([10, 20, 40, 60, 60]);
  });
});
