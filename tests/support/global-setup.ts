import { createDataSource, seedDemo } from '@civic/db';
import setupDatabase from '@civic/db/jest-global-setup';

export const TEST_PASSWORD = 'Demo-pass-2026';

/** One migrated database for the run, with the deterministic demo organizations and users. */
export default async function setup(): Promise<void> {
  await setupDatabase();
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 2 });
  await dataSource.initialize();
  try {
    await seedDemo(dataSource, TEST_PASSWORD);
  } finally {
    await dataSource.destroy();
  }
}
