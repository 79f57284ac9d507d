import { rm } from 'node:fs/promises';
import teardownDatabase from '@civic/db/jest-global-teardown';

/** Drops the run's database and removes its object-store directory. */
export default async function teardown(): Promise<void> {
  await teardownDatabase();
  if (process.env.STORAGE_DIR?.includes('civic-test-storage-')) await rm(process.env.STORAGE_DIR, { recursive: true, force: true });
}
