/**
 * Parallel test files: each Jest worker uses its own copy of the run's database (made by
 * global-setup.ts from the seeded one), so files that run at the same time never see each
 * other's writes. This setup file points DATABASE_URL at the worker's copy; in a serial run
 * (one worker) it changes nothing.
 */
function workerDatabaseUrl(url: string, worker: number): string {
  const parsed = new URL(url);
  // The copies' names, as global-setup.ts makes them (and global-teardown.ts drops them).
  parsed.pathname = `${parsed.pathname}_w${worker}`;
  return parsed.toString();
}

export {};

const copies = Number(process.env.CIVIC_TEST_WORKER_DATABASES ?? 0);
const worker = Number(process.env.JEST_WORKER_ID ?? 1);
if (copies > 1 && process.env.DATABASE_URL) {
  if (worker < 1 || worker > copies) throw new Error(`Jest worker ${worker} has no database copy (${copies} made)`);
  process.env.DATABASE_URL = workerDatabaseUrl(process.env.DATABASE_URL, worker);
}
