import fc from 'fast-check';
import { DERIVATION_PRIORITY_MAX, DERIVATION_PRIORITY_STARTED, derivationPriority } from './derive-queue.js';

/**
 * The queue as the worker sees it: runs requested in this order (by organization) while none has
 * started, each given its priority from the runs of its organization already waiting, then taken
 * lowest priority first and, among equals, in the order they were queued.
 */
function served(requests: string[]): Array<{ org: string; nth: number }> {
  const waiting = new Map<string, number>();
  const queued = requests.map((org, sequence) => {
    const ahead = waiting.get(org) ?? 0;
    waiting.set(org, ahead + 1);
    return { org, nth: ahead + 1, sequence, priority: derivationPriority({ started: false, runsAhead: ahead }) };
  });
  return queued.sort((a, b) => a.priority - b.priority || a.sequence - b.sequence).map(({ org, nth }) => ({ org, nth }));
}

describe('derivationPriority', () => {
  it('puts a run that has begun before every run waiting to start', () => {
    expect(derivationPriority({ started: true, runsAhead: 40 })).toBe(DERIVATION_PRIORITY_STARTED);
    expect(derivationPriority({ started: false, runsAhead: 0 })).toBeGreaterThan(DERIVATION_PRIORITY_STARTED);
  });

  it('is 1 + the organization\'s live runs ahead, capped, whatever the count looks like', () => {
    expect(derivationPriority({ started: false, runsAhead: 0 })).toBe(1);
    expect(derivationPriority({ started: false, runsAhead: 3 })).toBe(4);
    expect(derivationPriority({ started: false, runsAhead: 5_000_000 })).toBe(DERIVATION_PRIORITY_MAX);
    expect(derivationPriority({ started: false, runsAhead: -2 })).toBe(1);
    expect(derivationPriority({ started: false, runsAhead: 2.7 })).toBe(3);
    expect(derivationPriority({ started: false, runsAhead: Number.NaN })).toBe(DERIVATION_PRIORITY_MAX);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (ahead) => {
        const priority = derivationPriority({ started: false, runsAhead: ahead });
        return Number.isInteger(priority) && priority >= 1 && priority <= DERIVATION_PRIORITY_MAX;
      }),
    );
  });

  it("serves another organization's single run before the second run of one that queued several first", () => {
    expect(served(['a', 'a', 'a', 'a', 'b', 'c', 'b'])).toEqual([
      { org: 'a', nth: 1 },
      { org: 'b', nth: 1 },
      { org: 'c', nth: 1 },
      { org: 'a', nth: 2 },
      { org: 'b', nth: 2 },
      { org: 'a', nth: 3 },
      { org: 'a', nth: 4 },
    ]);
  });

  it('serves organizations round by round, each organization in the order it asked', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 60 }), (requests) => {
        const order = served(requests);
        // Round by round: every n-th run goes before any (n+1)-th run.
        for (let index = 1; index < order.length; index += 1) {
          if (order[index]!.nth < order[index - 1]!.nth) return false;
        }
        // Within an organization, first asked is first served.
        const seen = new Map<string, number>();
        for (const { org, nth } of order) {
          if (nth !== (seen.get(org) ?? 0) + 1) return false;
          seen.set(org, nth);
        }
        return order.length === requests.length;
      }),
    );
  });
});
