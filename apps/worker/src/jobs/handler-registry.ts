import { JOB_NAMES, type JobName } from '@civic/jobs';
import type { JobHandler } from './job-handler.js';

export class HandlerRegistryError extends Error {}

/**
 * Maps every job name to exactly one handler. Built at start-up; any job without a
 * handler, with two, or a handler for an unknown job stops the worker.
 */
export function buildHandlerRegistry(
  found: Array<{ name: string; handler: JobHandler<JobName>; owner: string }>,
  expected: readonly JobName[] = JOB_NAMES,
): Map<JobName, JobHandler<JobName>> {
  const problems: string[] = [];
  const byName = new Map<string, Array<{ handler: JobHandler<JobName>; owner: string }>>();
  for (const entry of found) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
  for (const name of expected) {
    const handlers = byName.get(name) ?? [];
    if (handlers.length === 0) problems.push(`job "${name}" has no processor`);
    if (handlers.length > 1) problems.push(`job "${name}" has ${handlers.length} processors: ${handlers.map((h) => h.owner).join(', ')}`);
  }
  for (const name of byName.keys()) {
    if (!expected.includes(name as JobName)) problems.push(`processor for unknown job "${name}"`);
  }
  if (problems.length > 0) throw new HandlerRegistryError(`Refusing to start the worker:\n  - ${problems.join('\n  - ')}`);
  return new Map([...byName].map(([name, [entry]]) => [name as JobName, entry.handler]));
}
