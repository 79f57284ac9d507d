import type { JobName } from '@civic/jobs';
import { buildHandlerRegistry, HandlerRegistryError } from './handler-registry.js';
import type { JobHandler } from './job-handler.js';

const handler: JobHandler<JobName> = { handle: async () => undefined };
const expected: JobName[] = ['audit.verify-chain', 'notifications.deliver'];

describe('handler registry', () => {
  it('maps each job to its single handler', () => {
    const registry = buildHandlerRegistry(
      [
        { name: 'audit.verify-chain', handler, owner: 'A' },
        { name: 'notifications.deliver', handler, owner: 'B' },
      ],
      expected,
    );
    expect([...registry.keys()].sort()).toEqual([...expected].sort());
  });

  it('refuses a job without a processor', () => {
    expect(() => buildHandlerRegistry([{ name: 'audit.verify-chain', handler, owner: 'A' }], expected)).toThrow(/"notifications.deliver" has no processor/);
  });

  it('refuses a job with two processors and unknown jobs', () => {
    let caught: unknown;
    try {
      buildHandlerRegistry(
        [
          { name: 'audit.verify-chain', handler, owner: 'A' },
          { name: 'audit.verify-chain', handler, owner: 'C' },
          { name: 'notifications.deliver', handler, owner: 'B' },
          { name: 'made.up', handler, owner: 'D' },
        ],
        expected,
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HandlerRegistryError);
    expect((caught as Error).message).toMatch(/has 2 processors: A, C/);
    expect((caught as Error).message).toMatch(/unknown job "made.up"/);
  });
});
